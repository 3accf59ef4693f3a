// ContainerStore: the containers of one store, under ROOT/containers/<id>/
// (layout in container.h). Many distill processes may use it at once: a
// container's files are written atomically, names are reserved under an
// flock on ROOT/containers/.names.lock, and whether a container's monitor is
// alive is its flock on monitor.lock — never a pid that could be reused.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "exec/unique_fd.h"
#include "runtime/container.h"
#include "util/status.h"

namespace distill::runtime {

struct ContainerRecord {
  ContainerSpec spec;
  ContainerState state;
};

class ContainerStore {
 public:
  // Creates ROOT/containers when missing.
  static Result<ContainerStore> Open(const std::string& store_root);

  const std::string& dir() const { return dir_; }
  std::string DirOf(const std::string& id) const { return dir_ + "/" + id; }
  std::string LogPathOf(const std::string& id) const { return DirOf(id) + "/container.log"; }

  // Gives `spec` a new ID, and a random name when it has none, and writes its
  // directory with a "created" state. Fails when the name is taken. The files
  // of a --rm container are not fsync'd: it leaves nothing behind by design.
  Status Create(ContainerSpec* spec);

  // An unreadable state.json with no live monitor (a crash cut short a
  // write that was not synced, see WriteState) loads as exited, with the
  // reason in state.error, so that the container can still be listed and removed.
  Result<ContainerRecord> Load(const std::string& id);

  // kSynced: fsync'd before and after the rename, for what must survive a
  // power loss (the record a container leaves behind). kAtomic: rename only,
  // for the transitions of a live container (its monitor pid, "running") —
  // after a power loss nothing runs and Reconcile rewrites them anyway; this
  // keeps fsyncs off the path from `distill run` to the program's start.
  enum class Durability { kSynced, kAtomic };
  Status WriteState(const std::string& id, const ContainerState& state,
                    Durability durability = Durability::kSynced);
  // Every container, newest first. Runs Reconcile on each; `reconciled`
  // (optional) is set when any container's monitor was found dead.
  Result<std::vector<ContainerRecord>> List(bool* reconciled = nullptr);
  // An exact name, an exact ID or a unique ID prefix -> the ID.
  Result<std::string> Find(std::string_view name_or_id);
  // Deletes the container's directory (the caller made sure nothing runs).
  Status Remove(const std::string& id);

  // The monitor's lock: held for as long as the returned fd is open.
  Result<exec::UniqueFd> LockMonitor(const std::string& id);
  bool MonitorAlive(const std::string& id);
  // Waits (up to `timeout_ms`) for the monitor to let go of its lock.
  bool WaitForMonitorExit(const std::string& id, int timeout_ms);

  // A container whose monitor died (kill -9, OOM, reboot) while it was created
  // or running: kills what is left of its sandbox, records it as exited (137)
  // and returns true; the caller then lets SnapshotStore::Recover unmount its
  // root filesystem. A --rm container is removed instead.
  Result<bool> Reconcile(ContainerRecord* record);

 private:
  explicit ContainerStore(std::string dir) : dir_(std::move(dir)) {}
  Result<std::vector<std::string>> ListIds();
  std::string dir_;
};

// Kills the sandbox's pid 1 with `sig` if it is still the process the state
// recorded (same start time). Returns whether a signal was sent.
bool SignalContainer(const ContainerState& state, int sig);

}  // namespace distill::runtime
