// BuildBackend::ExecuteRun: one RUN step — the parent's layers mounted as an
// overlay, the command run in the exec sandbox over it with the step's env,
// user, workdir, network and --mount's, its output streamed line by line to
// the solver, and the overlay's upper directory committed as the layer.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <memory>
#include <thread>

#include "builder/build_backend.h"
#include "builder/root_paths.h"
#include "builder/run_mounts.h"
#include "exec/sandbox.h"
#include "solver/solver.h"
#include "solver/step_text.h"
#include "store/image_store.h"

namespace distill::builder {

namespace {

const char* const kSandboxPlaceholders[] = {"/proc",      "/dev",          "/sys",
                                            "/etc/hosts", "/etc/hostname", "/etc/resolv.conf"};

// How many of the last output lines a failure message repeats.
constexpr size_t kTailLines = 10;

// Reads the step's output pipe on its own thread and hands out whole lines.
// Stop() ends it once everything already written has been read: EOF alone is
// not enough, since a sandbox another stage forks at the same moment may hold
// a copy of the write end for as long as it runs.
class OutputPump {
 public:
  OutputPump(exec::UniqueFd read_end, const solver::OutputFn& output)
      : fd_(std::move(read_end)), output_(output) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC | O_NONBLOCK) == 0) {
      stop_read_ = exec::UniqueFd(fds[0]);
      stop_write_ = exec::UniqueFd(fds[1]);
    }
    fcntl(fd_.get(), F_SETFL, fcntl(fd_.get(), F_GETFL) | O_NONBLOCK);
    thread_ = std::thread([this] { Loop(); });
  }
  // Call once the writers are dead: drains what is left, then returns.
  void Stop() {
    if (!thread_.joinable()) return;
    char byte = 0;
    while (write(stop_write_.get(), &byte, 1) < 0 && errno == EINTR) {
    }
    thread_.join();
  }
  ~OutputPump() { Stop(); }
  const std::deque<std::string>& tail() const { return tail_; }

 private:
  void Emit(std::string line) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (output_) output_(line);
    tail_.push_back(std::move(line));
    if (tail_.size() > kTailLines) tail_.pop_front();
  }
  // Reads what is available; false at EOF.
  bool Drain() {
    char buf[8192];
    for (;;) {
      ssize_t n = read(fd_.get(), buf, sizeof(buf));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return true;  // EAGAIN: nothing more for now
      if (n == 0) return false;
      pending_.append(buf, static_cast<size_t>(n));
      size_t start = 0, nl;
      while ((nl = pending_.find('\n', start)) != std::string::npos) {
        Emit(pending_.substr(start, nl - start));
        start = nl + 1;
      }
      pending_.erase(0, start);
    }
  }
  void Loop() {
    for (;;) {
      pollfd fds[2] = {{fd_.get(), POLLIN, 0}, {stop_read_.get(), POLLIN, 0}};
      if (poll(fds, 2, -1) < 0 && errno != EINTR) break;
      if (!Drain()) break;
      if (fds[1].revents & POLLIN) {
        Drain();
        break;
      }
    }
    if (!pending_.empty()) Emit(std::move(pending_));
  }

  exec::UniqueFd fd_;
  exec::UniqueFd stop_read_, stop_write_;
  const solver::OutputFn& output_;
  std::string pending_;
  std::deque<std::string> tail_;
  std::thread thread_;
};

// Whether a shell-form RUN line is nothing but one heredoc marker ("<<EOF",
// "<<-'EOF'"), so the heredoc's body is the whole script.
bool IsOnlyHeredoc(const std::string& line) {
  size_t begin = line.find_first_not_of(" \t");
  size_t end = line.find_last_not_of(" \t");
  if (begin == std::string::npos) return false;
  const std::string word = line.substr(begin, end - begin + 1);
  return word.rfind("<<", 0) == 0 && word.find_first_of(" \t") == std::string::npos;
}

std::string Absolute(const std::string& path, const std::string& cwd) {
  if (!path.empty() && path[0] == '/') return path;
  return (cwd == "/" ? "" : cwd) + "/" + path;
}

