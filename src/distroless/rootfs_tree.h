// RootfsTree: the whole file system of a distroless image, held in memory
// while packages stream in, then written as ONE deterministic layer tar.
//
// Why in memory rather than a temp directory: the entries of several .debs
// must come out sorted and deduplicated (a directory shared by many packages
// appears once), and the largest image (python3) is well under 100 MB
// uncompressed. Nothing touches the disk, so ownership, modes and times are
// exactly what the tar says, even when not running as root.
//
// Invariants: paths are relative and clean ("usr/bin/x"); every entry's
// parent directories exist when the tar is written (missing ones are made
// 0755 root:root); a later entry replaces an earlier one of the same path,
// except that a directory never replaces anything (directories shared by
// packages keep their first metadata).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "archive/tar_entry.h"
#include "util/io.h"
#include "util/status.h"

namespace distill::distroless {

class RootfsTree {
 public:
  // Adds an entry; for kFile, `content` holds its bytes (entry.size is set
  // from it). A hard link becomes a copy of the file it names (which must be
  // in the tree already), so the sorted tar never has a link before its target.
  Status Add(archive::TarEntry entry, std::string content = {});

  Status AddDirectory(const std::string& path, uint32_t mode, uint64_t uid = 0, uint64_t gid = 0);
  Status AddFile(const std::string& path, std::string content, uint32_t mode = 0644);
  Status AddSymlink(const std::string& path, const std::string& target);

  bool Contains(const std::string& path) const { return nodes_.count(path) != 0; }
  const archive::TarEntry* Find(const std::string& path) const;
  // The bytes of a regular file; null for anything else.
  const std::string* FileContent(const std::string& path) const;
  // The names directly inside `dir` ("" for the root), sorted.
  std::vector<std::string> ChildNames(const std::string& dir) const;
  // `path` with every symlink in it followed inside the tree (absolute link
  // targets are relative to the image root), as a clean relative path. The
  // last component need not exist; nullopt on a symlink loop.
  std::optional<std::string> Resolve(const std::string& path) const;
  size_t size() const { return nodes_.size(); }

  // Writes every entry in path order with mtimes clamped to `epoch` and the
  // end-of-archive marker. The same tree and epoch give the same bytes.
  Status WriteTar(Writer* out, int64_t epoch) const;

 private:
  struct Node {
    archive::TarEntry entry;
    std::string content;
  };
  std::map<std::string, Node> nodes_;
};

}  // namespace distill::distroless
