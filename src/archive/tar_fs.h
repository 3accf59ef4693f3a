// Small POSIX helpers shared by the tree writer and the extractor: a Reader
// over a descriptor, and xattr listing.
#pragma once

#include <map>
#include <string>

#include "util/io.h"
#include "util/status.h"
#include "util/unique_fd.h"

namespace distill::archive {

using distill::UniqueFd;  // util/unique_fd.h

// Reads a file descriptor sequentially (it does not own the descriptor).
class FdReader : public Reader {
 public:
  FdReader(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  Result<size_t> Read(void* buf, size_t len) override;

 private:
  int fd_;
  std::string name_;
};

// Reads every xattr of `path` without following a final symlink.
Result<std::map<std::string, std::string>> ReadXattrs(const std::string& path);

// "/proc/self/fd/<dirfd>/<name>": names `name` inside an already-resolved
// directory for the path-only calls (lsetxattr) that have no *at() variant.
std::string ProcFdPath(int dir_fd, const std::string& name);

}  // namespace distill::archive
