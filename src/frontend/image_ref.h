// Checks on the strings a Dockerfile uses to name images and platforms, so that
// a typo in `COPY --from=` or `FROM` fails at planning time with its line.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace distill::frontend {

// Whether `ref` is a syntactically valid image reference in the distribution
// grammar: [host[:port]/]path[:tag][@algo:hex], path components lower case.
bool IsValidImageReference(std::string_view ref);

// A platform "os/arch[/variant]", normalised the way the reference does
// ("linux/x86_64" -> linux/amd64, "linux/arm" -> linux/arm/v7, arm64/v8 -> arm64).
struct Platform {
  std::string os;
  std::string arch;
  std::string variant;
  std::string ToString() const;
};
Result<Platform> ParsePlatform(std::string_view text);

// The platform of this machine (uname), e.g. linux/amd64.
Platform HostPlatform();

}  // namespace distill::frontend
