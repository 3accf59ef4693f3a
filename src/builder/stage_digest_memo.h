// StageDigestMemo: remembered cache-key inputs of COPY --from=<stage> (and
// RUN --mount=type=bind,from=<stage>).
//
// Such a step is keyed on the content it selects from the stage's root file
// system, as BuildKit does: a change in the source stage that leaves the
// copied files alone keeps every step after the COPY cached. Computing that
// digest needs the stage's rootfs mounted and its files read; the result only
// depends on the stage's layer chain (its chain ID fixes the content) and the
// request, so it is remembered in a small file under the store and a rebuild
// reads that file instead of mounting anything.
//
// Entries are hints, never trusted blindly: one that does not parse reads as
// a miss. Thread-safety: thread-safe (one file per entry, written atomically).
#pragma once

#include <optional>
#include <string>

#include "context/copy_request.h"
#include "oci/digest.h"
#include "util/file_system.h"
#include "util/status.h"

namespace distill::builder {

class StageDigestMemo {
 public:
  // `dir` is created on the first Put.
  StageDigestMemo(FileSystem* fs, std::string dir) : fs_(fs), dir_(std::move(dir)) {}

  std::optional<oci::Digest> Get(const oci::Digest& chain_id,
                                 const context::CopyRequest& request) const;
  Status Put(const oci::Digest& chain_id, const context::CopyRequest& request,
             const oci::Digest& digest) const;

 private:
  std::string PathFor(const oci::Digest& chain_id, const context::CopyRequest& request) const;
  FileSystem* fs_;
  std::string dir_;
};

}  // namespace distill::builder
