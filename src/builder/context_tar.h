// `distill build -`: the build context arrives as a tar on stdin (plain or
// compressed, detected by content) and is unpacked into a private directory
// that lives as long as the ContextDir object.
#pragma once

#include <string>

#include "util/status.h"

namespace distill::builder {

class ContextDir {
 public:
  // Unpacks the tar read from `fd` into a new directory under `parent`.
  static Result<ContextDir> FromTar(int fd, const std::string& parent);
  ContextDir(ContextDir&& o) noexcept : dir_(std::move(o.dir_)) { o.dir_.clear(); }
  ContextDir& operator=(ContextDir&&) = delete;
  ~ContextDir();
  const std::string& dir() const { return dir_; }

 private:
  explicit ContextDir(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
};

}  // namespace distill::builder
