// The container verbs, one function each: what `distill run / ps / logs /
// stop / rm` call. See monitor.h for who owns a running container.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "exec/process_spec.h"
#include "runtime/container_store.h"
#include "util/status.h"

namespace distill::runtime {

// `distill run` flags.
struct RunRequest {
  std::string image;
  std::vector<std::string> args;  // after the image: replace CMD
  std::optional<std::string> entrypoint;
  std::string name;
  std::vector<std::string> env;        // -e KEY=VALUE, or KEY (taken from distill's env)
  std::vector<std::string> env_files;  // --env-file
  std::optional<std::string> user;
  std::optional<std::string> workdir;
  std::vector<std::string> volumes;  // HOST:CONTAINER[:ro|rw]
  bool read_only = false;
  std::string network = "private";
  std::vector<std::string> publish;  // -p
  bool publish_all = false;          // -P
  exec::ResourceLimits limits;
  bool init = false;
  bool auto_remove = false;
  bool interactive = false;  // -i
  bool tty = false;          // -t
};

// Resolves the image and records a new container ("created"); nothing runs yet.
Result<ContainerSpec> CreateContainer(const std::string& store_root, const RunRequest& request);

// Foreground: runs the container in this process, its output on our stdout /
// stderr (and in its log); SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and
// SIGUSR2 received meanwhile are forwarded to its pid 1. With -i our stdin is
// forwarded to it; with -i -t our terminal is in raw mode until it exits
// (restored on every path). Returns its exit status.
Result<int> RunForeground(const std::string& store_root, const ContainerSpec& container);

// Detached: starts a monitor process (double fork + setsid) and returns once
// the container runs, or with the reason it could not start.
Status StartDetached(const std::string& store_root, const std::string& id);

// Sends the stop signal (the image's STOPSIGNAL; SIGTERM by default), then
// SIGKILL after `timeout_seconds`, and waits until the monitor recorded the exit.
Status StopContainer(const std::string& store_root, const std::string& name_or_id,
                     int timeout_seconds);

// Removes a container; a running one only with `force` (killed first).
Status RemoveContainer(const std::string& store_root, const std::string& name_or_id, bool force);

// Every container (running only unless `all`), newest first; containers
// whose monitor died are recorded as exited and their mounts cleaned first.
Result<std::vector<ContainerRecord>> ListContainers(const std::string& store_root, bool all);

// The layer chains under the root filesystems of containers that are not
// exited: what `prune` must keep unpacked. Opens no Store (prune calls it
// while it holds the GC lock exclusively) and cleans no mounts.
Result<std::vector<std::string>> RootfsChainsInUse(const std::string& store_root);

// Writes the container's log to `out_fd` / `err_fd` by stream: the last `tail`
// lines (-1: all); with `follow`, keeps writing until the container exits.
Status WriteLogs(const std::string& store_root, const std::string& name_or_id, int tail,
                 bool follow, int out_fd, int err_fd);

// The container's record, found by name or ID (reconciled).
Result<ContainerRecord> InspectContainer(const std::string& store_root,
                                         const std::string& name_or_id);

// Parses "HOST:CONTAINER[:ro|rw]" (HOST absolute, must exist).
Result<exec::BindMount> ParseVolume(std::string_view spec);
// Parses an --env-file: KEY=VALUE lines, bare KEY (from `lookup`), # comments.
Result<std::vector<std::string>> ParseEnvFile(std::string_view content, std::string_view path);
// "512m", "1g", "1048576" -> bytes.
Result<uint64_t> ParseBytes(std::string_view text);

}  // namespace distill::runtime
