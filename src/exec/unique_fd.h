// The sandbox code names the owned descriptor exec::UniqueFd; it is the one
// util type (util/unique_fd.h).
#pragma once

#include "util/unique_fd.h"

namespace distill::exec {
using distill::UniqueFd;
}  // namespace distill::exec
