#include "runtime/terminal_relay.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace distill::runtime {
namespace {

// The SIGWINCH handler's self-pipe (one relay with a window-size source at a
// time per process: one `run` or `exec` session).
std::atomic<int> g_winch_fd{-1};

void OnWindowChange(int) {
  int fd = g_winch_fd.load();
  if (fd >= 0) {
    int saved = errno;
    ssize_t ignored = write(fd, "w", 1);
    (void)ignored;
    errno = saved;
  }
}

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

Result<RawTerminal> RawTerminal::Enter(int fd) {
  RawTerminal raw;
  if (!isatty(fd)) return raw;
  if (tcgetattr(fd, &raw.saved_) < 0) return Status::FromErrno("read the terminal's mode", errno);
  termios mode = raw.saved_;
  cfmakeraw(&mode);
  if (tcsetattr(fd, TCSADRAIN, &mode) < 0) {
    return Status::FromErrno("put the terminal in raw mode", errno);
  }
  raw.fd_ = fd;
  return raw;
}

RawTerminal::~RawTerminal() {
  if (fd_ >= 0) tcsetattr(fd_, TCSADRAIN, &saved_);
}

TerminalRelay::TerminalRelay(RelayConfig config) : config_(std::move(config)) {}

TerminalRelay::~TerminalRelay() {
  Finish();
}

void TerminalRelay::Start() {
  int stop[2];
  if (pipe2(stop, O_CLOEXEC) == 0) {
    stop_read_.Reset(stop[0]);
    stop_write_.Reset(stop[1]);
  }
  if (master_.valid() && config_.window_size_source >= 0) {
    int winch[2];
    if (pipe2(winch, O_CLOEXEC | O_NONBLOCK) == 0) {
      winch_read_.Reset(winch[0]);
      winch_write_.Reset(winch[1]);
      g_winch_fd.store(winch_write_.get());
      struct sigaction sa = {};
      sa.sa_handler = OnWindowChange;
      sigemptyset(&sa.sa_mask);
      sa.sa_flags = SA_RESTART;
      sigaction(SIGWINCH, &sa, nullptr);
    }
    ForwardWindowSize();
  }
  input_open_ = config_.user_input >= 0 && (master_.valid() || config_.stdin_pipe.valid());
  thread_ = std::thread([this] { Loop(); });
}

void TerminalRelay::StartWithTerminal(exec::UniqueFd master) {
  master_ = std::move(master);
  Start();
}

void TerminalRelay::Finish() {
  if (thread_.joinable()) {
    stopping_.store(true);
    if (stop_write_.valid()) {
      ssize_t ignored = write(stop_write_.get(), "s", 1);
      (void)ignored;
    }
    thread_.join();
  }
  if (winch_write_.valid()) {
    signal(SIGWINCH, SIG_DFL);
    g_winch_fd.store(-1);
    winch_write_.Reset();
    winch_read_.Reset();
  }
  config_.stdin_pipe.Reset();
  config_.output.Reset();
  master_.Reset();
}

void TerminalRelay::ForwardWindowSize() {
  winsize size = {};
  if (ioctl(config_.window_size_source, TIOCGWINSZ, &size) == 0 && size.ws_row != 0) {
    ioctl(master_.get(), TIOCSWINSZ, &size);
  }
}

// Returns false once the user's input has ended.
bool TerminalRelay::CopyInput() {
  char buf[4096];
  ssize_t n = read(config_.user_input, buf, sizeof(buf));
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  int target = master_.valid() ? master_.get() : config_.stdin_pipe.get();
  if (n > 0 && WriteAll(target, buf, static_cast<size_t>(n))) return true;
  // End of input: the container reads EOF from its stdin pipe. A pty stays
  // open (its program decides when the session ends, as with Docker).
  config_.stdin_pipe.Reset();
  return false;
}

// Returns false once the pty hung up (every process holding it is gone).
bool TerminalRelay::CopyOutput() {
  char buf[16384];
  ssize_t n = read(master_.get(), buf, sizeof(buf));
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
  if (n <= 0) return false;  // EIO: hung up
  if (config_.output.valid() && !WriteAll(config_.output.get(), buf, static_cast<size_t>(n))) {
    config_.output.Reset();  // nobody reads any more: keep draining the pty
  }
  return true;
}

void TerminalRelay::Loop() {
  const bool output_open = master_.valid();
  // Once stopping, what the pty still holds is drained: its hang-up follows
  // the container's end at once; the deadline guards against a process that
  // keeps it open (an `exec`'s background child).
  bool draining = false;
  std::chrono::steady_clock::time_point drain_deadline;
  for (;;) {
    bool stopping = stopping_.load();
    if (stopping && !draining) {
      draining = true;
      input_open_ = false;
      drain_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    }
    if (draining && std::chrono::steady_clock::now() > drain_deadline) break;
    if (!output_open && (stopping || !input_open_)) break;
    pollfd fds[4];
    nfds_t n = 0;
    int input_at = -1, output_at = -1, winch_at = -1;
    if (input_open_) {
      input_at = static_cast<int>(n);
      fds[n++] = {config_.user_input, POLLIN, 0};
    }
    if (output_open) {
      output_at = static_cast<int>(n);
      fds[n++] = {master_.get(), POLLIN, 0};
    }
    if (winch_read_.valid()) {
      winch_at = static_cast<int>(n);
      fds[n++] = {winch_read_.get(), POLLIN, 0};
    }
    if (!stopping && stop_read_.valid()) fds[n++] = {stop_read_.get(), POLLIN, 0};
    int ready = poll(fds, n, stopping ? 100 : -1);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    // The pty hung up: the session is over, typed input has nowhere to go.
    if (output_at >= 0 && fds[output_at].revents != 0 && !CopyOutput()) break;
    if (input_at >= 0 && fds[input_at].revents != 0) input_open_ = CopyInput();
    if (winch_at >= 0 && fds[winch_at].revents != 0) {
      char drain[64];
      while (read(winch_read_.get(), drain, sizeof(drain)) > 0) {
      }
      ForwardWindowSize();
    }
  }
  config_.stdin_pipe.Reset();
  config_.output.Reset();
}

}  // namespace distill::runtime
