// The .dockerignore file: which files of the build context are left out.
//
// Reading follows the reference (moby/patternmatcher/ignorefile): a UTF-8 BOM
// is dropped; lines starting with '#' are comments; surrounding whitespace is
// trimmed and blank lines skipped; a leading '!' makes an exception (files it
// matches are included again); patterns are cleaned like Go's filepath.Clean
// ("./a//b/" is "a/b") and a leading '/' is dropped (patterns are relative to
// the context root). Pattern syntax: ignore_pattern.h.
//
// Matching follows the reference's MatchesOrParentMatches: patterns are
// applied in order and the last one that matches decides; a pattern matches a
// path when it matches the path itself or any of its parent directories (so
// excluding a directory excludes everything below it, and `!dir` brings all of
// it back).
//
// Thread-safety: immutable after Parse; all methods are const and safe to call
// concurrently.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/ignore_pattern.h"
#include "util/status.h"

namespace distill::dockerfile {

class DockerIgnore {
 public:
  DockerIgnore() = default;  // ignores nothing

  // Parses the text of an ignore file. Errors name the file and line, e.g.
  // ".dockerignore:3: bad character class in pattern \"[a\"".
  static Result<DockerIgnore> Parse(std::string_view text, const std::string& filename);
  // Builds a matcher from patterns as they appear in a file (leading '!' for
  // exceptions), e.g. ones passed on a command line.
  static Result<DockerIgnore> FromPatterns(const std::vector<std::string>& patterns);
  // Reads and parses the file at `path`.
  static Result<DockerIgnore> Load(const std::filesystem::path& path);

  // True when `rel_path` (relative to the context root, '/'-separated) must be
  // left out of the context. The root itself ("", ".", "/") is never excluded.
  bool Excluded(std::string_view rel_path) const;

  // True when a walker may skip directory `rel_dir` without looking inside:
  // the directory is excluded and no exception pattern could re-include
  // anything below it (conservative: false whenever in doubt).
  bool CanSkipDirectory(std::string_view rel_dir) const;

  // The normalised patterns in order, exceptions with their leading '!'
  // (stable text for cache keys and for passing the rules on).
  std::vector<std::string> patterns() const;
  bool empty() const { return rules_.empty(); }
  bool has_exceptions() const { return has_exceptions_; }

 private:
  struct Rule {
    IgnorePattern pattern;
    bool exception = false;
  };
  // Adds one pattern in file form; `where` prefixes errors ("file:line").
  Status Add(std::string pattern, const std::string& where);

  std::vector<Rule> rules_;
  bool has_exceptions_ = false;
};

// Returns true when a regular file exists at `path` (the seam for tests).
using FileExistsFn = std::function<bool(const std::filesystem::path&)>;

// The ignore file that applies to a build: `<Dockerfile name>.dockerignore`
// beside the Dockerfile wins over `.dockerignore` in the context root; nullopt
// when neither exists. A Dockerfile read from stdin ("-" or empty) has no
// specific ignore file.
std::optional<std::filesystem::path> FindIgnoreFile(const std::filesystem::path& dockerfile,
                                                    const std::filesystem::path& context_dir,
                                                    const FileExistsFn& exists);
// Same, looking at the real file system.
std::optional<std::filesystem::path> FindIgnoreFile(const std::filesystem::path& dockerfile,
                                                    const std::filesystem::path& context_dir);

}  // namespace distill::dockerfile
