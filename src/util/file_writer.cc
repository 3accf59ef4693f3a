#include "util/file_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace distill {

FileWriter::FileWriter(int fd, std::string name, bool owns_fd, size_t buffer_size)
    : fd_(fd),
      name_(std::move(name)),
      owns_fd_(owns_fd),
      buf_(buffer_size == 0 ? 1 : buffer_size) {}

FileWriter::~FileWriter() {
  // Without Close() the data is incomplete anyway; only release the descriptor.
  if (owns_fd_ && fd_ >= 0 && !closed_) ::close(fd_);
}

Result<std::unique_ptr<FileWriter>> FileWriter::Create(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::FromErrno("cannot create " + path, errno);
  return std::make_unique<FileWriter>(fd, path, /*owns_fd=*/true);
}

Status FileWriter::WriteAll(const char* data, size_t len) {
  while (len > 0) {
    ssize_t n = ::write(fd_, data, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::FromErrno("write " + name_, errno);
    }
    data += n;
    len -= static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status FileWriter::Write(const void* data, size_t len) {
  if (closed_) return Status::Error("write to " + name_ + " after close");
  const char* p = static_cast<const char*>(data);
  if (used_ + len <= buf_.size()) {
    std::memcpy(buf_.data() + used_, p, len);
    used_ += len;
    return Status::Ok();
  }
  DISTILL_RETURN_IF_ERROR(Flush());
  // A write at least as large as the buffer gains nothing from copying.
  if (len >= buf_.size()) return WriteAll(p, len);
  std::memcpy(buf_.data(), p, len);
  used_ = len;
  return Status::Ok();
}

Status FileWriter::Flush() {
  if (used_ == 0) return Status::Ok();
  Status st = WriteAll(buf_.data(), used_);
  used_ = 0;
  return st;
}

Status FileWriter::Close() {
  if (closed_) return Status::Ok();
  Status st = Flush();
  closed_ = true;
  if (owns_fd_ && ::close(fd_) != 0 && st.ok()) st = Status::FromErrno("close " + name_, errno);
  return st;
}

}  // namespace distill
