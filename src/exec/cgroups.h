// Resource limits through cgroups, on whatever this host runs: cgroup v2 only,
// v1 only, or hybrid (v1 controllers plus a v2 "unified" mount). For each
// limited resource the v2 controller is used when the unified hierarchy has
// it, else the v1 controller's hierarchy. A limit that cannot be set anywhere
// is reported as a warning and the process runs without it: a missing cgroup
// controller never fails a build step.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "exec/process_spec.h"
#include "util/status.h"

namespace distill::exec {

enum class CgroupMode { kNone, kV1, kV2, kHybrid };
std::string_view CgroupModeName(CgroupMode mode);

// One mounted cgroup hierarchy and where this process sits in it.
struct CgroupHierarchy {
  bool unified = false;                  // cgroup2
  std::vector<std::string> controllers;  // v1: from the mount options
  std::string mount_point;               // e.g. /sys/fs/cgroup/pids
  std::string own_dir;                   // this process's cgroup directory in it
};

struct CgroupLayout {
  CgroupMode mode = CgroupMode::kNone;
  std::vector<CgroupHierarchy> hierarchies;
  // The hierarchy holding `controller`, v2 preferred when it offers it.
  // `v2_controllers` is the content of the unified cgroup.controllers file.
  const CgroupHierarchy* Find(std::string_view controller, std::string_view v2_controllers) const;
};

// Pure: from the text of /proc/self/mountinfo and /proc/self/cgroup.
CgroupLayout ParseCgroupLayout(std::string_view mountinfo, std::string_view self_cgroup);
// Reads this process's files.
Result<CgroupLayout> DetectCgroupLayout();

// The directories, one per hierarchy, where `target` (a layout parsed from
// another process's /proc/PID/cgroup) sits apart from `mine`: what a process
// must join to share the other's limits.
std::vector<std::string> CgroupDirsToJoin(const CgroupLayout& mine, const CgroupLayout& target);
// Moves the calling process into the cgroups of process `pid` (`distill exec`:
// the container's limits then cover the exec'd command and its children).
Status JoinCgroupsOf(pid_t pid);

// The cgroup directories of one sandbox; removed on destruction (after the
// sandbox's processes are gone).
class SandboxCgroup {
 public:
  // Creates `name` below a "distill" directory in each hierarchy needed by
  // `limits` and writes the limits. Never fails: what cannot be done is
  // appended to `warnings`.
  static SandboxCgroup Create(const CgroupLayout& layout, const ResourceLimits& limits,
                              const std::string& name, std::vector<std::string>* warnings);
  SandboxCgroup(SandboxCgroup&& o) noexcept : dirs_(std::move(o.dirs_)) { o.dirs_.clear(); }
  SandboxCgroup& operator=(SandboxCgroup&&) = delete;
  SandboxCgroup(const SandboxCgroup&) = delete;
  ~SandboxCgroup();

  // Moves `pid` into every created cgroup (before it execs).
  Status AddProcess(pid_t pid) const;
  const std::vector<std::string>& dirs() const { return dirs_; }

 private:
  SandboxCgroup() = default;
  std::vector<std::string> dirs_;
};

}  // namespace distill::exec
