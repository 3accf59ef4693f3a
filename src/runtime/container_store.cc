#include "runtime/container_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "runtime/names.h"
#include "util/file_system.h"

namespace distill::runtime {
namespace {

Result<std::string> ReadText(const std::string& path) {
  return DefaultFileSystem()->ReadFile(path);
}

bool IsHexId(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// Temp file + rename, without fsync: readers see the old or the new content
// while the machine is up (see WriteState for when that is enough).
Status WriteAtomicallyUnsynced(const std::string& path, std::string_view data) {
  std::random_device rd;
  std::string tmp = path + ".tmp-" + std::to_string((uint64_t{rd()} << 32) | rd());
  int raw = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (raw < 0) return Status::FromErrno("create " + tmp, errno);
  exec::UniqueFd fd(raw);
  while (!data.empty()) {
    ssize_t n = write(fd.get(), data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status s = Status::FromErrno("write " + tmp, errno);
      unlink(tmp.c_str());
      return s;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  fd.Reset();
  if (rename(tmp.c_str(), path.c_str()) < 0) {
    Status s = Status::FromErrno("rename " + tmp + " to " + path, errno);
    unlink(tmp.c_str());
    return s;
  }
  return Status::Ok();
}

}  // namespace

Result<ContainerStore> ContainerStore::Open(const std::string& store_root) {
  std::string dir = store_root + "/containers";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Io("create " + dir + ": " + ec.message());
  return ContainerStore(dir);
}

Status ContainerStore::Create(ContainerSpec* spec) {
  std::string lock_path = dir_ + "/.names.lock";
  int raw = open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (raw < 0) return Status::FromErrno("open " + lock_path, errno);
  exec::UniqueFd lock(raw);
  if (flock(lock.get(), LOCK_EX) < 0) return Status::FromErrno("lock " + lock_path, errno);
  DISTILL_ASSIGN_OR_RETURN(std::vector<std::string> ids, ListIds());
  std::vector<std::string> names;
  for (const std::string& id : ids) {
    Result<ContainerRecord> r = Load(id);
    if (r.ok()) names.push_back(r->spec.name);
  }
  auto taken = [&](const std::string& n) {
    return std::find(names.begin(), names.end(), n) != names.end();
  };
  DISTILL_ASSIGN_OR_RETURN(spec->id, RandomContainerId());
  if (spec->name.empty()) {
    std::random_device rd;
    uint64_t r = (uint64_t{rd()} << 32) | rd();
    spec->name = RandomContainerName(r);
    for (int i = 2; taken(spec->name); ++i) spec->name = RandomContainerName(r) + std::to_string(i);
  } else {
    DISTILL_RETURN_IF_ERROR(ValidateContainerName(spec->name));
    if (taken(spec->name)) {
      return Status(Status::Code::kAlreadyExists,
                    "the container name \"" + spec->name +
                        "\" is already in use: remove that container (distill rm " + spec->name +
                        ") or choose another --name");
    }
  }
  spec->created_ms = NowMs();
  std::string dir = DirOf(spec->id);
  if (mkdir(dir.c_str(), 0700) < 0) return Status::FromErrno("create " + dir, errno);
  if (spec->auto_remove) {
    DISTILL_RETURN_IF_ERROR(WriteAtomicallyUnsynced(dir + "/config.json", SpecToJson(*spec)));
    return WriteState(spec->id, ContainerState{}, Durability::kAtomic);
  }
  DISTILL_RETURN_IF_ERROR(
      DefaultFileSystem()->WriteFileAtomically(dir + "/config.json", SpecToJson(*spec)));
  return WriteState(spec->id, ContainerState{});
}

Result<ContainerRecord> ContainerStore::Load(const std::string& id) {
  ContainerRecord r;
  std::string dir = DirOf(id);
  DISTILL_ASSIGN_OR_RETURN(std::string spec_text, ReadText(dir + "/config.json"));
  DISTILL_ASSIGN_OR_RETURN(r.spec, SpecFromJson(spec_text, dir + "/config.json"));
  Result<std::string> state_text = ReadText(dir + "/state.json");
  Result<ContainerState> state = state_text.ok() ? StateFromJson(*state_text, dir + "/state.json")
                                                 : Result<ContainerState>(state_text.status());
  if (state.ok()) {
    r.state = std::move(*state);
  } else if (state.status().code() != Status::Code::kNotFound && !MonitorAlive(id)) {
    r.state.status = ContainerStatus::kExited;
    r.state.exit_code = 137;
    r.state.error = "its state was lost in a crash: " + state.status().message();
  } else {
    return state.status();
  }
  return r;
}

Status ContainerStore::WriteState(const std::string& id, const ContainerState& state,
                                  Durability durability) {
  std::string path = DirOf(id) + "/state.json";
  if (durability == Durability::kAtomic) return WriteAtomicallyUnsynced(path, StateToJson(state));
  return DefaultFileSystem()->WriteFileAtomically(path, StateToJson(state));
}

Result<std::vector<std::string>> ContainerStore::ListIds() {
  std::vector<std::string> ids;
  DIR* d = opendir(dir_.c_str());
  if (d == nullptr) return Status::FromErrno("list " + dir_, errno);
  while (dirent* e = readdir(d)) {
    if (IsHexId(e->d_name)) ids.push_back(e->d_name);
  }
  closedir(d);
  return ids;
}

Result<std::vector<ContainerRecord>> ContainerStore::List(bool* reconciled) {
  if (reconciled != nullptr) *reconciled = false;
  DISTILL_ASSIGN_OR_RETURN(std::vector<std::string> ids, ListIds());
  std::vector<ContainerRecord> out;
  for (const std::string& id : ids) {
    Result<ContainerRecord> r = Load(id);
    // A directory without both files is one being created (or removed) right now.
    if (!r.ok()) continue;
    DISTILL_ASSIGN_OR_RETURN(bool changed, Reconcile(&*r));
    if (changed && reconciled != nullptr) *reconciled = true;
    if (std::filesystem::exists(DirOf(id))) out.push_back(std::move(*r));
  }
  std::sort(out.begin(), out.end(), [](const ContainerRecord& a, const ContainerRecord& b) {
    return a.spec.created_ms > b.spec.created_ms;
  });
  return out;
}

Result<std::string> ContainerStore::Find(std::string_view name_or_id) {
  DISTILL_ASSIGN_OR_RETURN(std::vector<std::string> ids, ListIds());
  std::vector<std::string> prefixed;
  for (const std::string& id : ids) {
    if (id == name_or_id) return id;
    Result<ContainerRecord> r = Load(id);
    if (r.ok() && r->spec.name == name_or_id) return id;
    if (!name_or_id.empty() && id.starts_with(name_or_id)) prefixed.push_back(id);
  }
  if (prefixed.size() == 1) return prefixed[0];
  if (prefixed.size() > 1) {
    return Status::Invalid("container ID prefix \"" + std::string(name_or_id) +
                           "\" is ambiguous: give more digits");
  }
  return Status::NotFound("no such container: " + std::string(name_or_id));
}

Status ContainerStore::Remove(const std::string& id) {
  std::error_code ec;
  std::filesystem::remove_all(DirOf(id), ec);
  if (ec) return Status::Io("remove " + DirOf(id) + ": " + ec.message());
  return Status::Ok();
}

Result<exec::UniqueFd> ContainerStore::LockMonitor(const std::string& id) {
  std::string path = DirOf(id) + "/monitor.lock";
  int raw = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (raw < 0) return Status::FromErrno("open " + path, errno);
  exec::UniqueFd fd(raw);
  if (flock(fd.get(), LOCK_EX | LOCK_NB) < 0) {
    return Status(Status::Code::kUnavailable, "container " + id + " already has a monitor");
  }
  return fd;
}

bool ContainerStore::MonitorAlive(const std::string& id) {
  std::string path = DirOf(id) + "/monitor.lock";
  int raw = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (raw < 0) return false;
  exec::UniqueFd fd(raw);
  if (flock(fd.get(), LOCK_SH | LOCK_NB) < 0) return errno == EWOULDBLOCK;
  return false;
}

bool ContainerStore::WaitForMonitorExit(const std::string& id, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (MonitorAlive(id)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

Result<bool> ContainerStore::Reconcile(ContainerRecord* record) {
  ContainerState& state = record->state;
  if (state.status == ContainerStatus::kExited || state.monitor_pid == 0) return false;
  if (MonitorAlive(record->spec.id)) return false;
  // The monitor is gone. Its sandbox helper died with it (parent-death
  // signal); pid 1 normally follows, but make sure.
  SignalContainer(state, SIGKILL);
  state.status = ContainerStatus::kExited;
  state.exit_code = 137;
  state.finished_ms = NowMs();
  state.error = "the container's monitor process died";
  if (record->spec.auto_remove) {
    DISTILL_RETURN_IF_ERROR(Remove(record->spec.id));
    return true;
  }
  DISTILL_RETURN_IF_ERROR(WriteState(record->spec.id, state));
  return true;
}

bool SignalContainer(const ContainerState& state, int sig) {
  if (state.pid <= 0 || state.pid_start_time == 0) return false;
  if (ProcessStartTime(state.pid) != state.pid_start_time) return false;
  return kill(state.pid, sig) == 0;
}

}  // namespace distill::runtime
