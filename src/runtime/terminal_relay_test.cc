#include "runtime/terminal_relay.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "exec/pty.h"

namespace distill::runtime {
namespace {

struct Pipe {
  exec::UniqueFd read, write;
};
Pipe MakePipe() {
  int p[2];
  EXPECT_EQ(pipe2(p, O_CLOEXEC), 0);
  return {exec::UniqueFd(p[0]), exec::UniqueFd(p[1])};
}

std::string ReadToEof(int fd) {
  std::string out;
  char buf[256];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  return out;
}

TEST(TerminalRelayTest, StdinPipeGetsTheInputThenEof) {
  Pipe user = MakePipe(), container = MakePipe();
  RelayConfig config;
  config.user_input = user.read.get();
  config.stdin_pipe = std::move(container.write);
  TerminalRelay relay(std::move(config));
  relay.Start();
  ASSERT_EQ(write(user.write.get(), "hello\n", 6), 6);
  user.write.Reset();
  EXPECT_EQ(ReadToEof(container.read.get()), "hello\n");  // EOF: the relay closed it
  relay.Finish();
}

TEST(TerminalRelayTest, PtyInputAndOutputAndHangup) {
  Result<exec::Pty> pty = exec::OpenPty("/dev/ptmx", winsize{});
  ASSERT_TRUE(pty.ok()) << pty.status().message();
  Pipe user = MakePipe(), output = MakePipe();
  RelayConfig config;
  config.user_input = user.read.get();
  config.output = std::move(output.write);
  TerminalRelay relay(std::move(config));
  relay.StartWithTerminal(std::move(pty->master));
  ASSERT_EQ(write(user.write.get(), "typed\n", 6), 6);
  char buf[64];
  ssize_t n = read(pty->slave.get(), buf, sizeof(buf));
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(buf, static_cast<size_t>(n)), "typed\n");
  ASSERT_EQ(write(pty->slave.get(), "shown", 5), 5);
  pty->slave.Reset();  // the container's last process is gone: hang-up
  std::string out = ReadToEof(output.read.get());
  // The line discipline echoes what was typed, then the program's output.
  EXPECT_EQ(out, "typed\r\nshown");
  relay.Finish();
}

TEST(TerminalRelayTest, FinishDrainsAndEndsWithoutInputEof) {
  Result<exec::Pty> pty = exec::OpenPty("/dev/ptmx", winsize{});
  ASSERT_TRUE(pty.ok());
  Pipe user = MakePipe(), output = MakePipe();  // the user never types nor closes
  RelayConfig config;
  config.user_input = user.read.get();
  config.output = std::move(output.write);
  TerminalRelay relay(std::move(config));
  relay.StartWithTerminal(std::move(pty->master));
  ASSERT_EQ(write(pty->slave.get(), "last words", 10), 10);
  pty->slave.Reset();
  auto start = std::chrono::steady_clock::now();
  relay.Finish();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(ReadToEof(output.read.get()), "last words");
}

TEST(TerminalRelayTest, WindowSizeFollowsTheUsersTerminal) {
  winsize user_size = {};
  user_size.ws_row = 40;
  user_size.ws_col = 120;
  Result<exec::Pty> user_tty = exec::OpenPty("/dev/ptmx", user_size);
  Result<exec::Pty> pty = exec::OpenPty("/dev/ptmx", winsize{});
  ASSERT_TRUE(user_tty.ok() && pty.ok());
  RelayConfig config;
  config.window_size_source = user_tty->slave.get();
  TerminalRelay relay(std::move(config));
  relay.StartWithTerminal(std::move(pty->master));
  winsize seen = {};
  ASSERT_EQ(ioctl(pty->slave.get(), TIOCGWINSZ, &seen), 0);
  EXPECT_EQ(seen.ws_row, 40);
  EXPECT_EQ(seen.ws_col, 120);
  user_size.ws_row = 50;
  user_size.ws_col = 132;
  ASSERT_EQ(ioctl(user_tty->master.get(), TIOCSWINSZ, &user_size), 0);
  kill(getpid(), SIGWINCH);
  for (int i = 0; i < 200 && seen.ws_row != 50; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ioctl(pty->slave.get(), TIOCGWINSZ, &seen);
  }
  EXPECT_EQ(seen.ws_row, 50);
  EXPECT_EQ(seen.ws_col, 132);
  pty->slave.Reset();
  relay.Finish();
}

TEST(RawTerminalTest, RawWhileHeldThenRestored) {
  Result<exec::Pty> pty = exec::OpenPty("/dev/ptmx", winsize{});
  ASSERT_TRUE(pty.ok());
  termios before = {};
  ASSERT_EQ(tcgetattr(pty->slave.get(), &before), 0);
  ASSERT_TRUE(before.c_lflag & ICANON);
  {
    Result<RawTerminal> raw = RawTerminal::Enter(pty->slave.get());
    ASSERT_TRUE(raw.ok()) << raw.status().message();
    termios during = {};
    ASSERT_EQ(tcgetattr(pty->slave.get(), &during), 0);
    EXPECT_FALSE(during.c_lflag & (ICANON | ECHO | ISIG));
  }
  termios after = {};
  ASSERT_EQ(tcgetattr(pty->slave.get(), &after), 0);
  EXPECT_EQ(after.c_lflag, before.c_lflag);
  EXPECT_EQ(after.c_oflag, before.c_oflag);
  // Not a terminal: nothing to do.
  Pipe p = MakePipe();
  EXPECT_TRUE(RawTerminal::Enter(p.read.get()).ok());
}

}  // namespace
}  // namespace distill::runtime
