// LayoutSink: where an OCI image layout (oci-layout, index.json, blobs/sha256/...)
// is written — a directory, or a tar file (oci-archive, docker-archive). The
// exporters write through this one interface, so the three formats share the code
// that decides what goes into a layout.
//
// Outputs are atomic: a tar goes to a temp file beside its destination and is renamed
// into place by Commit(); a sink destroyed without Commit() removes it. In a
// directory every blob and document is written to a temp name and renamed, and
// index.json last, so a failed export never leaves an index naming missing blobs.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "archive/tar_writer.h"
#include "oci/digest.h"
#include "util/file_writer.h"
#include "util/io.h"
#include "util/status.h"

namespace distill::transport {

class LayoutSink {
 public:
  virtual ~LayoutSink() = default;
  // Adds blobs/<alg>/<hex> with exactly `size` bytes read from `content`. A blob
  // already present is skipped (content-addressed: same name, same bytes).
  virtual Status AddBlob(const oci::Digest& digest, uint64_t size, Reader* content) = 0;
  // Adds a small file at the layout root (index.json, manifest.json, ...).
  virtual Status AddFile(const std::string& name, std::string_view content) = 0;
  // The current content of a root file, when the destination already has one
  // (a layout directory being added to); nullopt otherwise.
  virtual Result<std::optional<std::string>> ExistingFile(const std::string& name) = 0;
  virtual Status Commit() = 0;
};

// Writes into directory `dir` (created when missing).
Result<std::unique_ptr<LayoutSink>> NewDirectorySink(const std::string& dir);
// Writes a tar file at `path` (atomically, on Commit).
Result<std::unique_ptr<LayoutSink>> NewTarSink(const std::string& path);

}  // namespace distill::transport
