// Shell-word expansion for Dockerfile instructions: variable substitution,
// quote removal, escapes and word splitting, with the behaviour of the
// reference frontend (BuildKit's frontend/dockerfile/shell "Lex").
//
// Supported: $VAR, ${VAR}, ${VAR:-word}, ${VAR-word}, ${VAR:+word}, ${VAR+word},
// ${VAR:?msg}, ${VAR?msg}, ${VAR#pat}, ${VAR##pat}, ${VAR%pat}, ${VAR%%pat},
// ${VAR/pat/repl}, ${VAR//pat/repl} (patterns: see shell_pattern.h), single and
// double quotes, the escape character of the `# escape=` directive (\ or `).
// The word inside ${VAR:-word} etc. is itself expanded.
//
// Reference behaviours kept on purpose:
//  - positional ($1, ${10}) and special ($@ $* $# $? $- $$ $! $0) parameters are
//    looked up like any name, so they are empty unless the environment sets them;
//  - `$` followed by no name is a literal `$`; an escape character at the very
//    end of the word is dropped;
//  - only `"`, `$` and the escape character can be escaped inside double quotes;
//  - ${VAR:=word} and other unknown modifiers are errors;
//  - in ${VAR#pat}, ${VAR%pat} and ${VAR/pat/repl} the escape characters are kept
//    in `pat` and `repl` (the pattern's own `\` escapes are then applied).
// Differences: bytes that are not valid UTF-8 are kept as they are (the
// reference turns them into U+FFFD); names made of non-ASCII letters are
// recognised by an approximation of Unicode letter classes (utf8_units.h).
//
// Robustness: every input terminates in time linear in its size (times the
// nesting depth); nesting deeper than kMaxNesting and results larger than
// kMaxResultBytes are reported as errors instead of exhausting the stack/memory.
//
// Thread-safety: a ShellLexer is immutable; Expand may be called concurrently.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/status.h"

namespace distill::dockerfile {

// Variables visible to an expansion (ARG and ENV values in scope), in the order
// they were set. Names are case-sensitive (Linux semantics).
class Environment {
 public:
  Environment() = default;
  Environment(std::initializer_list<std::pair<std::string, std::string>> entries);
  // From "NAME=value" strings; a string without '=' sets NAME to "". Later
  // entries override earlier ones.
  static Environment FromKeyValues(const std::vector<std::string>& key_values);

  // Sets (or overrides, keeping its position) one variable.
  void Set(std::string_view name, std::string_view value);
  // The value of `name`, or nullptr when it is not set (set-but-empty is "").
  const std::string* Lookup(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& entries() const { return entries_; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;
};

struct ShellLexerOptions {
  char escape = '\\';                // the `# escape=` directive: '\\' or '`'
  bool raw_quotes = false;           // keep quote characters in the result
  bool raw_escapes = false;          // keep escape characters in the result
  bool skip_process_quotes = false;  // quotes are ordinary characters
  bool skip_unset_env = false;       // leave references to unset variables as written
};

// Everything one expansion produces.
struct ShellExpansion {
  std::string word;                 // the whole input as one word (ProcessWord)
  std::vector<std::string> words;   // the input split into words (ProcessWords)
  std::set<std::string> matched;    // variable names referenced and set
  std::set<std::string> unmatched;  // referenced but not set (linter: undefined variable)
};

class ShellLexer {
 public:
  static constexpr int kMaxNesting = 200;
  static constexpr size_t kMaxResultBytes = size_t{16} << 20;

  explicit ShellLexer(char escape = '\\');
  explicit ShellLexer(ShellLexerOptions options);

  // Expands `word`. Errors read "failed to process \"WORD\": <reason>", e.g.
  // "VAR: msg" for ${VAR:?msg}, "syntax error: missing '}'", "syntax error: bad
  // substitution", "unexpected end of statement while looking for matching
  // double-quote"; the caller adds the file and line.
  Result<ShellExpansion> Expand(std::string_view word, const Environment& env) const;

  // One word, quotes and escapes removed (ENV, LABEL, WORKDIR, COPY paths, ...).
  Result<std::string> ProcessWord(std::string_view word, const Environment& env) const;
  // The word split at unquoted whitespace after expansion (instructions that
  // split, e.g. the shell form of EXPOSE, VOLUME, FROM flags). Whitespace coming
  // from a variable's value splits too, unless the reference was quoted.
  Result<std::vector<std::string>> ProcessWords(std::string_view word,
                                                const Environment& env) const;

  const ShellLexerOptions& options() const { return options_; }

 private:
  ShellLexerOptions options_;
};

}  // namespace distill::dockerfile
