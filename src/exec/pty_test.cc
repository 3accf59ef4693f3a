#include "exec/pty.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <string>

namespace distill::exec {
namespace {

std::string ReadSome(int fd) {
  char buf[256];
  ssize_t n = read(fd, buf, sizeof(buf));
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string();
}

TEST(PtyTest, SlaveOutputReachesTheMasterAndSizeIsSet) {
  winsize size = {};
  size.ws_row = 33;
  size.ws_col = 101;
  Result<Pty> pty = OpenPty("/dev/ptmx", size);
  ASSERT_TRUE(pty.ok()) << pty.status().message();
  EXPECT_TRUE(isatty(pty->slave.get()));
  winsize seen = {};
  ASSERT_EQ(ioctl(pty->slave.get(), TIOCGWINSZ, &seen), 0);
  EXPECT_EQ(seen.ws_row, 33);
  EXPECT_EQ(seen.ws_col, 101);
  ASSERT_EQ(write(pty->slave.get(), "hi\n", 3), 3);
  // The line discipline turns "\n" into "\r\n" on the way out.
  EXPECT_EQ(ReadSome(pty->master.get()), "hi\r\n");
  ASSERT_EQ(write(pty->master.get(), "typed\n", 6), 6);
  EXPECT_EQ(ReadSome(pty->slave.get()), "typed\n");
  EXPECT_TRUE(fcntl(pty->master.get(), F_GETFD) & FD_CLOEXEC);
  EXPECT_TRUE(fcntl(pty->slave.get(), F_GETFD) & FD_CLOEXEC);
}

TEST(PtyTest, MissingPtmxIsAnError) {
  Result<Pty> pty = OpenPty("/nonexistent/ptmx", winsize{});
  ASSERT_FALSE(pty.ok());
  EXPECT_NE(pty.status().message().find("/nonexistent/ptmx"), std::string::npos);
}

TEST(PtyTest, ChildGetsTheSlaveAsControllingTerminal) {
  Result<Pty> pty = OpenPty("/dev/ptmx", winsize{});
  ASSERT_TRUE(pty.ok()) << pty.status().message();
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (!MakeControllingTerminal(pty->slave.get()).ok()) _exit(2);
    _exit(tcgetsid(pty->slave.get()) == getpid() ? 0 : 3);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(PtyTest, DescriptorTravelsOverASocket) {
  int sv[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  UniqueFd a(sv[0]), b(sv[1]);
  int p[2];
  ASSERT_EQ(pipe(p), 0);
  UniqueFd read_end(p[0]), write_end(p[1]);
  ASSERT_TRUE(SendFd(a.get(), write_end.get()).ok());
  write_end.Reset();
  Result<UniqueFd> got = ReceiveFd(b.get());
  ASSERT_TRUE(got.ok()) << got.status().message();
  ASSERT_EQ(write(got->get(), "x", 1), 1);
  EXPECT_EQ(ReadSome(read_end.get()), "x");
  EXPECT_TRUE(fcntl(got->get(), F_GETFD) & FD_CLOEXEC);
  a.Reset();
  Result<UniqueFd> none = ReceiveFd(b.get());
  EXPECT_FALSE(none.ok());
}

}  // namespace
}  // namespace distill::exec
