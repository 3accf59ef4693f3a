// ExtractTar: applies a layer tar to a directory, safely.
//
// Safety invariant: nothing outside `root` is ever created, written, removed or
// followed. Entry paths are cleaned lexically and rejected when absolute or
// when ".." would climb out; every parent directory is then resolved inside
// the root — symlinks (planted by this layer or by earlier ones) resolve as if
// `root` were "/" (openat2 RESOLVE_IN_ROOT, or an equivalent component-by-
// component walk) — and the final component is never followed.
#pragma once

#include <optional>
#include <string>

#include "archive/tar_reader.h"
#include "util/io.h"
#include "util/status.h"

namespace distill::archive {

enum class WhiteoutMode {
  // OCI semantics: `.wh.NAME` deletes NAME from lower content already in the
  // directory; `.wh..wh..opq` removes lower content of its directory (entries
  // of this same layer stay).
  kApply,
  // Write overlayfs-style whiteouts instead (0/0 character device, opaque
  // xattr), for building a snapshot directory used as an overlay lowerdir.
  kOverlay,
};

enum class UnprivilegedDevices { kSkip, kRefuse };

struct ExtractOptions {
  WhiteoutMode whiteouts = WhiteoutMode::kApply;
  // The xattr set on opaque directories in kOverlay mode.
  std::string overlay_opaque_xattr = "trusted.overlay.opaque";
  // Privileged extraction restores owners and creates device nodes. Default:
  // privileged when running as root.
  std::optional<bool> privileged;
  // What to do with device nodes when not privileged.
  UnprivilegedDevices unprivileged_devices = UnprivilegedDevices::kSkip;
  // Names the archive in errors (e.g. "layer sha256:…").
  std::string source_name = "layer";
  // Use the portable component-by-component resolver even when openat2 exists
  // (tests exercise both).
  bool force_manual_resolution = false;
};

// Reads the whole tar from `in` and applies it under `root` (which must exist).
Status ExtractTar(Reader* in, const std::string& root, const ExtractOptions& options = {});

// Lexically cleans an archive path: drops "." and empty components, applies
// "..". Errors for absolute paths and for paths that climb above the root.
// Returns "" for the root itself.
Result<std::string> CleanArchivePath(const std::string& path);

}  // namespace distill::archive
