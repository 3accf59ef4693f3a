// BuildContext: the tree COPY/ADD read from — a build context directory (with
// its .dockerignore) or another stage's root file system (COPY --from).
//
// Paths handed out are "real" tree-relative paths: '/'-separated, no leading
// slash, "" for the root, and free of symlinks in their parent components, so
// they can be used as stable keys (digests, the stat cache) and opened with
// *at() calls below the root without following anything out of it.
//
// Docker's rules, which this class reproduces:
//  - a source path is cleaned lexically first ("a/../b" is "b", "../x" is "x");
//  - symlinks met on the way are resolved inside the tree, as if its root
//    were "/" (an absolute target restarts at the root, ".." stops there);
//  - the last component of a source is followed too (BuildKit copies with
//    FollowSymlinks), but symlinks found while walking a directory are kept;
//  - a .dockerignore'd path does not exist at all; an ignored directory still
//    exists when an exception pattern re-includes something below it.
//
// Thread-safety: immutable after Open; const methods may run concurrently.
#pragma once

#include <sys/stat.h>

#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/dockerignore.h"
#include "exec/unique_fd.h"
#include "util/status.h"

namespace distill::context {

struct TreeEntry {
  std::string path;   // real tree-relative path
  struct stat st {};  // lstat
};

// One match of a COPY/ADD source argument.
struct SourceMatch {
  std::string logical;  // the cleaned path as written/matched (names the landing)
  std::string real;     // where it really is (last symlink followed)
  struct stat st {};    // stat of `real`
};

class BuildContext {
 public:
  enum class Kind { kContext, kStageRootfs };

  // A build context directory; `ignore` holds its parsed .dockerignore.
  static Result<BuildContext> Open(const std::string& dir, dockerfile::DockerIgnore ignore);
  // Another stage's root file system: nothing is ignored, ownership is kept.
  static Result<BuildContext> OpenStageRootfs(const std::string& dir);

  // The tree's directory, made absolute (without resolving symlinks).
  const std::string& root() const { return root_; }
  int root_fd() const { return root_fd_.get(); }
  Kind kind() const { return kind_; }
  const dockerfile::DockerIgnore& ignore() const { return ignore_; }

  // Every visible entry strictly below directory `dir` (a real path), sorted
  // by path, symlinks not followed. Ignored directories are skipped without
  // reading them when DockerIgnore::CanSkipDirectory allows.
  Result<std::vector<TreeEntry>> Walk(const std::string& dir = "") const;

  // Resolves `path` (as written in a Dockerfile) to a real path. The last
  // component is followed only when `follow_last`. A missing component ends
  // the resolution: the rest is appended as written (Stat then fails).
  Result<std::string> Resolve(std::string_view path, bool follow_last) const;

  // lstat of a real path; NotFound when missing or not visible.
  Result<struct stat> Stat(const std::string& real) const;

  // Expands one COPY/ADD source argument (a path or a filepath.Match glob)
  // into its matches, sorted by logical path. Errors, as Docker words them:
  //   a missing plain path: "file not found in build context or excluded by
  //     .dockerignore: stat <src>: file does not exist"
  //   a glob matching nothing: "no source files were specified"
  Result<std::vector<SourceMatch>> Match(std::string_view source) const;

  // Opens a real path for reading (never follows its last component).
  Result<exec::UniqueFd> OpenFile(const std::string& real) const;

  // Whether the entry at real path `path` is part of the tree.
  bool Visible(const std::string& path, const struct stat& st) const;

 private:
  BuildContext(std::string root, exec::UniqueFd fd, Kind kind, dockerfile::DockerIgnore ignore)
      : root_(std::move(root)), root_fd_(std::move(fd)), kind_(kind), ignore_(std::move(ignore)) {}
  static Result<BuildContext> OpenDir(const std::string& dir, Kind kind,
                                      dockerfile::DockerIgnore ignore);
  Status WalkInto(int dir_fd, const std::string& dir, std::vector<TreeEntry>* out,
                  bool stop_at_first) const;
  Result<std::vector<std::string>> ListNames(const std::string& dir) const;

  std::string root_;
  exec::UniqueFd root_fd_;
  Kind kind_ = Kind::kContext;
  dockerfile::DockerIgnore ignore_;
};

// Joins real/relative path pieces with '/', treating "" as the root.
std::string JoinTreePath(std::string_view a, std::string_view b);

}  // namespace distill::context
