#include "exec/cgroups.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

namespace distill::exec {
namespace {

const char* const kV1Controllers[] = {"cpu",        "cpuacct", "cpuset", "memory",  "devices",
                                      "freezer",    "blkio",   "pids",   "net_cls", "net_prio",
                                      "perf_event", "hugetlb", "rdma",   "misc"};

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t i = s.find(sep, start);
    out.emplace_back(s.substr(start, i == s.npos ? s.npos : i - start));
    if (i == s.npos) return out;
    start = i + 1;
  }
}

// Mountinfo escapes spaces and other bytes as \ooo.
std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' &&
        s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
      continue;
    }
    out += s[i];
  }
  return out;
}

// own path "/a/b" relative to a mount whose root is "/a" → "/b".
std::string JoinOwn(const std::string& mount_point, const std::string& mount_root,
                    const std::string& own) {
  std::string rel = own;
  if (mount_root != "/" && rel.rfind(mount_root, 0) == 0) rel = rel.substr(mount_root.size());
  if (rel == "/") rel.clear();
  return mount_point + rel;
}

Status WriteControl(const std::string& path, const std::string& value) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("open " + path, errno);
  ssize_t n = write(fd, value.data(), value.size());
  int err = errno;
  close(fd);
  if (n < 0) return Status::FromErrno("write \"" + value + "\" to " + path, err);
  return Status::Ok();
}

std::string ReadSmall(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool HasWord(std::string_view text, std::string_view word) {
  std::istringstream in{std::string(text)};
  std::string w;
  while (in >> w) {
    if (w == word) return true;
  }
  return false;
}

}  // namespace

std::string_view CgroupModeName(CgroupMode mode) {
  switch (mode) {
    case CgroupMode::kNone:
      return "none";
    case CgroupMode::kV1:
      return "v1";
    case CgroupMode::kV2:
      return "v2";
    case CgroupMode::kHybrid:
      return "hybrid";
  }
  return "unknown";
}

const CgroupHierarchy* CgroupLayout::Find(std::string_view controller,
                                          std::string_view v2_controllers) const {
  for (const CgroupHierarchy& h : hierarchies) {
    if (h.unified && HasWord(v2_controllers, controller)) return &h;
  }
  for (const CgroupHierarchy& h : hierarchies) {
    if (h.unified) continue;
    for (const std::string& c : h.controllers) {
      if (c == controller) return &h;
    }
  }
  return nullptr;
}

CgroupLayout ParseCgroupLayout(std::string_view mountinfo, std::string_view self_cgroup) {
  // /proc/self/cgroup: "N:ctrl1,ctrl2:/path", v2 is "0::/path".
  std::map<std::string, std::string> own_by_controller;
  std::string own_unified = "/";
  for (const std::string& line : Split(self_cgroup, '\n')) {
    std::vector<std::string> f = Split(line, ':');
    if (f.size() < 3) continue;
    std::string path = line.substr(f[0].size() + f[1].size() + 2);
    if (f[1].empty()) {
      own_unified = path;
      continue;
    }
    for (const std::string& c : Split(f[1], ',')) own_by_controller[c] = path;
  }

  CgroupLayout layout;
  bool v1 = false, v2 = false;
  for (const std::string& line : Split(mountinfo, '\n')) {
    std::vector<std::string> f = Split(line, ' ');
    size_t dash = 0;
    while (dash < f.size() && f[dash] != "-") ++dash;
    if (dash < 5 || dash + 3 > f.size()) continue;
    const std::string& fstype = f[dash + 1];
    std::string root = Unescape(f[3]);
    std::string mount_point = Unescape(f[4]);
    if (fstype == "cgroup2") {
      v2 = true;
      layout.hierarchies.push_back(
          {true, {}, mount_point, JoinOwn(mount_point, root, own_unified)});
    } else if (fstype == "cgroup") {
      CgroupHierarchy h;
      for (const std::string& opt : Split(f[dash + 3], ',')) {
        for (const char* known : kV1Controllers) {
          if (opt == known) h.controllers.push_back(opt);
        }
      }
      if (h.controllers.empty()) continue;  // name=systemd and the like
      v1 = true;
      h.mount_point = mount_point;
      auto own = own_by_controller.find(h.controllers[0]);
      h.own_dir = JoinOwn(mount_point, root, own == own_by_controller.end() ? "/" : own->second);
      layout.hierarchies.push_back(std::move(h));
    }
  }
  layout.mode = v1 && v2 ? CgroupMode::kHybrid
                : v1     ? CgroupMode::kV1
                : v2     ? CgroupMode::kV2
                         : CgroupMode::kNone;
  return layout;
}

Result<CgroupLayout> DetectCgroupLayout() {
  std::string mountinfo = ReadSmall("/proc/self/mountinfo");
  if (mountinfo.empty()) return Status::Io("read /proc/self/mountinfo: empty or unreadable");
  return ParseCgroupLayout(mountinfo, ReadSmall("/proc/self/cgroup"));
}

