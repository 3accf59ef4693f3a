// Integration tests of the sandbox: run as root on the real kernel, in a tiny
// rootfs made of the host's static busybox.
#include "exec/sandbox.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "exec/cgroups.h"
#include "exec/user_lookup.h"

namespace distill::exec {
namespace {

namespace fs = std::filesystem;

const char kBusybox[] = "/bin/busybox";
const char* const kApplets[] = {"sh",   "cat",      "echo",  "ls", "hostname", "id",    "sleep",
                                "grep", "touch",    "mkdir", "wc", "unshare",  "mount", "true",
                                "tr",   "readlink", "sort",  "[",  "test",     "tty",   "stty"};

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Outcome {
  Result<ExitStatus> status = Status::Error("not run");
  std::string out, err;
  std::vector<std::string> warnings;
};

class SandboxTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (geteuid() != 0 || !fs::exists(kBusybox)) return;
    char tmpl[] = "/tmp/distill-sandbox-rootfs-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    fs::permissions(root_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                               fs::perms::others_read | fs::perms::others_exec);
    fs::create_directories(root_ + "/bin");
    fs::create_directories(root_ + "/etc");
    fs::create_directories(root_ + "/tmp");
    fs::copy_file(kBusybox, root_ + "/bin/busybox");
    for (const char* a : kApplets) fs::create_symlink("busybox", root_ + "/bin/" + a);
    std::ofstream(root_ + "/etc/passwd") << "root:x:0:0:root:/root:/bin/sh\n"
                                            "app:x:1000:1000::/home/app:/bin/sh\n";
    std::ofstream(root_ + "/etc/group") << "root:x:0:\nwheel:x:10:app\napp:x:1000:\n"
                                           "audio:x:29:app\n";
  }
  static void TearDownTestSuite() {
    if (!root_.empty()) fs::remove_all(root_);
  }
  void SetUp() override {
    if (root_.empty()) GTEST_SKIP() << "needs root and " << kBusybox;
    mountinfo_before_ = Mounts();
  }
  void TearDown() override {
    // The host's mount table is unchanged after every run, whatever happened.
    if (!root_.empty()) {
      EXPECT_EQ(Mounts(), mountinfo_before_);
    }
  }
  static std::string Mounts() { return ReadAll("/proc/self/mountinfo"); }

  ProcessSpec Spec(const std::string& script) {
    ProcessSpec spec;
    spec.rootfs = root_;
    spec.argv = {"sh", "-c", script};
    spec.env = {"PATH=/bin"};
    spec.hostname = "sandboxed";
    return spec;
  }
  Outcome RunSpec(const ProcessSpec& spec, CancelToken* cancel = nullptr) {
    Outcome o;
    RunOptions opts;
    opts.captured_stdout = &o.out;
    opts.captured_stderr = &o.err;
    opts.warnings = &o.warnings;
    opts.cancel = cancel;
    o.status = exec::Run(spec, opts);
    return o;
  }
  Outcome RunSh(const std::string& script) { return RunSpec(Spec(script)); }

  static std::string root_;
  std::string mountinfo_before_;
};
std::string SandboxTest::root_;

#define EXPECT_EXIT_CODE(o, code)                                                             \
  do {                                                                                        \
    ASSERT_TRUE((o).status.ok()) << (o).status.status().message();                            \
    EXPECT_EQ((o).status->exit_code, code) << "stdout: " << (o).out << "stderr: " << (o).err; \
  } while (0)

TEST_F(SandboxTest, ExitCodesAndCapture) {
  Outcome ok = RunSh("echo hello; echo oops >&2");
  EXPECT_EXIT_CODE(ok, 0);
  EXPECT_EQ(ok.out, "hello\n");
  EXPECT_EQ(ok.err, "oops\n");
  Outcome three = RunSh("exit 3");
  EXPECT_EXIT_CODE(three, 3);
  // The program's own 127 is an exit status, not a setup error.
  Outcome own127 = RunSh("exit 127");
  EXPECT_EXIT_CODE(own127, 127);
  // Pid 1 of a namespace cannot be killed from inside it, not even by itself.
  Outcome unkillable = RunSh("kill -9 $$; echo alive");
  EXPECT_EXIT_CODE(unkillable, 0);
  EXPECT_EQ(unkillable.out, "alive\n");
  Outcome segv = RunSh("sh -c 'kill -SEGV $$'; echo $?");
  EXPECT_EXIT_CODE(segv, 0);
  EXPECT_EQ(segv.out, "139\n");
}

