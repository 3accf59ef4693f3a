// One container's records, as kept under ROOT/containers/<id>/:
//   config.json   ContainerSpec: what to run, written once when it is created
//   state.json    ContainerState: where it is in its life, rewritten atomically
//                 (temp file, fsync, rename) by the process that owns it
//   monitor.lock  flock'ed (exclusive) by the live monitor process for as long
//                 as it owns the sandbox: a free lock on a "running" container
//                 means its monitor died (see ContainerStore::Reconcile)
//   container.log the output, in Docker's json-file format (log_file.h)
// Both JSON files carry "version": 1.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "exec/process_spec.h"
#include "runtime/port_mapping.h"
#include "util/status.h"

namespace distill::runtime {

struct ContainerSpec {
  std::string id;            // 64 hex
  std::string name;          // unique among the store's containers
  std::string image;         // as the user typed it
  std::string image_digest;  // the manifest digest it resolved to
  std::vector<std::string> argv;
  std::vector<std::string> env;  // image ENV, then -e/--env-file (later wins)
  std::string user;              // USER as given (resolved inside the rootfs at start)
  std::string cwd = "/";
  std::vector<exec::BindMount> binds;
  std::string network = "private";  // "private", "none" or "host"
  std::vector<PortMapping> ports;   // host_port 0 until the container starts
  exec::ResourceLimits limits;
  bool init = false;
  bool readonly_rootfs = false;
  bool auto_remove = false;  // --rm
  bool interactive = false;  // -i: stdin stays open (forwarded in the foreground)
  bool tty = false;          // -t: a pty is the program's stdin/stdout/stderr
  std::string stop_signal = "SIGTERM";
  int64_t created_ms = 0;  // unix milliseconds
};

enum class ContainerStatus { kCreated, kRunning, kExited };

struct ContainerState {
  ContainerStatus status = ContainerStatus::kCreated;
  pid_t monitor_pid = 0;
  pid_t pid = 0;                // the sandbox's pid 1, in the host's pid namespace
  uint64_t pid_start_time = 0;  // /proc/<pid>/stat field 22: guards against pid reuse
  int exit_code = 0;
  int64_t started_ms = 0;
  int64_t finished_ms = 0;
  std::vector<PortMapping> ports;  // as bound (host ports filled in)
  std::string error;               // why it could not start, or why it ended abnormally
  // The unpacked layer chain the root filesystem overlays ("" before it is
  // mounted): prune keeps it while the container is not exited, since the
  // monitor does not hold the store open while the container runs.
  std::string rootfs_chain;
};

std::string StatusName(ContainerStatus status);

std::string SpecToJson(const ContainerSpec& spec);
Result<ContainerSpec> SpecFromJson(std::string_view json, std::string_view source);
std::string StateToJson(const ContainerState& state);
Result<ContainerState> StateFromJson(std::string_view json, std::string_view source);

int64_t NowMs();

// Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); 0 when
// the process does not exist.
uint64_t ProcessStartTime(pid_t pid);

}  // namespace distill::runtime
