// The host side of RUN --mount: persistent cache directories (with their
// sharing locks), temporary secret files, and read-only or throw-away views
// of another stage's root file system. A RunMounts object owns everything it
// set up for one RUN and releases it when destroyed (locks dropped, secret
// files deleted, overlays unmounted).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "dockerfile/instructions.h"
#include "exec/process_spec.h"
#include "exec/unique_fd.h"
#include "snapshot/snapshot_store.h"
#include "util/status.h"

namespace distill::builder {

class RunMounts {
 public:
  RunMounts() = default;
  RunMounts(RunMounts&&) = default;
  ~RunMounts();

  // ROOT/cache/mounts/<sha256(id)> (or a sibling instance for `private`
  // sharing when that one is in use), created on first use with the mount's
  // mode/uid/gid. `locked` sharing waits for the other user to finish.
  Result<std::string> CacheDir(const std::string& store_root, const dockerfile::Mount& mount);

  // A file under ROOT/tmp holding `value`, with the mount's mode (default
  // 0400) and owner (default 0:0); deleted when this object dies.
  Result<std::string> SecretFile(const std::string& store_root, const std::string& value,
                                 const dockerfile::Mount& mount);

  // Keeps `snapshot` (a stage's rootfs a bind reads) mounted until the end.
  const snapshot::ActiveSnapshot& Keep(snapshot::ActiveSnapshot snapshot);

 private:
  std::vector<exec::UniqueFd> locks_;
  std::vector<std::string> secret_files_;
  std::vector<std::unique_ptr<snapshot::ActiveSnapshot>> snapshots_;
};

}  // namespace distill::builder
