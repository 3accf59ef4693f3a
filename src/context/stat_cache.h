// StatCache: remembers the SHA-256 of files by what stat(2) says about them, so
// that digesting an unchanged build context reads metadata only (ninja's habit:
// stat once, compare, do little).
//
// An entry is trusted when the file's size, mtime, ctime, inode and mode all
// equal the recorded ones AND the entry is not "racily clean": as in git, a
// file whose mtime or ctime is not older than the moment it was hashed could
// have been changed again within the same timestamp tick without any visible
// stat difference, so it is hashed again next time. The moment is read from
// the coarse real-time clock, the one the kernel stamps inodes with, before
// the content is read.
//
// On disk (versioned, line-oriented, one entry per line):
//   distill-stat-cache 1
//   <sha256 hex> <size> <mtime_ns> <ctime_ns> <inode> <mode> <hashed_at_ns> <key>
// where the key ('%', CR and LF percent-escaped) is the file's path. A file
// with another version or a malformed line is discarded (a cache may always be
// rebuilt). Save() writes a temporary file, fsyncs and renames it over the old
// one, so a reader never sees half a cache; with concurrent builds the last
// writer wins. Entries not used since Load are dropped on Save once the cache
// holds more than max_entries (so one cache file can serve many contexts
// without growing without bound).
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "util/status.h"

namespace distill::context {

class StatCache {
 public:
  // Loads the cache kept at `path` (missing or unreadable → empty). An empty
  // `path` gives a cache that lives in memory only.
  static Result<std::unique_ptr<StatCache>> Load(const std::string& path);

  static constexpr size_t kDefaultMaxEntries = 200000;
  void set_max_entries(size_t n) { max_entries_ = n; }

  // The recorded digest (lowercase hex) when `st` still describes the file the
  // digest was computed from and the entry is not racily clean.
  std::optional<std::string> Lookup(const std::string& key, const struct stat& st) const;
  // Records the digest of the file described by `st`, hashed starting at
  // `hashed_at_ns` (coarse real-time clock).
  void Store(const std::string& key, const struct stat& st, const std::string& sha256_hex,
             int64_t hashed_at_ns);

  // Writes the cache atomically when it changed since Load.
  Status Save();

  size_t size() const;
  const std::string& path() const { return path_; }

  // Nanoseconds of CLOCK_REALTIME_COARSE: the clock inode times come from.
  static int64_t CoarseNowNs();

 private:
  struct Entry {
    std::string sha256;
    uint64_t size = 0;
    int64_t mtime_ns = 0;
    int64_t ctime_ns = 0;
    uint64_t inode = 0;
    uint32_t mode = 0;
    int64_t hashed_at_ns = 0;
    mutable bool used = false;  // looked up or stored since Load
  };
  explicit StatCache(std::string path) : path_(std::move(path)) {}
  Status Parse(const std::string& text);

  std::string path_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> entries_;
  bool dirty_ = false;
  size_t max_entries_ = kDefaultMaxEntries;
};

}  // namespace distill::context
