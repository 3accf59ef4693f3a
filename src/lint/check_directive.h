// The `# check=` parser directive (Docker build checks): `skip=RULE1,RULE2` or
// `skip=all` turns rules off, `error=true` makes warnings fail the build.
// Parts are separated by ';', e.g. "skip=JSONArgsRecommended;error=true".
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "util/status.h"

namespace distill::lint {

struct CheckDirective {
  std::set<std::string> skip;  // rule IDs as written
  bool skip_all = false;
  bool error = false;

  bool Skips(const std::string& rule) const { return skip_all || skip.count(rule) > 0; }
};

// Errors name the bad part: "check directive: unknown key \"foo\"".
Result<CheckDirective> ParseCheckDirective(std::string_view value);

}  // namespace distill::lint
