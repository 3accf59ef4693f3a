#include "runtime/port_proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <mutex>

namespace distill::runtime {
namespace {

constexpr int kUdpIdleMs = 120 * 1000;

sockaddr_in Loopback(uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// Copies both ways until both directions reach EOF (each EOF is passed on as
// a half-close) or an error.
void Splice(int a, int b) {
  bool open[2] = {true, true};  // a->b, b->a
  int from[2] = {a, b}, to[2] = {b, a};
  char buf[32768];
  while (open[0] || open[1]) {
    pollfd p[2];
    int dir[2];
    nfds_t n = 0;
    for (int d = 0; d < 2; ++d) {
      if (!open[d]) continue;
      p[n] = {from[d], POLLIN, 0};
      dir[n++] = d;
    }
    if (poll(p, n, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (nfds_t k = 0; k < n; ++k) {
      if (p[k].revents == 0) continue;
      int d = dir[k];
      ssize_t got = recv(from[d], buf, sizeof(buf), 0);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        open[d] = false;
        shutdown(to[d], SHUT_WR);
        if (got < 0) return;
        continue;
      }
      if (!WriteAll(to[d], buf, static_cast<size_t>(got))) return;
    }
  }
}

}  // namespace

Result<std::unique_ptr<PortProxy>> PortProxy::Bind(std::vector<PortMapping>* mappings) {
  std::unique_ptr<PortProxy> proxy(new PortProxy);
  int ev = eventfd(0, EFD_CLOEXEC);
  if (ev < 0) return Status::FromErrno("eventfd", errno);
  proxy->stop_event_.Reset(ev);
  for (PortMapping& m : *mappings) {
    bool udp = m.protocol == "udp";
    int raw = socket(AF_INET, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);
    if (raw < 0) return Status::FromErrno("socket", errno);
    exec::UniqueFd fd(raw);
    int one = 1;
    setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(m.host_port);
    inet_pton(AF_INET, m.host_ip.c_str(), &addr.sin_addr);
    std::string what = "publish " + m.host_ip + ":" + std::to_string(m.host_port) + "->" +
                       std::to_string(m.container_port) + "/" + m.protocol;
    if (bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) < 0) {
      return Status::FromErrno(what + ": bind", errno);
    }
    if (!udp && listen(fd.get(), 128) < 0) return Status::FromErrno(what + ": listen", errno);
    socklen_t len = sizeof(addr);
    getsockname(fd.get(), reinterpret_cast<sockaddr*>(&addr), &len);
    m.host_port = ntohs(addr.sin_port);
    proxy->listeners_.push_back({m, std::move(fd)});
  }
  return proxy;
}

PortProxy::~PortProxy() {
  Stop();
}

Status PortProxy::Start(int netns_fd) {
  if (netns_fd >= 0) {
    int dup = fcntl(netns_fd, F_DUPFD_CLOEXEC, 3);
    if (dup < 0) return Status::FromErrno("dup network namespace fd", errno);
    netns_.Reset(dup);
  }
  for (Listener& l : listeners_) {
    Listener* lp = &l;
    threads_.emplace_back([this, lp] {
      if (netns_.valid() && setns(netns_.get(), CLONE_NEWNET) < 0) return;
      if (lp->mapping.protocol == "udp") {
        ServeUdp(lp);
      } else {
        ServeTcp(lp);
      }
    });
  }
  return Status::Ok();
}

void PortProxy::Stop() {
  if (stop_event_.valid()) {
    uint64_t one = 1;
    ssize_t ignored = write(stop_event_.get(), &one, sizeof(one));
    (void)ignored;
  }
  for (std::thread& t : threads_) t.join();
  threads_.clear();
}

void PortProxy::ServeTcp(Listener* l) {
  uint16_t target = l->mapping.container_port;
  for (;;) {
    pollfd p[2] = {{l->fd.get(), POLLIN, 0}, {stop_event_.get(), POLLIN, 0}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (p[1].revents != 0) return;
    int client = accept4(l->fd.get(), nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    // The new thread inherits this thread's (the container's) namespace.
    std::thread([client, target] {
      exec::UniqueFd c(client);
      int raw = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      if (raw < 0) return;
      exec::UniqueFd upstream(raw);
      sockaddr_in to = Loopback(target);
      if (connect(upstream.get(), reinterpret_cast<sockaddr*>(&to), sizeof(to)) < 0) return;
      Splice(c.get(), upstream.get());
    }).detach();
  }
}

void PortProxy::ServeUdp(Listener* l) {
  // One upstream socket per client address, so replies find their way back.
  auto sessions = std::make_shared<std::map<std::string, int>>();
  auto mu = std::make_shared<std::mutex>();
  int host = l->fd.get();
  uint16_t target = l->mapping.container_port;
  char buf[65536];
  for (;;) {
    pollfd p[2] = {{host, POLLIN, 0}, {stop_event_.get(), POLLIN, 0}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (p[1].revents != 0) return;
    sockaddr_in client{};
    socklen_t len = sizeof(client);
    ssize_t got = recvfrom(host, buf, sizeof(buf), 0, reinterpret_cast<sockaddr*>(&client), &len);
    if (got < 0) continue;
    std::string key(reinterpret_cast<char*>(&client), sizeof(client));
    int upstream = -1;
    {
      std::lock_guard<std::mutex> lock(*mu);
      auto it = sessions->find(key);
      if (it != sessions->end()) upstream = it->second;
    }
    if (upstream < 0) {
      upstream = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      if (upstream < 0) continue;
      sockaddr_in to = Loopback(target);
      if (connect(upstream, reinterpret_cast<sockaddr*>(&to), sizeof(to)) < 0) {
        close(upstream);
        continue;
      }
      {
        std::lock_guard<std::mutex> lock(*mu);
        (*sessions)[key] = upstream;
      }
      // Replies go back to this client until the session has been idle for a while.
      std::thread([host, upstream, client, key, sessions, mu] {
        char reply[65536];
        for (;;) {
          pollfd rp = {upstream, POLLIN, 0};
          int r = poll(&rp, 1, kUdpIdleMs);
          if (r < 0 && errno == EINTR) continue;
          if (r <= 0) break;
          ssize_t n = recv(upstream, reply, sizeof(reply), 0);
          if (n < 0) break;
          sendto(host, reply, static_cast<size_t>(n), 0, reinterpret_cast<const sockaddr*>(&client),
                 sizeof(client));
        }
        std::lock_guard<std::mutex> lock(*mu);
        sessions->erase(key);
        close(upstream);
      }).detach();
    }
    send(upstream, buf, static_cast<size_t>(got), 0);
  }
}

}  // namespace distill::runtime