std::vector<std::string> CgroupDirsToJoin(const CgroupLayout& mine, const CgroupLayout& target) {
  std::vector<std::string> dirs;
  for (const CgroupHierarchy& t : target.hierarchies) {
    bool same = false;
    for (const CgroupHierarchy& m : mine.hierarchies) {
      same = same || (m.mount_point == t.mount_point && m.own_dir == t.own_dir);
    }
    if (!same) dirs.push_back(t.own_dir);
  }
  return dirs;
}

Status JoinCgroupsOf(pid_t pid) {
  DISTILL_ASSIGN_OR_RETURN(CgroupLayout mine, DetectCgroupLayout());
  std::string theirs = ReadSmall("/proc/" + std::to_string(pid) + "/cgroup");
  if (theirs.empty()) {
    return Status::NotFound("read /proc/" + std::to_string(pid) + "/cgroup: process gone?");
  }
  CgroupLayout target = ParseCgroupLayout(ReadSmall("/proc/self/mountinfo"), theirs);
  for (const std::string& dir : CgroupDirsToJoin(mine, target)) {
    DISTILL_RETURN_IF_ERROR(
        WriteControl(dir + "/cgroup.procs", std::to_string(getpid())).Prefixed("join cgroup"));
  }
  return Status::Ok();
}

SandboxCgroup SandboxCgroup::Create(const CgroupLayout& layout, const ResourceLimits& limits,
                                    const std::string& name, std::vector<std::string>* warnings) {
  SandboxCgroup cg;
  if (!limits.any()) return cg;
  std::string v2_controllers;
  for (const CgroupHierarchy& h : layout.hierarchies) {
    if (h.unified) v2_controllers = ReadSmall(h.own_dir + "/cgroup.controllers");
  }

  struct Setting {
    const char* controller;
    bool wanted;
    std::vector<std::pair<std::string, std::string>> v1_files, v2_files;
  };
  std::string quota = std::to_string(static_cast<long long>(std::llround(limits.cpus * 100000)));
  std::vector<Setting> settings = {
      {"memory",
       limits.memory_bytes != 0,
       {{"memory.limit_in_bytes", std::to_string(limits.memory_bytes)}},
       {{"memory.max", std::to_string(limits.memory_bytes)}, {"memory.swap.max", "0"}}},
      {"cpu",
       limits.cpus > 0,
       {{"cpu.cfs_period_us", "100000"}, {"cpu.cfs_quota_us", quota}},
       {{"cpu.max", quota + " 100000"}}},
      {"pids",
       limits.pids != 0,
       {{"pids.max", std::to_string(limits.pids)}},
       {{"pids.max", std::to_string(limits.pids)}}},
  };

  for (const Setting& s : settings) {
    if (!s.wanted) continue;
    const CgroupHierarchy* h = layout.Find(s.controller, v2_controllers);
    std::string what = std::string("cgroup (") + std::string(CgroupModeName(layout.mode)) +
                       "): " + s.controller + " limit not applied: ";
    if (h == nullptr) {
      warnings->push_back(what + "no " + s.controller + " controller is available");
      continue;
    }
    std::string parent = h->own_dir + "/distill";
    std::string dir = parent + "/" + name;
    Status st;
    if (mkdir(parent.c_str(), 0755) < 0 && errno != EEXIST) {
      st = Status::FromErrno("mkdir " + parent, errno);
    }
    if (st.ok() && h->unified) {
      // Controllers must be enabled on every level down to the leaf's parent.
      std::string enable = std::string("+") + s.controller;
      st = WriteControl(h->own_dir + "/cgroup.subtree_control", enable);
      if (st.ok()) st = WriteControl(parent + "/cgroup.subtree_control", enable);
    }
    bool created = false;
    if (st.ok()) {
      if (mkdir(dir.c_str(), 0755) < 0 && errno != EEXIST) {
        st = Status::FromErrno("mkdir " + dir, errno);
      } else {
        created = true;
      }
    }
    for (const auto& [file, value] : h->unified ? s.v2_files : s.v1_files) {
      if (!st.ok()) break;
      Status w = WriteControl(dir + "/" + file, value);
      // memory.swap.max is absent when swap accounting is off: not fatal.
      if (!w.ok() && file != "memory.swap.max") st = w;
    }
    if (!st.ok()) {
      if (created) rmdir(dir.c_str());
      warnings->push_back(what + st.message());
      continue;
    }
    bool seen = false;
    for (const std::string& d : cg.dirs_) seen = seen || d == dir;
    if (!seen) cg.dirs_.push_back(dir);
  }
  return cg;
}

Status SandboxCgroup::AddProcess(pid_t pid) const {
  for (const std::string& dir : dirs_) {
    DISTILL_RETURN_IF_ERROR(WriteControl(dir + "/cgroup.procs", std::to_string(pid)));
  }
  return Status::Ok();
}

SandboxCgroup::~SandboxCgroup() {
  for (const std::string& dir : dirs_) {
    // The last task leaves the cgroup when it is reaped, which may trail the
    // wait by a moment: retry EBUSY briefly.
    for (int i = 0; i < 200 && rmdir(dir.c_str()) < 0 && errno == EBUSY; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }
}

}  // namespace distill::exec
