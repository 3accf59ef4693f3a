#include "archive/tar_entry.h"

namespace distill::archive {

const char* TarEntryTypeName(TarEntryType type) {
  switch (type) {
    case TarEntryType::kFile:
      return "file";
    case TarEntryType::kDirectory:
      return "directory";
    case TarEntryType::kSymlink:
      return "symlink";
    case TarEntryType::kHardlink:
      return "hard link";
    case TarEntryType::kCharDevice:
      return "character device";
    case TarEntryType::kBlockDevice:
      return "block device";
    case TarEntryType::kFifo:
      return "fifo";
  }
  return "unknown";
}

}  // namespace distill::archive
