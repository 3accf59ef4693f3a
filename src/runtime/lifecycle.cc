#include "runtime/lifecycle.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <thread>

#include "exec/unique_fd.h"
#include "runtime/command.h"
#include "runtime/log_file.h"
#include "runtime/monitor.h"
#include "runtime/signals.h"
#include "runtime/terminal_relay.h"
#include "snapshot/snapshot_store.h"
#include "store/image_store.h"
#include "store/store.h"
#include "util/file_system.h"

namespace distill::runtime {
namespace {

std::string KeyOf(const std::string& kv) {
  return kv.substr(0, kv.find('='));
}

// Later entries replace earlier ones with the same key, in place.
void SetEnv(std::vector<std::string>* env, const std::string& kv) {
  for (std::string& e : *env) {
    if (KeyOf(e) == KeyOf(kv)) {
      e = kv;
      return;
    }
  }
  env->push_back(kv);
}

// "-e KEY": the value comes from distill's own environment (unset: dropped).
std::optional<std::string> ExpandEnvArg(const std::string& arg) {
  if (arg.find('=') != std::string::npos) return arg;
  const char* value = std::getenv(arg.c_str());
  if (value == nullptr) return std::nullopt;
  return arg + "=" + value;
}

// Cleans what containers whose monitor died left mounted.
Status RecoverMounts(const std::string& store_root) {
  DISTILL_ASSIGN_OR_RETURN(auto s, store::Store::Open(store_root, DefaultFileSystem()));
  DISTILL_ASSIGN_OR_RETURN(auto snapshots, snapshot::SnapshotStore::Open(s.get()));
  return Status::Ok();  // Open ran Recover()
}

Result<ContainerRecord> FindAndReconcile(ContainerStore& cs, const std::string& store_root,
                                         const std::string& name_or_id) {
  DISTILL_ASSIGN_OR_RETURN(std::string id, cs.Find(name_or_id));
  DISTILL_ASSIGN_OR_RETURN(ContainerRecord r, cs.Load(id));
  DISTILL_ASSIGN_OR_RETURN(bool changed, cs.Reconcile(&r));
  if (changed) DISTILL_RETURN_IF_ERROR(RecoverMounts(store_root));
  if (changed && r.spec.auto_remove) return Status::NotFound("no such container: " + name_or_id);
  return r;
}

std::atomic<pid_t> g_foreground_pid{0};
std::atomic<int> g_pending_signal{0};

void ForwardSignal(int sig) {
  pid_t pid = g_foreground_pid.load();
  if (pid > 0) {
    kill(pid, sig);
  } else {
    g_pending_signal.store(sig);
  }
}

const int kForwardedSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};

}  // namespace

Result<exec::BindMount> ParseVolume(std::string_view spec) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (;;) {
    size_t colon = spec.find(':', start);
    parts.emplace_back(spec.substr(start, colon == std::string_view::npos ? colon : colon - start));
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  auto bad = [&](const std::string& why) {
    return Status::Invalid("invalid volume \"" + std::string(spec) + "\": " + why);
  };
  if (parts.size() < 2 || parts.size() > 3) return bad("want HOST:CONTAINER[:ro|rw]");
  exec::BindMount b;
  b.source = parts[0];
  b.target = parts[1];
  if (parts.size() == 3) {
    if (parts[2] != "ro" && parts[2] != "rw") return bad("mode must be ro or rw");
    b.readonly = parts[2] == "ro";
  }
  if (b.source.empty() || b.source[0] != '/') {
    return bad("the host path must be absolute (named volumes are not supported)");
  }
  if (b.target.empty() || b.target[0] != '/') return bad("the container path must be absolute");
  struct stat st;
  if (stat(b.source.c_str(), &st) < 0) {
    return Status::NotFound("volume host path " + b.source + ": " + std::strerror(errno));
  }
  return b;
}

Result<std::vector<std::string>> ParseEnvFile(std::string_view content, std::string_view path) {
  std::vector<std::string> out;
  int line_no = 0;
  size_t start = 0;
  while (start < content.size()) {
    size_t nl = content.find('\n', start);
    std::string line(content.substr(start, nl == std::string_view::npos ? nl : nl - start));
    start = nl == std::string_view::npos ? content.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    line = line.substr(first);
    if (line[0] == '=') {
      return Status::Invalid(std::string(path) + ":" + std::to_string(line_no) +
                             ": variable name is empty");
    }
    std::optional<std::string> kv = ExpandEnvArg(line);
    if (kv) out.push_back(*kv);
  }
  return out;
}