TEST_F(SandboxTest, PidOneAndNoHostProcesses) {
  Outcome o = RunSh("echo $$; ls /proc | grep -c '^[0-9]'");
  EXPECT_EXIT_CODE(o, 0);
  std::istringstream in(o.out);
  int pid = 0, count = 0;
  in >> pid >> count;
  EXPECT_EQ(pid, 1);
  EXPECT_LE(count, 4);  // sh, ls, grep (+ a subshell)
}

TEST_F(SandboxTest, Hostname) {
  Outcome o = RunSh("hostname; cat /etc/hostname; grep -c sandboxed /etc/hosts");
  EXPECT_EXIT_CODE(o, 0);
  EXPECT_EQ(o.out, "sandboxed\nsandboxed\n1\n");
  Outcome ro = RunSh("echo x > /etc/hosts");
  ASSERT_TRUE(ro.status.ok());
  EXPECT_NE(ro.status->exit_code, 0);
}

TEST_F(SandboxTest, MaskedAndReadonlyPaths) {
  // Paths this kernel lacks count as hidden too.
  Outcome o = RunSh(
      "for p in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug; do "
      "  if [ -e $p ]; then wc -c < $p; else echo 0; fi; done; "
      "ls /proc/acpi 2>/dev/null | wc -l; echo 1 > /proc/sysrq-trigger || echo ro");
  EXPECT_EXIT_CODE(o, 0);
  EXPECT_EQ(o.out, "0\n0\n0\n0\n0\nro\n");
}

TEST_F(SandboxTest, SysIsReadonly) {
  Outcome o = RunSh(
      "touch /sys/x 2>/dev/null && echo writable; "
      "grep ' /sys ' /proc/mounts | grep -c ' ro,'");
  EXPECT_EXIT_CODE(o, 0);
  EXPECT_EQ(o.out, "1\n");
}

