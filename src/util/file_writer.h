// FileWriter: a Writer over a file descriptor that batches small writes into
// large write(2) calls. Compressed layers arrive in pieces of a few KiB; a
// syscall per piece would cost more than the hashing.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "util/io.h"

namespace distill {

// Not thread-safe. Close() flushes the buffer and, when the writer owns the
// descriptor, closes it (reporting close(2) errors: NFS reports late there).
class FileWriter : public Writer {
 public:
  static constexpr size_t kDefaultBufferSize = 1 << 20;

  // Wraps `fd`; `name` is used in error messages. Closes fd on Close() when `owns_fd`.
  FileWriter(int fd, std::string name, bool owns_fd, size_t buffer_size = kDefaultBufferSize);
  ~FileWriter() override;
  FileWriter(const FileWriter&) = delete;
  FileWriter& operator=(const FileWriter&) = delete;

  // Creates (or truncates) `path` with mode 0644 and owns the descriptor.
  static Result<std::unique_ptr<FileWriter>> Create(const std::string& path);

  using Writer::Write;
  Status Write(const void* data, size_t len) override;
  // Writes out buffered bytes without closing.
  Status Flush();
  Status Close() override;

  int fd() const { return fd_; }

 private:
  Status WriteAll(const char* data, size_t len);

  int fd_;
  std::string name_;
  bool owns_fd_;
  std::vector<char> buf_;
  size_t used_ = 0;
  bool closed_ = false;
};

}  // namespace distill
