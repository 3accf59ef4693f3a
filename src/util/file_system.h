// FileSystem: the seam every on-disk side effect of the store goes through
// (DESIGN.md "Rules that keep it testable"). Three implementations:
//   RealFileSystem            POSIX calls on the real disk.
//   InMemoryFileSystem        a map of paths, for fast unit tests.
//   FaultInjectionFileSystem  wraps another one; fails the Nth matching operation with
//                             EIO and can simulate a crash by dropping every byte and
//                             every directory entry that was not made durable with
//                             Sync()/SyncDir() (the model LevelDB's fault-injection env uses).
//
// Paths are absolute, '/'-separated strings. Errors are Status values that name the path.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/io.h"
#include "util/status.h"

namespace distill {

struct FileInfo {
  uint64_t size = 0;
  bool is_directory = false;
};

// A file opened for writing (created or truncated). Bytes are durable only after
// Sync() returns ok; Close() does not sync.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(const void* data, size_t len) = 0;
  Status Append(std::string_view s) { return Append(s.data(), s.size()); }
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
};

// An advisory lock held until destroyed (flock semantics: a lock belongs to one
// open of the lock file, so two FileLock objects in one process exclude each other).
class FileLock {
 public:
  virtual ~FileLock() = default;
};

enum class LockMode { kShared, kExclusive };

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) = 0;
  virtual Result<std::unique_ptr<Reader>> OpenForRead(const std::string& path) = 0;
  // Atomically replaces `to` (POSIX rename). Durable once the parent of `to` is synced.
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  // Hard link; fails with kAlreadyExists when `to` exists.
  virtual Status Link(const std::string& from, const std::string& to) = 0;
  virtual Status Unlink(const std::string& path) = 0;
  // mkdir -p: creates missing parents, succeeds when the directory exists.
  virtual Status MakeDirs(const std::string& path) = 0;
  // kNotFound when the path does not exist.
  virtual Result<FileInfo> Stat(const std::string& path) = 0;
  // Names (not paths) of the entries of a directory, sorted.
  virtual Result<std::vector<std::string>> ListDir(const std::string& path) = 0;
  // rm -rf; succeeds when the path does not exist.
  virtual Status RemoveTree(const std::string& path) = 0;
  // Makes the directory's entries (creations, renames, unlinks) durable.
  virtual Status SyncDir(const std::string& path) = 0;
  // Takes an advisory lock on `path` (created if missing). With wait == false,
  // returns kUnavailable instead of blocking when another holder conflicts.
  virtual Result<std::unique_ptr<FileLock>> Lock(const std::string& path, LockMode mode,
                                                 bool wait) = 0;

  // Conveniences built on the operations above.
  Result<std::string> ReadFile(const std::string& path);
  bool Exists(const std::string& path) { return Stat(path).ok(); }
  // Writes `data` to `path` so that a crash leaves either the old or the new content:
  // temp file beside it, fsync, rename, fsync of the directory.
  Status WriteFileAtomically(const std::string& path, std::string_view data);
};

// "/a/b/c" -> "/a/b"; "/a" -> "/".
std::string ParentDir(std::string_view path);
// JoinPath("/a", "b") -> "/a/b".
std::string JoinPath(std::string_view dir, std::string_view name);
// "/a//b/./c/" -> {"a", "b", ".", "c"}: the non-empty components, in order
// ("." and ".." are kept; resolving them is the caller's business).
std::vector<std::string> SplitPath(std::string_view path);

// The real disk. Stateless; one instance may be shared by all threads.
class RealFileSystem : public FileSystem {
 public:
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
};

// Process-wide default RealFileSystem.
FileSystem* DefaultFileSystem();

}  // namespace distill
