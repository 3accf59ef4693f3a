#include "runtime/monitor.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <optional>

#include "exec/in_root.h"
#include "exec/sandbox.h"
#include "exec/unique_fd.h"
#include "exec/user_lookup.h"
#include "runtime/command.h"
#include "runtime/container_store.h"
#include "runtime/log_file.h"
#include "runtime/port_proxy.h"
#include "runtime/terminal_relay.h"
#include "snapshot/snapshot_store.h"
#include "store/image_store.h"
#include "store/store.h"
#include "util/file_system.h"

namespace distill::runtime {
namespace {

const char kDefaultPath[] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

bool HasEnv(const std::vector<std::string>& env, std::string_view key) {
  for (const std::string& e : env) {
    if (e.size() > key.size() && e.compare(0, key.size(), key) == 0 && e[key.size()] == '=') {
      return true;
    }
  }
  return false;
}

// Everything the sandbox needs that lives in the store and the rootfs.
struct Prepared {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<snapshot::SnapshotStore> snapshots;
  std::optional<snapshot::ActiveSnapshot> rootfs;
  exec::ProcessSpec process;
};

Result<std::unique_ptr<Prepared>> Prepare(const std::string& store_root, const ContainerSpec& c) {
  auto p = std::make_unique<Prepared>();
  DISTILL_ASSIGN_OR_RETURN(p->store, store::Store::Open(store_root, DefaultFileSystem()));
  DISTILL_ASSIGN_OR_RETURN(p->snapshots, snapshot::SnapshotStore::Open(p->store.get()));
  DISTILL_ASSIGN_OR_RETURN(oci::Digest digest, oci::Digest::Parse(c.image_digest));
  DISTILL_ASSIGN_OR_RETURN(store::StoredImage image,
                           store::ReadImageByDigest(*p->store, digest, c.image));
  DISTILL_ASSIGN_OR_RETURN(std::vector<store::ImageLayer> layers, store::LayersOf(image));
  std::vector<snapshot::LayerBlob> blobs;
  for (const store::ImageLayer& l : layers) blobs.push_back({l.diff_id, l.descriptor.digest});
  DISTILL_ASSIGN_OR_RETURN(oci::Digest chain, p->snapshots->EnsureUnpacked(blobs));
  DISTILL_ASSIGN_OR_RETURN(snapshot::ActiveSnapshot active, p->snapshots->Prepare(chain));
  p->rootfs.emplace(std::move(active));
  const std::string& rootfs = p->rootfs->rootfs();

  int raw_root = open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (raw_root < 0) return Status::FromErrno("open " + rootfs, errno);
  exec::UniqueFd root(raw_root);
  if (IsShellForm(c.argv) && !exec::OpenInRoot(root.get(), "/bin/sh", O_PATH).ok()) {
    return NoShellError(c.argv, c.image);
  }
  // Docker creates a missing working directory.
  if (c.cwd != "/") {
    Result<exec::UniqueFd> made =
        exec::MakeMountPointInRoot(root.get(), c.cwd, exec::MountPointKind::kDirectory);
    if (!made.ok()) return made.status().Prefixed("working directory " + c.cwd);
  }
  DISTILL_ASSIGN_OR_RETURN(exec::ResolvedUser user, exec::ResolveUserInRootfs(rootfs, c.user));

  exec::ProcessSpec& spec = p->process;
  spec.rootfs = rootfs;
  spec.argv = c.argv;
  spec.hostname = c.id.substr(0, 12);
  if (!HasEnv(c.env, "PATH")) spec.env.push_back(kDefaultPath);
  spec.env.push_back("HOSTNAME=" + spec.hostname);
  for (const std::string& e : c.env) spec.env.push_back(e);
  if (!HasEnv(spec.env, "HOME")) spec.env.push_back("HOME=" + user.home);
  spec.cwd = c.cwd;
  spec.uid = user.uid;
  spec.gid = user.gid;
  spec.supplementary_gids = user.supplementary_gids;
  spec.network = c.network == "host" ? exec::NetworkMode::kHost : exec::NetworkMode::kNone;
  spec.binds = c.binds;
  spec.limits = c.limits;
  spec.readonly_rootfs = c.readonly_rootfs;
  spec.init = c.init;
  return p;
}

}  // namespace

int ExitCodeForStartError(const Status& status) {
  return status.code() == Status::Code::kNotFound ? 127 : 125;
}

Result<int> RunMonitor(const std::string& store_root, const std::string& id,
                       const MonitorHooks& hooks) {
  DISTILL_ASSIGN_OR_RETURN(ContainerStore containers, ContainerStore::Open(store_root));
  DISTILL_ASSIGN_OR_RETURN(exec::UniqueFd lock, containers.LockMonitor(id));
  DISTILL_ASSIGN_OR_RETURN(ContainerRecord record, containers.Load(id));
  const ContainerSpec& c = record.spec;
  ContainerState state = record.state;
  state.monitor_pid = getpid();
  DISTILL_RETURN_IF_ERROR(containers.WriteState(id, state, ContainerStore::Durability::kAtomic));

  auto finish = [&](int exit_code, const std::string& error) -> Status {
    state.status = ContainerStatus::kExited;
    state.exit_code = exit_code;
    state.finished_ms = NowMs();
    state.error = error;
    if (c.auto_remove) return containers.Remove(id);
    return containers.WriteState(id, state);
  };
  auto fail = [&](const Status& s) -> Status {
    Status ignored = finish(ExitCodeForStartError(s), s.message());
    (void)ignored;
    return s;
  };

  Result<std::unique_ptr<Prepared>> prepared = Prepare(store_root, c);
  if (!prepared.ok()) return fail(prepared.status().Prefixed("container " + c.name));
  std::unique_ptr<Prepared> p = std::move(*prepared);
  // The store is let go of once the root filesystem is mounted: an open Store
  // holds the GC lock shared, and `prune` must not wait for every detached
  // container to end. What prune must then spare — the chain under the
  // overlay — is in the state before the lock goes.
  state.rootfs_chain = p->rootfs->parent().str();
  Status recorded = containers.WriteState(id, state, ContainerStore::Durability::kAtomic);
  if (!recorded.ok()) return fail(recorded);
  p->snapshots.reset();
  p->store.reset();

  state.ports = c.ports;
  Result<std::unique_ptr<PortProxy>> proxy = PortProxy::Bind(&state.ports);
  if (!proxy.ok()) return fail(proxy.status().Prefixed("container " + c.name));

  int log_raw =
      open(containers.LogPathOf(id).c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_raw < 0) return fail(Status::FromErrno("open " + containers.LogPathOf(id), errno));
  exec::UniqueFd log(log_raw);
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) < 0) return fail(Status::FromErrno("pipe", errno));
  if (pipe2(err, O_CLOEXEC) < 0) return fail(Status::FromErrno("pipe", errno));
  exec::UniqueFd out_write(out[1]), err_write(err[1]);
  p->process.stdout_fd = out_write.get();
  p->process.stderr_fd = err_write.get();
  LogPump pump(out[0], err[0], log.get(), hooks.echo_stdout, hooks.echo_stderr);

  // -t: the pty's output reaches the pump through the relay (as stdout, like
  // Docker's log of a tty container); -i: stdin is a pipe.
  RelayConfig relay_config;
  relay_config.user_input = c.interactive ? hooks.user_input : -1;
  exec::UniqueFd in_read, in_write;
  if (c.tty) {
    p->process.terminal = true;
    winsize size = {};
    if (hooks.window_size_source < 0 || ioctl(hooks.window_size_source, TIOCGWINSZ, &size) < 0 ||
        size.ws_row == 0) {
      size.ws_row = 24;
      size.ws_col = 80;
    }
    p->process.terminal_rows = size.ws_row;
    p->process.terminal_cols = size.ws_col;
    relay_config.window_size_source = hooks.window_size_source;
    relay_config.output = std::move(out_write);
    err_write.Reset();
  } else if (c.interactive) {
    int in[2];
    if (pipe2(in, O_CLOEXEC) < 0) return fail(Status::FromErrno("pipe", errno));
    in_read.Reset(in[0]);
    in_write.Reset(in[1]);
    p->process.stdin_fd = in_read.get();
    // Foreground: the relay feeds the pipe; detached: it stays open, silent.
    if (relay_config.user_input >= 0) relay_config.stdin_pipe = std::move(in_write);
  }
  TerminalRelay relay(std::move(relay_config));
  if (c.interactive && !c.tty && hooks.user_input >= 0) relay.Start();

  std::vector<std::string> warnings;
  exec::RunOptions options;
  options.warnings = &warnings;
  Status started_status;
  options.on_started = [&](pid_t pid) {
    // Only the sandbox may hold the write ends now: their EOF ends the pump.
    out_write.Reset();
    err_write.Reset();
    in_read.Reset();
    state.status = ContainerStatus::kRunning;
    state.pid = pid;
    state.pid_start_time = ProcessStartTime(pid);
    state.started_ms = NowMs();
    if (c.network != "host") {
      std::string ns = "/proc/" + std::to_string(pid) + "/ns/net";
      int raw = open(ns.c_str(), O_RDONLY | O_CLOEXEC);
      exec::UniqueFd netns(raw);
      if (raw < 0) {
        started_status = Status::FromErrno("open " + ns, errno);
      } else {
        started_status = (*proxy)->Start(netns.get());
      }
    } else {
      started_status = (*proxy)->Start(-1);
    }
    Status written = containers.WriteState(id, state, ContainerStore::Durability::kAtomic);
    if (started_status.ok()) started_status = written;
    if (hooks.on_started) hooks.on_started(state);
  };
  options.on_terminal = [&](exec::UniqueFd master) { relay.StartWithTerminal(std::move(master)); };
  Result<exec::ExitStatus> ran = exec::Run(p->process, options);
  out_write.Reset();
  err_write.Reset();
  relay.Finish();
  in_write.Reset();
  pump.Join();
  (*proxy)->Stop();
  // What could not be applied (a cgroup limit on this host) goes to the log
  // as stderr, and to the terminal of a foreground run.
  for (const std::string& w : warnings) {
    std::string line = "distill: warning: " + w + "\n";
    int fd = hooks.echo_stderr >= 0 ? hooks.echo_stderr : -1;
    if (fd >= 0 && write(fd, line.data(), line.size()) < 0) fd = -1;
    std::string entry = FormatLogEntry({"stderr", line, Rfc3339Nano(NowMs() * 1000000)});
    if (write(log.get(), entry.data(), entry.size()) < 0) fd = -1;
  }
  // Unmount the root filesystem before the state says "exited".
  p->rootfs.reset();
  if (!ran.ok()) return fail(ran.status().Prefixed("container " + c.name));
  int code = ran->signal != 0 ? 128 + ran->signal : ran->exit_code;
  DISTILL_RETURN_IF_ERROR(finish(code, ""));
  return code;
}

}  // namespace distill::runtime
