// Glob patterns of the ${VAR#pattern}, ${VAR%pattern} and ${VAR/pattern/repl}
// substitutions, with the reference frontend's (BuildKit's) semantics:
//
//  - `*` matches any run of characters and `?` any one character, except that
//    neither crosses a newline (the reference translates them to Go regexp `.`);
//  - `\*`, `\?` and `\\` are literal; `\}` and `\/` are literal `}` and `/`; any
//    other backslash escape is an error;
//  - there are NO bracket expressions: `[` and `]` are ordinary characters, as in
//    the reference (which documents this omission).
// Matching uses leftmost-first preference, like the regexp engine behind the
// reference: among matches that start leftmost, stars take as much as they can
// (longest) or as little as they can (shortest), first star first.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace distill::dockerfile {

class ShellPattern {
 public:
  // Compiles `pattern`; fails on an invalid escape. When `reversed` is set the
  // pattern is compiled back to front (escape pairs kept together), for suffix
  // matching over a reversed subject.
  static Result<ShellPattern> Compile(std::string_view pattern, bool reversed = false);

  struct Match {
    size_t begin = 0;  // unit index of the first matched character
    size_t end = 0;    // unit index one past the last matched character
  };

  // Finds the preferred match in `units` (characters as produced by SplitUnits)
  // starting at `from` (only exactly there when `anchored`).
  std::optional<Match> Find(const std::vector<std::string_view>& units, size_t from, bool anchored,
                            bool longest) const;

 private:
  enum class Kind { kLiteral, kAnyChar, kAnyRun };
  struct Atom {
    Kind kind;
    std::string literal;  // one character (UTF-8 unit) for kLiteral
  };
  std::vector<Atom> atoms_;
};

// Splits `s` into characters (UTF-8 units, or single bytes where not valid UTF-8).
std::vector<std::string_view> SplitUnits(std::string_view s);

// ${value#pattern} (shortest) and ${value##pattern} (longest).
Result<std::string> TrimShellPrefix(std::string_view value, std::string_view pattern, bool longest);
// ${value%pattern} (shortest) and ${value%%pattern} (longest).
Result<std::string> TrimShellSuffix(std::string_view value, std::string_view pattern, bool longest);
// ${value/pattern/replacement} and, with `all`, ${value//pattern/replacement}.
// As in the reference, replace-all reads `replacement` as a Go regexp template:
// `$$` is a dollar, `$0`/`${0}` the matched text, other `$name` references are
// empty. Fails when the result would exceed `max_bytes`.
Result<std::string> ReplaceShellPattern(std::string_view value, std::string_view pattern,
                                        std::string_view replacement, bool all, size_t max_bytes);

}  // namespace distill::dockerfile
