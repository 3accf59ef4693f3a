#include "util/status.h"

#include <cstring>

namespace distill {

Status Status::FromErrno(const std::string& what, int err) {
  Code code = Code::kIo;
  if (err == ENOENT) code = Code::kNotFound;
  if (err == EEXIST) code = Code::kAlreadyExists;
  if (err == EACCES || err == EPERM) code = Code::kPermission;
  return Status(code, what + ": " + std::strerror(err));
}

}  // namespace distill
