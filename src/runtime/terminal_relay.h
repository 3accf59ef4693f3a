// The user's side of `run -i/-t` and `exec -i/-t`: a thread that copies what
// the user types (distill's stdin) into the container — a pipe that becomes
// its stdin, or the master of its pty — and, with a pty, the container's
// output from the master to `output` (the log pump's pipe, or distill's
// stdout). It also carries the user's window size to the pty on SIGWINCH.
// RawTerminal puts the user's terminal in raw mode for the duration of an
// interactive `-it` session (keys, ^C included, go to the container's line
// discipline) and always restores it.
#pragma once

#include <termios.h>

#include <atomic>
#include <thread>

#include "exec/unique_fd.h"
#include "util/status.h"

namespace distill::runtime {

class RawTerminal {
 public:
  // Raw mode on `fd` when it is a terminal; a no-op guard otherwise.
  static Result<RawTerminal> Enter(int fd);
  RawTerminal(RawTerminal&& o) noexcept : fd_(o.fd_), saved_(o.saved_) { o.fd_ = -1; }
  RawTerminal& operator=(RawTerminal&&) = delete;
  RawTerminal(const RawTerminal&) = delete;
  ~RawTerminal();

 private:
  RawTerminal() = default;
  int fd_ = -1;
  termios saved_ = {};
};

struct RelayConfig {
  // What the user types; -1: nothing is forwarded. Not owned.
  int user_input = -1;
  // Where typed bytes go when there is no pty: a pipe's write end, closed at
  // the end of user_input (the container then reads EOF).
  exec::UniqueFd stdin_pipe;
  // A terminal whose window size is copied to the pty on start and on
  // SIGWINCH; -1: none. Not owned.
  int window_size_source = -1;
  // Where the pty's output goes (owned; closed when the pty hangs up).
  exec::UniqueFd output;
};

class TerminalRelay {
 public:
  explicit TerminalRelay(RelayConfig config);
  ~TerminalRelay();  // Finish()
  TerminalRelay(const TerminalRelay&) = delete;
  TerminalRelay& operator=(const TerminalRelay&) = delete;

  // Starts the thread: without a pty (`-i` alone), right away; with one, once
  // its master is here. Call at most one of them, once.
  void Start();
  void StartWithTerminal(exec::UniqueFd master);

  // Ends the relay once the container is gone: stops reading the user's
  // input, drains what the pty still holds (it hangs up when the last process
  // in the container exits), closes `output` and joins the thread.
  void Finish();

 private:
  void Loop();
  bool CopyInput();
  bool CopyOutput();
  void ForwardWindowSize();

  RelayConfig config_;
  exec::UniqueFd master_;
  exec::UniqueFd stop_read_, stop_write_;
  exec::UniqueFd winch_read_, winch_write_;
  std::atomic<bool> stopping_{false};
  bool input_open_ = false;
  std::thread thread_;
};

}  // namespace distill::runtime