Result<uint64_t> ParseBytes(std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  std::string_view unit(end, static_cast<size_t>(text.data() + text.size() - end));
  uint64_t mult = 0;
  if (unit.empty() || unit == "b" || unit == "B") mult = 1;
  if (unit == "k" || unit == "K" || unit == "kb" || unit == "KB") mult = 1ull << 10;
  if (unit == "m" || unit == "M" || unit == "mb" || unit == "MB") mult = 1ull << 20;
  if (unit == "g" || unit == "G" || unit == "gb" || unit == "GB") mult = 1ull << 30;
  if (ec != std::errc() || end == text.data() || mult == 0 || value == 0) {
    return Status::Invalid("invalid size \"" + std::string(text) +
                           "\": want a positive number of bytes, optionally with b, k, m or g");
  }
  return value * mult;
}

Result<ContainerSpec> CreateContainer(const std::string& store_root, const RunRequest& req) {
  ContainerSpec spec;
  spec.name = req.name;
  spec.image = req.image;
  if (req.network != "private" && req.network != "none" && req.network != "host") {
    return Status::Invalid("invalid --network \"" + req.network + "\": want private, none or host");
  }
  spec.network = req.network;
  spec.limits = req.limits;
  spec.init = req.init;
  spec.readonly_rootfs = req.read_only;
  spec.auto_remove = req.auto_remove;
  spec.interactive = req.interactive;
  spec.tty = req.tty;
  for (const std::string& v : req.volumes) {
    DISTILL_ASSIGN_OR_RETURN(exec::BindMount b, ParseVolume(v));
    spec.binds.push_back(b);
  }
  for (const std::string& p : req.publish) {
    DISTILL_ASSIGN_OR_RETURN(PortMapping m, ParsePortMapping(p));
    spec.ports.push_back(m);
  }
  {
    // The Store is closed again before any fork (a SQLite connection must not
    // cross one).
    DISTILL_ASSIGN_OR_RETURN(auto store, store::Store::Open(store_root, DefaultFileSystem()));
    DISTILL_ASSIGN_OR_RETURN(store::StoredImage image, store::ReadImage(*store, req.image));
    spec.image_digest = image.manifest_digest.str();
    const oci::ContainerConfig& config = image.config.config;
    DISTILL_ASSIGN_OR_RETURN(spec.argv,
                             ResolveCommand(config, req.entrypoint, req.args, req.image));
    for (const std::string& e : config.env) SetEnv(&spec.env, e);
    spec.user = req.user.value_or(config.user);
    spec.cwd = req.workdir.value_or(config.working_dir.empty() ? "/" : config.working_dir);
    if (spec.cwd.empty() || spec.cwd[0] != '/') {
      return Status::Invalid("working directory \"" + spec.cwd + "\" is not absolute");
    }
    if (!config.stop_signal.empty()) {
      DISTILL_ASSIGN_OR_RETURN(int sig, ParseSignal(config.stop_signal));
      (void)sig;
      spec.stop_signal = config.stop_signal;
    }
    if (req.publish_all) {
      DISTILL_ASSIGN_OR_RETURN(std::vector<PortMapping> exposed,
                               MappingsForExposedPorts(config.exposed_ports));
      for (const PortMapping& m : exposed) spec.ports.push_back(m);
    }
  }
  for (const std::string& file : req.env_files) {
    DISTILL_ASSIGN_OR_RETURN(std::string content, DefaultFileSystem()->ReadFile(file));
    DISTILL_ASSIGN_OR_RETURN(std::vector<std::string> entries, ParseEnvFile(content, file));
    for (const std::string& e : entries) SetEnv(&spec.env, e);
  }
  for (const std::string& e : req.env) {
    if (e.empty() || e[0] == '=') return Status::Invalid("invalid -e \"" + e + "\"");
    std::optional<std::string> kv = ExpandEnvArg(e);
    if (kv) SetEnv(&spec.env, *kv);
  }
  DISTILL_ASSIGN_OR_RETURN(ContainerStore cs, ContainerStore::Open(store_root));
  DISTILL_RETURN_IF_ERROR(cs.Create(&spec));
  return spec;
}

