// One .dockerignore pattern, matched with the semantics of the reference
// (moby/patternmatcher, as used by BuildKit and Docker):
//
//  - `*` matches any run of characters except `/`; `?` one character except `/`;
//  - `[...]` is a character class with ranges (`[a-z]`) and negation (`[^a]`);
//    as in the reference, a negated class also matches `/`;
//  - `\x` matches x literally;
//  - `**` matches any number of whole directories (including none): `**/foo`
//    matches "foo" and "a/b/foo"; a trailing `**` (`foo/**`) matches everything
//    below foo; a pattern that starts with `**` and has no other wildcard is a
//    plain suffix test, exactly like the reference's fast path (so `**foo`
//    matches "barfoo");
//  - the pattern must match the whole path.
// Syntax errors (an unterminated or empty class, a bad range, a trailing `\`)
// are the ones Go's filepath.Match reports.
//
// Differences from the reference, on purpose: `^` outside a class and regexp
// escapes like `\d` are literal characters here (the reference leaks them into
// a regular expression); `**` also spans directory names containing newlines.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace distill::dockerfile {

class IgnorePattern {
 public:
  // `pattern` is already cleaned and has no leading '!'.
  static Result<IgnorePattern> Compile(std::string_view pattern);

  // True when the pattern matches `path` (slash-separated, cleaned, relative).
  bool Matches(std::string_view path) const;
  // True when the pattern might match some path strictly below directory `dir`
  // (conservative: may say true when nothing can match).
  bool CouldMatchBelow(std::string_view dir) const;

  const std::string& text() const { return text_; }

 private:
  enum class Type { kExact, kPrefix, kSuffix, kGlob };
  enum class Kind { kLiteral, kAnyChar, kAnyRun, kAnyDirs, kAnyTail, kClass };
  struct Range {
    uint32_t lo;
    uint32_t hi;
  };
  struct Atom {
    Kind kind;
    std::string literal;        // kLiteral: one character (UTF-8 unit)
    std::vector<Range> ranges;  // kClass
    bool negated = false;       // kClass
  };

  // Runs the glob over `path`; returns the live states afterwards.
  std::vector<char> Run(std::string_view path) const;
  void AddState(std::vector<char>& states, size_t state) const;
  bool ClassMatches(const Atom& atom, uint32_t cp) const;

  std::string text_;
  Type type_ = Type::kExact;
  std::vector<Atom> atoms_;
};

}  // namespace distill::dockerfile
