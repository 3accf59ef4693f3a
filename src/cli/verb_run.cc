// The container verbs: run, ps, logs, stop, rm, exec, port. Each parses its
// flags and calls one function of runtime/ (lifecycle.h, exec_in_container.h).
// Exit status: `run` and `exec` return the command's own (125 when distill
// itself failed, 126/127 when the command could not be run); the others 1 on
// an error.
#include <unistd.h>

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/verbs.h"
#include "images/table.h"
#include "runtime/exec_in_container.h"
#include "runtime/lifecycle.h"
#include "runtime/monitor.h"
#include "runtime/ps_text.h"
#include "store/store_root.h"

namespace distill::cli {
namespace {

// Report for `return Fail(...)` in the verbs' void callbacks.
void Fail(Context& ctx, const Status& st, int code = 1) {
  Report(st, ctx, code);
}

Result<std::string> Root(const Context& ctx) {
  return store::DefaultStoreRoot(ctx.root);
}

// Docker's rule: an interactive session on a pty needs the caller's terminal
// as its input; piped input takes -i alone (a pty would echo it back and
// never see the end of it).
Status CheckTerminalInput(bool interactive, bool tty) {
  if (interactive && tty && !isatty(STDIN_FILENO)) {
    return Status::Invalid(
        "the input device is not a TTY: -it needs a terminal; to pipe input, "
        "use -i without -t");
  }
  return Status::Ok();
}

void RegisterRun(CLI::App& app, Context& ctx) {
  struct Flags {
    runtime::RunRequest req;
    std::string entrypoint, user, workdir, memory;
    bool detach = false;
  };
  auto f = std::make_shared<Flags>();
  auto* verb = app.add_subcommand("run", "Run a command in a new container");
  verb->add_flag("-d,--detach", f->detach, "run in the background and print the container ID");
  verb->add_flag("--rm", f->req.auto_remove, "remove the container when it exits");
  verb->add_option("--name", f->req.name, "name of the container (default: a random one)");
  verb->add_option("-e,--env", f->req.env, "set KEY=VALUE (or pass KEY from this environment)")
      ->allow_extra_args(false);
  verb->add_option("--env-file", f->req.env_files, "read KEY=VALUE lines from a file")
      ->allow_extra_args(false);
  auto* user = verb->add_option("-u,--user", f->user, "USER[:GROUP] or UID[:GID]");
  auto* workdir =
      verb->add_option("-w,--workdir", f->workdir, "working directory in the container");
  auto* entrypoint = verb->add_option("--entrypoint", f->entrypoint,
                                      "replace the image's ENTRYPOINT (clears CMD)");
  verb->add_option("-v,--volume", f->req.volumes, "bind mount HOST:CONTAINER[:ro]")
      ->allow_extra_args(false);
  verb->add_flag("--read-only", f->req.read_only, "mount the root filesystem read-only");
  verb->add_option("--network", f->req.network,
                   "private (own namespace with loopback, default), none, or host")
      ->check(CLI::IsMember({"private", "none", "host"}));
  verb->add_option("-p,--publish", f->req.publish, "publish [IP:]HOST:CONTAINER[/tcp|udp]")
      ->allow_extra_args(false);
  verb->add_flag("-P,--publish-all", f->req.publish_all,
                 "publish every EXPOSE'd port on a random host port");
  auto* memory = verb->add_option("-m,--memory", f->memory, "memory limit (bytes, or 512m, 1g)");
  verb->add_option("--cpus", f->req.limits.cpus, "CPU quota in cores (e.g. 1.5)");
  verb->add_option("--pids-limit", f->req.limits.pids, "maximum number of processes");
  verb->add_flag("--init", f->req.init,
                 "run a minimal init as pid 1 (reaps zombies, forwards signals)");
  verb->add_flag("-i,--interactive", f->req.interactive,
                 "keep stdin open and forward it to the container");
  verb->add_flag("-t,--tty", f->req.tty,
                 "give the container a pseudo-terminal (with -i: an interactive session)");
  verb->add_option("IMAGE", f->req.image, "image to run")->required();
  // Everything after the image is the command and its arguments.
  verb->prefix_command();
  SetExamples(verb,
              "  distill run --rm busybox sh -c 'echo hello'\n"
              "  distill run --rm -it busybox sh\n"
              "  echo hello | distill run --rm -i busybox cat\n"
              "  distill run -d --name web -p 127.0.0.1:8080:80 web-image");
  verb->callback([&ctx, f, verb, user, workdir, entrypoint, memory] {
    runtime::RunRequest req = f->req;
    req.args = verb->remaining();
    if (!req.args.empty() && req.args[0] == "--") req.args.erase(req.args.begin());
    if (*user) req.user = f->user;
    if (*workdir) req.workdir = f->workdir;
    if (*entrypoint) req.entrypoint = f->entrypoint;
    if (*memory) {
      Result<uint64_t> bytes = runtime::ParseBytes(f->memory);
      if (!bytes.ok()) return Fail(ctx, bytes.status(), 125);
      req.limits.memory_bytes = *bytes;
    }
    if (f->detach && req.auto_remove) {
      // Allowed, as in Docker: the monitor removes it when it exits.
    }
    if (!f->detach) {
      if (Status s = CheckTerminalInput(req.interactive, req.tty); !s.ok()) return Fail(ctx, s);
    }
    Result<std::string> root = Root(ctx);
    if (!root.ok()) return Fail(ctx, root.status(), 125);
    Result<runtime::ContainerSpec> spec = runtime::CreateContainer(*root, req);
    if (!spec.ok()) return Fail(ctx, spec.status(), 125);
    if (f->detach) {
      Status started = runtime::StartDetached(*root, spec->id);
      if (!started.ok()) return Fail(ctx, started, runtime::ExitCodeForStartError(started));
      std::cout << spec->id << "\n";
      return;
    }
    std::cout.flush();
    Result<int> code = runtime::RunForeground(*root, *spec);
    if (!code.ok()) return Fail(ctx, code.status(), runtime::ExitCodeForStartError(code.status()));
    ctx.exit_code = *code;
  });
}

void RegisterPs(CLI::App& app, Context& ctx) {
  struct Flags {
    bool all = false, quiet = false, no_trunc = false;
  };
  auto f = std::make_shared<Flags>();
  auto* verb = app.add_subcommand("ps", "List containers");
  SetExamples(verb, "  distill ps\n  distill ps -a -q");
  verb->add_flag("-a,--all", f->all, "show every container (default: running ones)");
  verb->add_flag("-q,--quiet", f->quiet, "only show container IDs");
  verb->add_flag("--no-trunc", f->no_trunc, "do not truncate IDs and commands");
  verb->callback([&ctx, f] {
    Result<std::string> root = Root(ctx);
    if (!root.ok()) return Fail(ctx, root.status());
    auto list = runtime::ListContainers(*root, f->all);
    if (!list.ok()) return Fail(ctx, list.status());
    int64_t now = runtime::NowMs();
    std::vector<std::vector<std::string>> rows;
    for (const runtime::ContainerRecord& r : *list) {
      std::string id = f->no_trunc ? r.spec.id : r.spec.id.substr(0, 12);
      if (f->quiet) {
        std::cout << id << "\n";
        continue;
      }
      std::string command;
      if (f->no_trunc) {
        for (const std::string& a : r.spec.argv) command += (command.empty() ? "" : " ") + a;
        command = "\"" + command + "\"";
      } else {
        command = runtime::CommandColumn(r.spec.argv);
      }
      bool running = r.state.status == runtime::ContainerStatus::kRunning;
      rows.push_back({id, r.spec.image, command, runtime::CreatedColumn(r.spec.created_ms, now),
                      runtime::StatusColumn(r.state, now),
                      running ? runtime::FormatPortsColumn(r.state.ports) : "", r.spec.name});
    }
    if (f->quiet) return;
    std::cout << images::FormatTable(
        {"CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"}, rows);
  });
}

void RegisterLogs(CLI::App& app, Context& ctx) {
  struct Flags {
    std::string container;
    bool follow = false;
    std::string tail = "all";
  };
  auto f = std::make_shared<Flags>();
  auto* verb = app.add_subcommand("logs", "Show a container's output");
  SetExamples(verb, "  distill logs web\n  distill logs -f --tail 20 web");
  verb->add_flag("-f,--follow", f->follow, "keep printing until the container exits");
  verb->add_option("-n,--tail", f->tail, "number of lines from the end (default all)");
  verb->add_option("CONTAINER", f->container, "name or ID")->required();
  verb->callback([&ctx, f] {
    int tail = -1;
    if (f->tail != "all") {
      try {
        tail = std::stoi(f->tail);
      } catch (const std::exception&) {
        return Fail(ctx, Status::Invalid("invalid --tail \"" + f->tail + "\": want a number"));
      }
    }
    Result<std::string> root = Root(ctx);
    if (!root.ok()) return Fail(ctx, root.status());
    Status s =
        runtime::WriteLogs(*root, f->container, tail, f->follow, STDOUT_FILENO, STDERR_FILENO);
    if (!s.ok()) Fail(ctx, s);
  });
}

void RegisterStopRm(CLI::App& app, Context& ctx) {
  struct StopFlags {
    std::vector<std::string> containers;
    int timeout = 10;
  };
  auto sf = std::make_shared<StopFlags>();
  auto* stop = app.add_subcommand("stop", "Stop running containers (STOPSIGNAL, then SIGKILL)");
  SetExamples(stop, "  distill stop web\n  distill stop -t 2 web worker");
  stop->add_option("-t,--time", sf->timeout, "seconds to wait before SIGKILL (default 10)");
  stop->add_option("CONTAINER", sf->containers, "names or IDs")->required();
  stop->callback([&ctx, sf] {
    Result<std::string> root = Root(ctx);
    if (!root.ok()) return Fail(ctx, root.status());
    for (const std::string& c : sf->containers) {
      Status s = runtime::StopContainer(*root, c, sf->timeout);
      if (!s.ok()) {
        Fail(ctx, s);
      } else {
        std::cout << c << "\n";
      }
    }
  });
  struct RmFlags {
    std::vector<std::string> containers;
    bool force = false;
  };
  auto rf = std::make_shared<RmFlags>();
  auto* rm = app.add_subcommand("rm", "Remove containers");
  SetExamples(rm, "  distill rm web\n  distill rm -f web");
  rm->add_flag("-f,--force", rf->force, "kill and remove running containers too");
  rm->add_option("CONTAINER", rf->containers, "names or IDs")->required();
  rm->callback([&ctx, rf] {
    Result<std::string> root = Root(ctx);
    if (!root.ok()) return Fail(ctx, root.status());
    for (const std::string& c : rf->containers) {
      Status s = runtime::RemoveContainer(*root, c, rf->force);
      if (!s.ok()) {
        Fail(ctx, s);
      } else {
        std::cout << c << "\n";
      }
    }
  });
}

void RegisterExec(CLI::App& app, Context& ctx) {
  struct Flags {
    runtime::ExecRequest req;
    std::string container, user, workdir;
  };
  auto f = std::make_shared<Flags>();
  auto* verb = app.add_subcommand("exec", "Run a command in a running container");
  verb->add_option("-e,--env", f->req.env, "set KEY=VALUE")->allow_extra_args(false);
  auto* user = verb->add_option("-u,--user", f->user, "USER[:GROUP] or UID[:GID]");
  auto* workdir = verb->add_option("-w,--workdir", f->workdir, "working directory");
  verb->add_flag("-i,--interactive", f->req.interactive, "forward stdin to the command");
  verb->add_flag("-t,--tty", f->req.tty, "give the command a pseudo-terminal");
  verb->add_option("CONTAINER", f->container, "name or ID")->required();
  verb->prefix_command();
  SetExamples(verb, "  distill exec web ls /\n  distill exec -it web sh");
  verb->callback([&ctx, f, verb, user, workdir] {
    runtime::ExecRequest req = f->req;
    req.argv = verb->remaining();
    if (!req.argv.empty() && req.argv[0] == "--") req.argv.erase(req.argv.begin());
    if (*user) req.user = f->user;
    if (*workdir) req.workdir = f->workdir;
    if (Status s = CheckTerminalInput(req.interactive, req.tty); !s.ok()) return Fail(ctx, s);
    Result<std::string> root = Root(ctx);
    if (!root.ok()) return Fail(ctx, root.status(), 125);
    Result<int> code = runtime::ExecInContainer(*root, f->container, req);
    if (!code.ok()) {
      return Fail(ctx, code.status(), code.status().code() == Status::Code::kNotFound ? 127 : 126);
    }
    ctx.exit_code = *code;
  });
}

void RegisterPort(CLI::App& app, Context& ctx) {
  auto container = std::make_shared<std::string>();
  auto* verb = app.add_subcommand("port", "List a container's published ports");
  SetExamples(verb, "  distill port web");
  verb->add_option("CONTAINER", *container, "name or ID")->required();
  verb->callback([&ctx, container] {
    Result<std::string> root = Root(ctx);
    if (!root.ok()) return Fail(ctx, root.status());
    auto r = runtime::InspectContainer(*root, *container);
    if (!r.ok()) return Fail(ctx, r.status());
    if (r->state.status != runtime::ContainerStatus::kRunning) return;
    for (const runtime::PortMapping& m : r->state.ports) {
      std::cout << runtime::FormatPortLine(m) << "\n";
    }
  });
}

}  // namespace

void RegisterRunVerbs(CLI::App& app, Context& ctx) {
  RegisterRun(app, ctx);
  RegisterPs(app, ctx);
  RegisterLogs(app, ctx);
  RegisterStopRm(app, ctx);
  RegisterExec(app, ctx);
  RegisterPort(app, ctx);
}

}  // namespace distill::cli
