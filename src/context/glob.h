// Source patterns of COPY/ADD: Go's filepath.Match rules, which the reference
// builders apply to each source argument.
//
//  - `*` matches any run of characters except '/'; `?` one character except '/';
//  - `[...]` is a class of characters and ranges (`[a-z]`), negated by `[^...]`;
//  - `\x` matches x literally.
// A malformed pattern ("[a", "[]", "a\\" at the end, "[a-]") is an error
// whether or not it could match, as Go >= 1.16 reports it.
#pragma once

#include <string_view>

#include "util/status.h"

namespace distill::context {

// True when `pattern` matches all of `name`. Error for a malformed pattern.
Result<bool> GlobMatch(std::string_view pattern, std::string_view name);

// True when `s` has any character that makes it a pattern (`*`, `?`, `[`, `\`):
// such a source is expanded against the tree instead of looked up.
bool HasGlobMeta(std::string_view s);

}  // namespace distill::context
