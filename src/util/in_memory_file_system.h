// InMemoryFileSystem: a FileSystem kept in a map, for unit tests that should not
// touch the disk. Files behave like inodes: a file open for writing keeps receiving
// bytes after it is renamed or linked. Sync/SyncDir succeed and do nothing (wrap it
// in FaultInjectionFileSystem to model what a crash would lose). Thread-safe.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "util/file_system.h"

namespace distill {

class InMemoryFileSystem : public FileSystem {
 public:
  InMemoryFileSystem();

  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override;
  Result<std::unique_ptr<Reader>> OpenForRead(const std::string& path) override;
  Status Rename(const std::string& from, const std::string& to) override;
  Status Link(const std::string& from, const std::string& to) override;
  Status Unlink(const std::string& path) override;
  Status MakeDirs(const std::string& path) override;
  Result<FileInfo> Stat(const std::string& path) override;
  Result<std::vector<std::string>> ListDir(const std::string& path) override;
  Status RemoveTree(const std::string& path) override;
  Status SyncDir(const std::string& path) override;
  Result<std::unique_ptr<FileLock>> Lock(const std::string& path, LockMode mode,
                                         bool wait) override;

 private:
  struct LockState {
    int shared = 0;
    bool exclusive = false;
  };
  class MemLock;
  Status CheckParentLocked(const std::string& path) const;
  void Release(const std::string& path, LockMode mode);

  mutable std::mutex mu_;
  std::condition_variable lock_released_;
  std::map<std::string, std::shared_ptr<std::string>> files_;
  std::set<std::string> dirs_;
  std::map<std::string, LockState> locks_;
};

}  // namespace distill
