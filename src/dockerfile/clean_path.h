// Lexical path cleaning with the rules of Go's path.Clean, which the reference
// applies to .dockerignore patterns (and to context paths): repeated slashes
// collapse, "." elements go, "dir/.." pairs cancel, ".." at the root of an
// absolute path goes, trailing slashes go, and an empty result is ".".
#pragma once

#include <string>
#include <string_view>

namespace distill::dockerfile {

std::string CleanPath(std::string_view path);

}  // namespace distill::dockerfile