bool HasEnv(const std::vector<std::string>& env, const std::string& name) {
  for (const std::string& kv : env) {
    if (kv.compare(0, name.size() + 1, name + "=") == 0) return true;
  }
  return false;
}

}  // namespace

Result<solver::StepOutcome> BuildBackend::ExecuteRun(const solver::StepRequest& request,
                                                     const solver::OutputFn& output,
                                                     solver::CancelToken* cancel) {
  const frontend::Step& step = *request.step;
  const auto* run = step.command.As<dockerfile::RunCommand>();
  if (run->security == dockerfile::SecurityMode::kInsecure) {
    return Status::Invalid("--security=insecure is not allowed: distill runs every step sandboxed");
  }
  DISTILL_ASSIGN_OR_RETURN(StoreHandles * h, options_.pool->ForThisThread());
  const std::string& store_root = h->store->root();
  DISTILL_ASSIGN_OR_RETURN(snapshot::ActiveSnapshot active, Mount(h, *request.parent));

  exec::ProcessSpec spec;
  spec.rootfs = active.rootfs();
  spec.argv = solver::RunArgv(step);
  if (!run->command.exec_form && !run->heredocs.empty() && !spec.argv.empty()) {
    // RUN <<EOF: the shell gets the line and the heredoc bodies, and reads
    // them itself (as BuildKit passes them).
    std::string script = spec.argv.back();
    if (IsOnlyHeredoc(script) && run->heredocs.size() == 1) {
      // `RUN <<EOF`: the body is the script.
      script = run->heredocs[0].content;
    } else {
      for (const dockerfile::Heredoc& doc : run->heredocs) script += "\n" + doc.content + doc.name;
    }
    spec.argv.back() = script;
  }
  spec.hostname = options_.hostname;
  switch (run->network) {
    case dockerfile::NetworkMode::kDefault:
      spec.network = options_.default_network;
      break;
    case dockerfile::NetworkMode::kNone:
      spec.network = exec::NetworkMode::kNone;
      break;
    case dockerfile::NetworkMode::kHost:
      spec.network = exec::NetworkMode::kHost;
      break;
  }

  const std::string user = step.user.empty() ? request.parent->config.user : step.user;
  DISTILL_ASSIGN_OR_RETURN(exec::ResolvedUser who, ResolveOwner(spec.rootfs, user));
  spec.uid = who.uid;
  spec.gid = who.gid;
  spec.supplementary_gids = who.supplementary_gids;

  std::string cwd = step.working_dir;
  if ((cwd.empty() || cwd == "/") && !request.parent->config.working_dir.empty()) {
    cwd = request.parent->config.working_dir;
  }
  if (cwd.empty()) cwd = "/";
  spec.cwd = cwd;
  DISTILL_RETURN_IF_ERROR(MakeDirsInRoot(spec.rootfs, cwd, 0, 0));

  for (const auto& [k, v] : request.env) spec.env.push_back(k + "=" + v);
  for (const auto& [k, v] : request.proxy_env) {
    if (!HasEnv(spec.env, k)) spec.env.push_back(k + "=" + v);
  }
  if (!HasEnv(spec.env, "PATH")) spec.env.push_back(std::string("PATH=") + solver::kDefaultPath);
  if (!HasEnv(spec.env, "HOME")) spec.env.push_back("HOME=" + who.home);

  std::vector<std::string> placeholders(std::begin(kSandboxPlaceholders),
                                        std::end(kSandboxPlaceholders));
  auto mounts_owner = std::make_unique<RunMounts>();
  RunMounts& mounts = *mounts_owner;
  for (const dockerfile::Mount& m : run->mounts) {
    const std::string target = Absolute(m.target, cwd);
    switch (m.type) {
      case dockerfile::MountType::kCache: {
        DISTILL_ASSIGN_OR_RETURN(std::string dir, mounts.CacheDir(store_root, m));
        spec.binds.push_back({dir, target, m.read_only});
        break;
      }
      case dockerfile::MountType::kTmpfs: {
        exec::TmpfsMount t;
        t.target = target;
        if (m.size_bytes) t.size_bytes = static_cast<uint64_t>(*m.size_bytes);
        spec.tmpfs.push_back(t);
        break;
      }
      case dockerfile::MountType::kSecret: {
        // With env= and no target, the secret is an environment variable only.
        const bool as_file = !m.target.empty() || m.env.empty();
        auto it = options_.secrets.find(m.id);
        if (it == options_.secrets.end()) {
          if (m.required) {
            return Status::NotFound("secret " + m.id +
                                    " is required but was not given (pass --secret id=" + m.id +
                                    ",src=PATH)");
          }
          continue;
        }
        if (!m.env.empty()) spec.env.push_back(m.env + "=" + it->second);
        if (!as_file) continue;
        const std::string file_target = m.target.empty() ? "/run/secrets/" + m.id : target;
        DISTILL_ASSIGN_OR_RETURN(std::string file, mounts.SecretFile(store_root, it->second, m));
        spec.binds.push_back({file, file_target, true});
        placeholders.push_back(file_target);
        continue;
      }
      case dockerfile::MountType::kSsh:
        if (m.required) {
          return Status::Invalid("--mount=type=ssh: distill does not forward SSH agents");
        }
        continue;
      case dockerfile::MountType::kBind: {
        const std::string source = m.source.empty() ? "." : m.source;
        std::string host;
        if (m.from.empty()) {
          if (options_.context == nullptr) return Status::Invalid("the build has no context");
          if (!m.read_only) {
            return Status::Invalid("--mount=type=bind,rw of the build context is not supported " +
                                   std::string("(bind it read-only, or COPY it)"));
          }
          DISTILL_ASSIGN_OR_RETURN(std::string real, options_.context->Resolve(source, true));
          host = context::JoinTreePath(options_.context->root(), real);
        } else {
          // Another stage's (or an image's) rootfs, as a throw-away overlay:
          // a rw bind's changes go to its upper directory and are discarded.
          solver::ImageState state;
          auto stage = SourceStage(request, m.from);
          if (stage.ok()) {
            state = (*stage)->state;
          } else {
            auto image = ReadBaseImage(*h->store, m.from);
            if (!image.ok()) return image.status().Prefixed("--mount from=" + m.from);
            for (const solver::LayerRef& l : image->layers) solver::AppendLayer(&state, l);
          }
          DISTILL_ASSIGN_OR_RETURN(snapshot::ActiveSnapshot view, Mount(h, state));
          const snapshot::ActiveSnapshot& kept = mounts.Keep(std::move(view));
          DISTILL_ASSIGN_OR_RETURN(context::BuildContext tree,
                                   context::BuildContext::OpenStageRootfs(kept.rootfs()));
          DISTILL_ASSIGN_OR_RETURN(std::string real, tree.Resolve(source, true));
          host = context::JoinTreePath(kept.rootfs(), real);
        }
        spec.binds.push_back({host, target, m.read_only});
        break;
      }
    }
    placeholders.push_back(target);
  }

  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return Status::FromErrno("pipe", errno);
  exec::UniqueFd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
  spec.stdout_fd = write_end.get();
  spec.stderr_fd = write_end.get();
  OutputPump pump(std::move(read_end), output);

  exec::CancelToken sandbox_cancel;
  exec::RunOptions run_options;
  run_options.cancel = &sandbox_cancel;
  Result<exec::ExitStatus> status = [&] {
    solver::CancelCallback bridge(cancel, [&sandbox_cancel] { sandbox_cancel.Cancel(); });
    return exec::Run(spec, run_options);
  }();
  write_end.Reset();
  pump.Stop();
  if (!status.ok()) return status.status();
  if (!status->ok()) {
    std::string message = status->signal != 0 ? "killed by signal " + std::to_string(status->signal)
                                              : "exit code " + std::to_string(status->exit_code);
    if (!pump.tail().empty()) {
      message += "\n  last output:";
      for (const std::string& line : pump.tail()) message += "\n  > " + line;
    }
    return Status::Error(message);
  }
  // The views of other stages must be gone before committing: nothing else
  // keeps a reference to the step's rootfs then.
  mounts_owner.reset();
  return CommitStep(h, std::move(active), std::move(placeholders));
}

}  // namespace distill::builder
