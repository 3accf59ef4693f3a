// FileDigester: SHA-256 of file contents in a BuildContext, through the
// StatCache when there is one. Counts the files whose content it actually
// read, so tests (and `--debug` output) can tell a cache hit from a re-read.
//
// Thread-safety: Sha256Of may run concurrently (the counters are atomic, the
// cache locks itself).
#pragma once

#include <sys/stat.h>

#include <atomic>
#include <cstdint>
#include <string>

#include "context/build_context.h"
#include "context/stat_cache.h"
#include "util/status.h"

namespace distill::context {

class FileDigester {
 public:
  // `cache` may be null (every call reads the file); it must outlive this.
  explicit FileDigester(StatCache* cache) : cache_(cache) {}

  // Lowercase hex SHA-256 of the regular file at real path `real` of `tree`,
  // whose lstat is `st`.
  Result<std::string> Sha256Of(const BuildContext& tree, const std::string& real,
                               const struct stat& st);

  uint64_t files_read() const { return files_read_.load(); }
  uint64_t bytes_read() const { return bytes_read_.load(); }

 private:
  StatCache* cache_;
  std::atomic<uint64_t> files_read_{0};
  std::atomic<uint64_t> bytes_read_{0};
};

}  // namespace distill::context
