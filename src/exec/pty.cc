#include "exec/pty.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace distill::exec {

Result<Pty> OpenPty(const char* ptmx_path, const winsize& size) {
  int raw = open(ptmx_path, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (raw < 0) return Status::FromErrno(std::string("open ") + ptmx_path, errno);
  Pty pty;
  pty.master.Reset(raw);
  int unlock = 0;
  if (ioctl(raw, TIOCSPTLCK, &unlock) < 0) return Status::FromErrno("unlock the pty", errno);
  // TIOCGPTPEER opens the slave through the master: no path lookup that a
  // process in the container could race.
  int slave = ioctl(raw, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) return Status::FromErrno("open the pty's slave", errno);
  pty.slave.Reset(slave);
  if (size.ws_row != 0 && size.ws_col != 0 && ioctl(raw, TIOCSWINSZ, &size) < 0) {
    return Status::FromErrno("set the pty's window size", errno);
  }
  return pty;
}

Status MakeControllingTerminal(int slave) {
  if (setsid() < 0) return Status::FromErrno("setsid", errno);
  if (ioctl(slave, TIOCSCTTY, 0) < 0) return Status::FromErrno("make the pty the terminal", errno);
  return Status::Ok();
}

Status SendFd(int socket, int fd) {
  char byte = 'F';
  iovec iov = {&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &fd, sizeof(int));
  ssize_t n;
  do {
    n = sendmsg(socket, &msg, MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n != 1) return Status::FromErrno("send the pty to distill", errno);
  return Status::Ok();
}

Result<UniqueFd> ReceiveFd(int socket) {
  char byte = 0;
  iovec iov = {&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  ssize_t n;
  do {
    n = recvmsg(socket, &msg, MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n < 0) return Status::FromErrno("receive the pty", errno);
  if (n == 0) return Status::NotFound("receive the pty: the other end closed");
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (c == nullptr || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
      c->cmsg_len != CMSG_LEN(sizeof(int))) {
    return Status::Corrupt("receive the pty: the message carried no descriptor");
  }
  int fd;
  std::memcpy(&fd, CMSG_DATA(c), sizeof(int));
  return UniqueFd(fd);
}

}  // namespace distill::exec