TEST_F(SandboxTest, CannotMountOrUnshare) {
  Outcome o = RunSh("mount -t tmpfs none /tmp; echo m=$?; unshare -m true; echo u=$?");
  EXPECT_EXIT_CODE(o, 0);
  EXPECT_NE(o.out.find("m=1"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("u=1"), std::string::npos) << o.out;
  EXPECT_NE(o.err.find("Operation not permitted"), std::string::npos) << o.err;
}

TEST_F(SandboxTest, CapabilitiesSeccompNoNewPrivs) {
  Outcome o = RunSh("grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|Seccomp|NoNewPrivs):' /proc/self/status");
  EXPECT_EXIT_CODE(o, 0);
  EXPECT_NE(o.out.find("CapEff:\t00000000a80425fb"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("CapPrm:\t00000000a80425fb"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("CapBnd:\t00000000a80425fb"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("CapAmb:\t0000000000000000"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("Seccomp:\t2"), std::string::npos) << o.out;
  EXPECT_NE(o.out.find("NoNewPrivs:\t1"), std::string::npos) << o.out;
}

TEST_F(SandboxTest, OnlyStdioIsInherited) {
  int leaked = open("/proc/self/status", O_RDONLY);  // deliberately not CLOEXEC
  ASSERT_GE(leaked, 3);
  Outcome o = RunSh("ls /proc/self/fd | sort | tr '\\n' ' '");
  close(leaked);
  EXPECT_EXIT_CODE(o, 0);
  EXPECT_EQ(o.out, "0 1 2 3 ");  // 3: the directory ls is reading
}

TEST_F(SandboxTest, NetworkNoneHasOnlyLoopbackUp) {
  Outcome o = RunSh("ls /sys/class/net; cat /sys/class/net/lo/flags");
  EXPECT_EXIT_CODE(o, 0);
  EXPECT_EQ(o.out, "lo\n0x9\n");  // IFF_UP | IFF_LOOPBACK
}

TEST_F(SandboxTest, NetworkHostSeesHostInterfaces) {
  std::string host;
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator("/sys/class/net")) {
    names.push_back(e.path().filename());
  }
  std::sort(names.begin(), names.end());
  for (const auto& n : names) host += n + "\n";
  ProcessSpec spec = Spec("ls /sys/class/net");
  spec.network = NetworkMode::kHost;
  Outcome o = RunSpec(spec);
  EXPECT_EXIT_CODE(o, 0);
  EXPECT_EQ(o.out, host);
}

TEST_F(SandboxTest, UserSwitchFromImagePasswd) {
  auto user = ResolveUserInRootfs(root_, "app");
  ASSERT_TRUE(user.ok()) << user.status().message();
  ProcessSpec spec = Spec("id -u; id -g; id -G; grep CapEff /proc/self/status");
  spec.uid = user->uid;
  spec.gid = user->gid;
  spec.supplementary_gids = user->supplementary_gids;
  Outcome o = RunSpec(spec);
  EXPECT_EXIT_CODE(o, 0);
  EXPECT_EQ(o.out, "1000\n1000\n1000 10 29\nCapEff:\t0000000000000000\n");
}

TEST_F(SandboxTest, ExtraMounts) {
  std::string host_dir = root_ + "-data";
  fs::create_directories(host_dir);
  std::ofstream(host_dir + "/f") << "data";
  ProcessSpec spec = Spec(
      "cat /mnt/data/f; touch /mnt/data/x 2>/dev/null && echo rw-bind; "
      "echo t > /scratch/t && cat /scratch/t; grep ' /scratch ' /proc/mounts | grep -c size=1024k");
  spec.binds.push_back({host_dir, "/mnt/data", true});
  spec.tmpfs.push_back({"/scratch", 1024 * 1024, 01777});
  Outcome o = RunSpec(spec);
  fs::remove_all(host_dir);
  EXPECT_EXIT_CODE(o, 0);
  EXPECT_EQ(o.out, "datat\n1\n");
}

TEST_F(SandboxTest, ExecFailuresAreErrorsNotExitCodes) {
  ProcessSpec spec = Spec("");
  spec.argv = {"/bin/nothere"};
  Outcome missing = RunSpec(spec);
  ASSERT_FALSE(missing.status.ok());
  EXPECT_EQ(missing.status.status().message(),
            "exec /bin/nothere: no such file or directory in the image (or its dynamic loader "
            "is missing)");
  spec.argv = {"nothere"};
  Outcome not_in_path = RunSpec(spec);
  ASSERT_FALSE(not_in_path.status.ok());
  EXPECT_NE(not_in_path.status.status().message().find("executable file not found in $PATH"),
            std::string::npos);
  spec.argv = {"/etc/passwd"};
  Outcome not_exec = RunSpec(spec);
  ASSERT_FALSE(not_exec.status.ok());
  EXPECT_NE(not_exec.status.status().message().find("exec /etc/passwd: Permission denied"),
            std::string::npos)
      << not_exec.status.status().message();
}

TEST_F(SandboxTest, NoShellInImage) {
  char tmpl[] = "/tmp/distill-empty-rootfs-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  ProcessSpec spec = Spec("true");
  spec.rootfs = tmpl;
  spec.argv = {"/bin/sh", "-c", "true"};
  Outcome o = RunSpec(spec);
  fs::remove_all(tmpl);
  ASSERT_FALSE(o.status.ok());
  EXPECT_EQ(o.status.status().message(),
            "exec /bin/sh: no such file or directory in the image (the image has no shell?)");
}

TEST_F(SandboxTest, MissingWorkingDirectory) {
  ProcessSpec spec = Spec("true");
  spec.cwd = "/does/not/exist";
  Outcome o = RunSpec(spec);
  ASSERT_FALSE(o.status.ok());
  EXPECT_EQ(o.status.status().message(),
            "chdir to working directory /does/not/exist: No such file or directory");
}

TEST_F(SandboxTest, InvalidSpecs) {
  ProcessSpec spec = Spec("true");
  spec.argv.clear();
  EXPECT_EQ(exec::Run(spec).status().code(), Status::Code::kInvalidArgument);
  spec = Spec("true");
  spec.rootfs = "/nonexistent/rootfs";
  EXPECT_FALSE(exec::Run(spec).ok());
  spec = Spec("true");
  spec.cwd = "relative";
  EXPECT_EQ(exec::Run(spec).status().code(), Status::Code::kInvalidArgument);
  spec = Spec("true");
  spec.rootfs = "/";
  EXPECT_EQ(exec::Run(spec).status().code(), Status::Code::kInvalidArgument);
}

// Starts `sleep 1000` with stdout on our pipe; returns once it is running.
class CancelTest : public SandboxTest {
 protected:
  void StartSleeper(CancelToken* token) {
    ASSERT_EQ(pipe2(ready_, O_CLOEXEC), 0);
    ProcessSpec spec = Spec("echo ready; exec sleep 1000");
    spec.stdout_fd = ready_[1];
    worker_ = std::thread([this, spec, token] {
      RunOptions opts;  // no capture: stdout goes to our pipe
      opts.cancel = token;
      result_ = exec::Run(spec, opts);
    });
    char buf[6] = {};
    ASSERT_EQ(read(ready_[0], buf, 6), 6);
    EXPECT_EQ(std::string(buf, 6), "ready\n");
    started_ = std::chrono::steady_clock::now();
  }
  void ExpectCancelledPromptly() {
    worker_.join();
    close(ready_[0]);
    close(ready_[1]);
    auto took = std::chrono::steady_clock::now() - started_;
    EXPECT_LT(took, std::chrono::seconds(5));
    ASSERT_FALSE(result_.ok());
    EXPECT_EQ(result_.status().code(), Status::Code::kCancelled);
  }
  int ready_[2] = {-1, -1};
  std::thread worker_;
  Result<ExitStatus> result_ = Status::Error("not run");
  std::chrono::steady_clock::time_point started_;
};

TEST_F(CancelTest, CancelKillsTheSandbox) {
  CancelToken token;
  StartSleeper(&token);
  token.Cancel();
  ExpectCancelledPromptly();
}

TEST_F(CancelTest, InterruptSignalCancels) {
  CancelToken token;
  ASSERT_TRUE(CancelOnInterrupt(&token).ok());
  StartSleeper(&token);
  kill(getpid(), SIGINT);
  ExpectCancelledPromptly();
  ASSERT_TRUE(CancelOnInterrupt(nullptr).ok());
}

TEST_F(SandboxTest, PidsLimitAppliedOrWarned) {
  ProcessSpec spec = Spec("for i in 1 2 3 4 5 6 7 8; do sleep 1000 & done; echo done");
  spec.limits.pids = 4;
  Outcome o = RunSpec(spec);
  ASSERT_TRUE(o.status.ok()) << o.status.status().message();
  auto layout = DetectCgroupLayout();
  ASSERT_TRUE(layout.ok());
  if (!o.warnings.empty()) {
    EXPECT_NE(o.warnings[0].find("pids limit not applied"), std::string::npos);
    GTEST_SKIP() << o.warnings[0];
  }
  EXPECT_NE(o.err.find("can't fork"), std::string::npos) << o.err;
  // The sandbox's cgroup is gone.
  for (const auto& h : layout->hierarchies) {
    if (!fs::exists(h.own_dir + "/distill")) continue;
    for (const auto& e : fs::directory_iterator(h.own_dir + "/distill")) {
      EXPECT_EQ(e.path().filename().string().rfind("run-" + std::to_string(getpid()) + "-", 0),
                std::string::npos)
          << e.path();
    }
  }
}

}  // namespace
}  // namespace distill::exec

namespace distill::exec {
namespace {

TEST_F(SandboxTest, ProgramLeadsItsOwnSessionWithoutATerminal) {
  // Field 6 of /proc/self/stat is the session: pid 1's own, and no terminal
  // (field 7, tty_nr, is 0), so distill's terminal is out of reach.
  Outcome o = RunSh("set -- $(cat /proc/$$/stat); echo $6 $7; tty");
  ASSERT_TRUE(o.status.ok()) << o.status.status().message();
  EXPECT_EQ(o.out.substr(0, 4), "1 0\n") << o.out;
  EXPECT_NE(o.status->exit_code, 0);  // tty: not a tty
}

// Reads the pty's output until it hangs up (the sandbox's processes are gone).
std::string ReadUntilHangup(int fd) {
  std::string out;
  char buf[1024];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return out;
    out.append(buf, static_cast<size_t>(n));
  }
}

TEST_F(SandboxTest, TerminalIsAPtyOfTheSandboxAndItsControllingTerminal) {
  for (bool init : {false, true}) {
    ProcessSpec spec = Spec("tty; stty size; read line; echo got $line; exit 7");
    spec.terminal = true;
    spec.terminal_rows = 33;
    spec.terminal_cols = 99;
    spec.init = init;
    spec.uid = 1000;
    spec.gid = 1000;
    RunOptions opts;
    std::string out;
    std::thread reader;
    opts.on_terminal = [&](UniqueFd master) {
      ASSERT_EQ(write(master.get(), "typed\n", 6), 6);
      reader = std::thread([&out, m = std::move(master)]() { out = ReadUntilHangup(m.get()); });
    };
    Result<ExitStatus> st = exec::Run(spec, opts);
    if (reader.joinable()) reader.join();
    ASSERT_TRUE(st.ok()) << st.status().message();
    EXPECT_EQ(st->exit_code, 7) << out;
    EXPECT_NE(out.find("/dev/pts/0\r\n"), std::string::npos) << out;
    EXPECT_NE(out.find("33 99\r\n"), std::string::npos) << out;
    EXPECT_NE(out.find("got typed\r\n"), std::string::npos) << out;
  }
}

TEST_F(SandboxTest, ReadonlyRootfs) {
  ProcessSpec spec = Spec("touch /tmp/x 2>/dev/null && echo wrote || echo refused");
  spec.readonly_rootfs = true;
  Outcome o = RunSpec(spec);
  EXPECT_EXIT_CODE(o, 0);
  EXPECT_EQ(o.out, "refused\n");
  spec.readonly_rootfs = false;
  spec.argv = {"sh", "-c", "touch /tmp/x && echo wrote; rm /tmp/x"};
  Outcome rw = RunSpec(spec);
  EXPECT_EXIT_CODE(rw, 0);
  EXPECT_EQ(rw.out, "wrote\n");
}

TEST_F(SandboxTest, InitReapsAndForwardsSignals) {
  // Under --init the program is not pid 1, and a signal sent to pid 1 from the
  // host reaches it: a trap-less sleep dies of SIGTERM, reported as 128+15.
  ProcessSpec spec = Spec("echo $$; exec sleep 30");
  spec.init = true;
  Outcome o;
  RunOptions opts;
  opts.captured_stdout = &o.out;
  opts.captured_stderr = &o.err;
  pid_t started = 0;
  opts.on_started = [&](pid_t pid) {
    started = pid;
    std::thread([pid] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      kill(pid, SIGTERM);
    }).detach();
  };
  auto begin = std::chrono::steady_clock::now();
  o.status = exec::Run(spec, opts);
  EXPECT_GT(started, 0);
  EXPECT_EXIT_CODE(o, 143);
  EXPECT_NE(o.out, "1\n");
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(10));
  // Without --init the same signal is ignored by pid 1 (no handler), as in
  // Docker; exec failures still surface as errors under --init.
  ProcessSpec missing = Spec("");
  missing.argv = {"/no/such/program"};
  missing.init = true;
  Outcome m = RunSpec(missing);
  EXPECT_FALSE(m.status.ok());
}

}  // namespace
}  // namespace distill::exec
