// TarEntry: one member of a tar archive as distill sees it, independent of how
// the bytes encode it (ustar fields, PAX records or GNU long-name blocks).
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace distill::archive {

enum class TarEntryType {
  kFile,
  kDirectory,
  kSymlink,
  kHardlink,
  kCharDevice,
  kBlockDevice,
  kFifo
};

// Human-readable name of a type ("file", "directory", ...), for error messages.
const char* TarEntryTypeName(TarEntryType type);

struct TarEntry {
  // Relative path inside the archive, '/'-separated, without a trailing '/'
  // (the writer adds one for directories; the reader strips it).
  std::string path;
  TarEntryType type = TarEntryType::kFile;
  uint32_t mode = 0644;  // permission bits including setuid/setgid/sticky (07777)
  uint64_t uid = 0;
  uint64_t gid = 0;
  std::string uname;  // written only when non-empty; never looked up
  std::string gname;
  uint64_t size = 0;  // content length; only meaningful for kFile
  int64_t mtime_sec = 0;
  uint32_t mtime_nsec = 0;  // written only when TarWriterOptions::subsecond_mtime
  std::string linkname;     // symlink target, or the archive path a hard link points to
  uint32_t devmajor = 0;
  uint32_t devminor = 0;
  // Extended attributes, name → raw (binary-safe) value, e.g. "security.capability".
  std::map<std::string, std::string> xattrs;

  bool operator==(const TarEntry&) const = default;
};

}  // namespace distill::archive
