// WorkDir: a scratch directory under ROOT/snapshots/tmp/ that a live process
// owns — an unpack in progress, or an active snapshot (upper, work, merged).
//
// Ownership is an exclusive flock on the sibling file "<name>.lock", held for
// the WorkDir's lifetime. The lock file is created (and locked) before the
// directory and removed after it, so a directory whose lock file is missing or
// unlocked belongs to no live process: RemoveAbandonedWorkDirs deletes it,
// after unmounting anything a killed process left mounted inside.
#pragma once

#include <memory>
#include <string>

#include "archive/tar_fs.h"
#include "util/status.h"

namespace distill::snapshot {

class WorkDir {
 public:
  // Creates tmp_root/<random> (and its lock). `tmp_root` must exist.
  static Result<std::unique_ptr<WorkDir>> Create(const std::string& tmp_root);
  // Unmounts what is left mounted below the directory, removes it, then the lock.
  ~WorkDir();
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }
  // Call after the directory was renamed away (published): only the lock remains
  // to be removed.
  void MarkMoved() { moved_ = true; }
  // Removes the directory now (the destructor would, but silently).
  Status Remove();

 private:
  WorkDir(std::string path, archive::UniqueFd lock)
      : path_(std::move(path)), lock_(std::move(lock)) {}
  std::string path_;
  archive::UniqueFd lock_;
  bool moved_ = false;
};

// Deletes every work directory under `tmp_root` that no live process owns.
// Returns how many were removed.
Result<int> RemoveAbandonedWorkDirs(const std::string& tmp_root);

}  // namespace distill::snapshot
