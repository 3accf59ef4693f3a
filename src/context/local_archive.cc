#include "context/local_archive.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "archive/decompress.h"
#include "archive/extract.h"
#include "exec/in_root.h"

namespace distill::context {
namespace {

constexpr size_t kBlock = 512;

// POSIX tar header checksum: the byte sum with the checksum field as spaces.
bool ValidTarHeader(const unsigned char* h) {
  bool all_zero = true;
  for (size_t i = 0; i < kBlock; ++i) all_zero = all_zero && h[i] == 0;
  if (all_zero) return false;
  uint64_t want = 0;
  bool digits = false;
  for (size_t i = 148; i < 156; ++i) {
    unsigned char c = h[i];
    if (c >= '0' && c <= '7') {
      want = want * 8 + (c - '0');
      digits = true;
    } else if (c == ' ' || c == 0) {
      if (digits) break;
    } else {
      return false;
    }
  }
  if (!digits) return false;
  uint64_t unsigned_sum = 0;
  int64_t signed_sum = 0;
  for (size_t i = 0; i < kBlock; ++i) {
    unsigned char c = (i >= 148 && i < 156) ? ' ' : h[i];
    unsigned_sum += c;
    signed_sum += static_cast<signed char>(c);
  }
  return want == unsigned_sum || static_cast<int64_t>(want) == signed_sum;
}

}  // namespace

Result<size_t> FdReader::Read(void* buf, size_t len) {
  for (;;) {
    ssize_t n = read(fd_, buf, len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno("read " + name_, errno);
    return static_cast<size_t>(n);
  }
}

bool IsTarArchive(int fd, const std::string& name) {
  if (lseek(fd, 0, SEEK_SET) != 0) return false;
  FdReader raw(fd, name);
  auto reader = archive::NewDecompressor(&raw, name);
  unsigned char block[kBlock];
  size_t got = 0;
  while (got < kBlock) {
    auto n = reader->Read(block + got, kBlock - got);
    if (!n.ok() || *n == 0) return false;
    got += *n;
  }
  return ValidTarHeader(block);
}

Status ExtractArchive(int fd, const std::string& name, int dest_dir_fd) {
  if (lseek(fd, 0, SEEK_SET) != 0) return Status::FromErrno("seek " + name, errno);
  FdReader raw(fd, name);
  auto reader = archive::NewDecompressor(&raw, name);
  archive::ExtractOptions options;
  options.source_name = name;
  return archive::ExtractTar(reader.get(), exec::FdPath(dest_dir_fd), options);
}

}  // namespace distill::context
