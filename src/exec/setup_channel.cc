#include "exec/setup_channel.h"

#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace distill::exec {
namespace {

bool WriteAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// Returns bytes read (< n only at EOF) or -1.
ssize_t ReadAll(int fd, char* p, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, p + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (r == 0) break;
    got += static_cast<size_t>(r);
  }
  return static_cast<ssize_t>(got);
}

}  // namespace

void WriteFrame(int fd, FrameType type, const std::string& payload) {
  char header[5];
  header[0] = static_cast<char>(type);
  uint32_t len = static_cast<uint32_t>(payload.size());
  std::memcpy(header + 1, &len, sizeof(len));
  // One pipe write of <= PIPE_BUF bytes is atomic; longer messages are still
  // written in order by the single writer.
  std::string frame(header, sizeof(header));
  frame += payload;
  WriteAll(fd, frame.data(), frame.size());
}

void WriteErrorFrame(int fd, const Status& status) {
  std::string payload(1, static_cast<char>(status.code()));
  payload += status.message();
  WriteFrame(fd, FrameType::kError, payload);
}

Result<Frame> ReadFrame(int fd) {
  char header[5];
  ssize_t n = ReadAll(fd, header, sizeof(header));
  if (n == 0) return Status::NotFound("sandbox setup channel closed");
  if (n != static_cast<ssize_t>(sizeof(header))) {
    return Status::Io("sandbox setup channel: truncated message");
  }
  uint32_t len;
  std::memcpy(&len, header + 1, sizeof(len));
  if (len > (1u << 20)) return Status::Corrupt("sandbox setup channel: oversized message");
  Frame f{static_cast<FrameType>(header[0]), std::string(len, '\0')};
  if (ReadAll(fd, f.payload.data(), len) != static_cast<ssize_t>(len)) {
    return Status::Io("sandbox setup channel: truncated message");
  }
  return f;
}

Status StatusFromErrorFrame(const Frame& frame) {
  if (frame.payload.empty()) return Status::Error("sandbox setup failed");
  auto code = static_cast<Status::Code>(frame.payload[0]);
  if (code == Status::Code::kOk) code = Status::Code::kInternal;
  return Status(code, frame.payload.substr(1));
}

}  // namespace distill::exec