Result<int> RunForeground(const std::string& store_root, const ContainerSpec& container) {
  MonitorHooks hooks;
  hooks.echo_stdout = STDOUT_FILENO;
  hooks.echo_stderr = STDERR_FILENO;
  if (container.interactive) hooks.user_input = STDIN_FILENO;
  if (container.tty) {
    hooks.window_size_source =
        isatty(STDIN_FILENO) ? STDIN_FILENO : (isatty(STDOUT_FILENO) ? STDOUT_FILENO : -1);
  }
  // Keys (^C included) go to the container's own terminal, as typed.
  std::optional<RawTerminal> raw;
  if (container.interactive && container.tty) {
    DISTILL_ASSIGN_OR_RETURN(RawTerminal entered, RawTerminal::Enter(STDIN_FILENO));
    raw.emplace(std::move(entered));
  }
  g_foreground_pid.store(0);
  g_pending_signal.store(0);
  struct sigaction sa {};
  sa.sa_handler = ForwardSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  struct sigaction saved[std::size(kForwardedSignals)];
  for (size_t i = 0; i < std::size(kForwardedSignals); ++i) {
    sigaction(kForwardedSignals[i], &sa, &saved[i]);
  }
  hooks.on_started = [](const ContainerState& state) {
    g_foreground_pid.store(state.pid);
    int pending = g_pending_signal.exchange(0);
    if (pending != 0) kill(state.pid, pending);
  };
  Result<int> code = RunMonitor(store_root, container.id, hooks);
  g_foreground_pid.store(0);
  for (size_t i = 0; i < std::size(kForwardedSignals); ++i) {
    sigaction(kForwardedSignals[i], &saved[i], nullptr);
  }
  return code;
}

Status StartDetached(const std::string& store_root, const std::string& id) {
  int report[2];
  if (pipe2(report, O_CLOEXEC) < 0) return Status::FromErrno("pipe", errno);
  exec::UniqueFd report_read(report[0]), report_write(report[1]);
  pid_t child = fork();
  if (child < 0) return Status::FromErrno("fork the container monitor", errno);
  if (child == 0) {
    report_read.Reset();
    setsid();
    pid_t monitor = fork();
    if (monitor != 0) _exit(monitor < 0 ? 1 : 0);
    // The monitor: no terminal, no inherited stdio.
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
      dup2(null, 0);
      dup2(null, 1);
      dup2(null, 2);
      if (null > 2) close(null);
    }
    if (chdir("/") < 0) _exit(1);
    signal(SIGPIPE, SIG_IGN);
    int fd = report_write.Release();
    MonitorHooks hooks;
    hooks.on_started = [fd](const ContainerState&) {
      ssize_t ignored = write(fd, "ok\n", 3);
      (void)ignored;
      close(fd);
    };
    Result<int> code = RunMonitor(store_root, id, hooks);
    if (!code.ok()) {
      std::string msg = "error " + code.status().message();
      ssize_t ignored = write(fd, msg.data(), msg.size());
      (void)ignored;
    }
    _exit(code.ok() ? 0 : 1);
  }
  report_write.Reset();
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  std::string reply;
  char buf[4096];
  for (;;) {
    ssize_t n = read(report_read.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    reply.append(buf, static_cast<size_t>(n));
  }
  if (reply.starts_with("ok")) return Status::Ok();
  if (reply.starts_with("error ")) return Status::Error(reply.substr(6));
  return Status::Error("the monitor of container " + id.substr(0, 12) +
                       " exited before the container started");
}

Status StopContainer(const std::string& store_root, const std::string& name_or_id,
                     int timeout_seconds) {
  DISTILL_ASSIGN_OR_RETURN(ContainerStore cs, ContainerStore::Open(store_root));
  DISTILL_ASSIGN_OR_RETURN(ContainerRecord r, FindAndReconcile(cs, store_root, name_or_id));
  if (r.state.status != ContainerStatus::kRunning) return Status::Ok();
  DISTILL_ASSIGN_OR_RETURN(int sig, ParseSignal(r.spec.stop_signal));
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, r.state.pid, 0));
  exec::UniqueFd pid_fd(pidfd);
  if (pidfd >= 0 && SignalContainer(r.state, sig)) {
    pollfd p = {pid_fd.get(), POLLIN, 0};
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      if (left <= 0) break;
      int n = poll(&p, 1, static_cast<int>(left));
      if (n < 0 && errno == EINTR) continue;
      break;
    }
  }
  SignalContainer(r.state, SIGKILL);
  if (!cs.WaitForMonitorExit(r.spec.id, 30000)) {
    return Status(Status::Code::kUnavailable,
                  "container " + name_or_id + " was killed but its monitor did not exit");
  }
  return Status::Ok();
}

