// PlanSources: what a COPY/ADD will take from a tree and where each piece
// lands relative to the destination — computed once, read by both the cache
// digest and the copy, so the key always describes exactly what is copied.
//
// Rules (Docker's):
//  - each source argument is a path or glob, matched in the tree (errors as in
//    BuildContext::Match); URL sources are not planned here;
//  - a directory source contributes its CONTENTS (landing ""), a file its
//    base name; with --parents both keep their path, counted from the last
//    "/./" pivot in the argument when there is one (`x/./y/a` lands as `y/a`);
//  - --exclude patterns (.dockerignore syntax, last match wins, `!` exceptions)
//    are matched against each entry's landing path, so `--exclude=*.txt`
//    drops top-level .txt files of a directory source and matched .txt files
//    of a glob; an excluded directory takes everything below it along.
#pragma once

#include <string>
#include <vector>

#include "context/build_context.h"
#include "context/copy_request.h"
#include "util/status.h"

namespace distill::context {

struct PlannedEntry {
  TreeEntry entry;      // real path and lstat (symlinks not followed)
  std::string landing;  // relative to the destination directory
};

struct PlannedSource {
  SourceMatch match;
  // File: its name under a destination directory. Directory: "" (its contents
  // go straight into the destination) or, with --parents, its kept path.
  std::string landing;
  std::vector<PlannedEntry> contents;  // directories: everything below, sorted
  bool is_dir() const { return S_ISDIR(match.st.st_mode); }
};

// Plans every local source argument of `request` (URLs are skipped), in
// argument order, each argument's matches in path order.
Result<std::vector<PlannedSource>> PlanSources(const BuildContext& tree,
                                               const CopyRequest& request);

}  // namespace distill::context
