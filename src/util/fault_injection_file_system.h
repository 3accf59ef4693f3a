// FaultInjectionFileSystem: wraps another FileSystem to test crash safety.
//
// Two kinds of fault:
//  * FailNth(ops, n): the nth operation (from now) of the given kinds fails with EIO,
//    once; everything else goes through. Tests error paths one at a time.
//  * CrashAtNth(n): the process "dies" at the nth mutating operation: that operation
//    and every later one fails with EIO. DropUnsyncedData() then does to the wrapped
//    file system what a power loss would: a file's bytes written after its last Sync()
//    are lost, and a name created (create, rename, link) in a directory that was not
//    SyncDir()'d afterwards disappears (a rename over an existing durable file brings
//    the old content back). Files that existed before the wrapper saw them are durable.
//
// The model follows LevelDB's fault-injection test env. Known simplifications: unlinks
// are treated as durable immediately, and directories made by MakeDirs are durable.
// Reads, Stat, ListDir and Lock are passed through and never fail. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "util/file_system.h"

namespace distill {

class FaultInjectionFileSystem : public FileSystem {
 public:
  // Operation kinds, combinable as a bit mask for FailNth.
  enum Op : unsigned {
    kCreate = 1u << 0,
    kWrite = 1u << 1,
    kSync = 1u << 2,
    kRename = 1u << 3,
    kLink = 1u << 4,
    kUnlink = 1u << 5,
    kMakeDirs = 1u << 6,
    kSyncDir = 1u << 7,
    kRemoveTree = 1u << 8,
    kAnyMutation = (1u << 9) - 1,
  };

  explicit FaultInjectionFileSystem(FileSystem* base) : base_(base) {}

  void FailNth(unsigned ops, int n);
  void CrashAtNth(int n);
  bool crashed() const;
  // Mutating operations seen so far (failed ones included).
  int mutation_count() const;
  // Applies crash semantics to the wrapped file system and clears all fault settings,
  // as if a fresh process started on the rebooted disk.
  Status DropUnsyncedData();

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
  friend class FaultWritableFile;
  // Byte counts of one file's data (shared by all its hard links).
  struct Inode {
    uint64_t size = 0;
    uint64_t synced = 0;
  };
  // One name the wrapper has seen created.
  struct Entry {
    std::shared_ptr<Inode> inode;
    bool name_durable = false;
    // Durable content this name had before a rename replaced it.
    std::optional<std::string> replaced_content;
  };

  // Counts the operation; returns EIO when a fault is due.
  Status Inject(Op op, const std::string& what);
  Status RestoreContent(const std::string& path, std::string_view content);

  FileSystem* base_;
  mutable std::mutex mu_;
  int mutations_ = 0;
  unsigned fail_ops_ = 0;
  int fail_countdown_ = 0;
  int crash_countdown_ = 0;
  bool crashed_ = false;
  std::map<std::string, Entry> entries_;
};

}  // namespace distill