Status RemoveContainer(const std::string& store_root, const std::string& name_or_id, bool force) {
  DISTILL_ASSIGN_OR_RETURN(ContainerStore cs, ContainerStore::Open(store_root));
  DISTILL_ASSIGN_OR_RETURN(ContainerRecord r, FindAndReconcile(cs, store_root, name_or_id));
  if (r.state.status != ContainerStatus::kExited && cs.MonitorAlive(r.spec.id)) {
    if (!force) {
      return Status(Status::Code::kUnavailable,
                    "container " + name_or_id + " is running: stop it first or use rm -f");
    }
    SignalContainer(r.state, SIGKILL);
    if (!cs.WaitForMonitorExit(r.spec.id, 30000)) {
      return Status(Status::Code::kUnavailable,
                    "container " + name_or_id + " was killed but its monitor did not exit");
    }
  }
  return cs.Remove(r.spec.id);
}

Result<std::vector<ContainerRecord>> ListContainers(const std::string& store_root, bool all) {
  DISTILL_ASSIGN_OR_RETURN(ContainerStore cs, ContainerStore::Open(store_root));
  bool any_died = false;
  DISTILL_ASSIGN_OR_RETURN(std::vector<ContainerRecord> records, cs.List(&any_died));
  std::vector<ContainerRecord> out;
  for (ContainerRecord& r : records) {
    if (all || r.state.status == ContainerStatus::kRunning) out.push_back(std::move(r));
  }
  if (any_died) DISTILL_RETURN_IF_ERROR(RecoverMounts(store_root));
  return out;
}

Result<std::vector<std::string>> RootfsChainsInUse(const std::string& store_root) {
  DISTILL_ASSIGN_OR_RETURN(ContainerStore cs, ContainerStore::Open(store_root));
  DISTILL_ASSIGN_OR_RETURN(std::vector<ContainerRecord> records, cs.List());
  std::vector<std::string> chains;
  for (const ContainerRecord& r : records) {
    if (r.state.status != ContainerStatus::kExited && !r.state.rootfs_chain.empty()) {
      chains.push_back(r.state.rootfs_chain);
    }
  }
  return chains;
}

Result<ContainerRecord> InspectContainer(const std::string& store_root,
                                         const std::string& name_or_id) {
  DISTILL_ASSIGN_OR_RETURN(ContainerStore cs, ContainerStore::Open(store_root));
  return FindAndReconcile(cs, store_root, name_or_id);
}

Status WriteLogs(const std::string& store_root, const std::string& name_or_id, int tail,
                 bool follow, int out_fd, int err_fd) {
  DISTILL_ASSIGN_OR_RETURN(ContainerStore cs, ContainerStore::Open(store_root));
  DISTILL_ASSIGN_OR_RETURN(ContainerRecord r, FindAndReconcile(cs, store_root, name_or_id));
  std::string path = cs.LogPathOf(r.spec.id);
  int raw = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (raw < 0 && errno != ENOENT) return Status::FromErrno("open " + path, errno);
  exec::UniqueFd log(raw);
  std::string pending;
  auto emit = [&](const std::string& line) -> Status {
    DISTILL_ASSIGN_OR_RETURN(LogEntry e, ParseLogEntry(line));
    int fd = e.stream == "stderr" ? err_fd : out_fd;
    std::string_view data = e.text;
    while (!data.empty()) {
      ssize_t n = write(fd, data.data(), data.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Status::FromErrno("write logs", errno);
      data.remove_prefix(static_cast<size_t>(n));
    }
    return Status::Ok();
  };
  // Reads what is in the file now into complete lines.
  auto read_lines = [&](std::deque<std::string>* lines) {
    char buf[65536];
    for (;;) {
      if (!log.valid()) return;
      ssize_t n = read(log.get(), buf, sizeof(buf));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      pending.append(buf, static_cast<size_t>(n));
    }
    size_t start = 0, nl;
    while ((nl = pending.find('\n', start)) != std::string::npos) {
      lines->push_back(pending.substr(start, nl - start));
      start = nl + 1;
    }
    pending.erase(0, start);
  };
  std::deque<std::string> lines;
  read_lines(&lines);
  if (tail >= 0) {
    while (lines.size() > static_cast<size_t>(tail)) lines.pop_front();
  }
  for (const std::string& l : lines) DISTILL_RETURN_IF_ERROR(emit(l));
  if (!follow) return Status::Ok();
  // Follow: poll the file while the monitor lives, then drain what is left.
  for (;;) {
    bool alive = cs.MonitorAlive(r.spec.id);
    if (!log.valid()) log.Reset(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    lines.clear();
    read_lines(&lines);
    for (const std::string& l : lines) DISTILL_RETURN_IF_ERROR(emit(l));
    if (!alive) return Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace distill::runtime
