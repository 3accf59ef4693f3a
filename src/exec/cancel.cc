#include "exec/cancel.h"

#include <signal.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace distill::exec {
namespace {

std::atomic<CancelToken*> g_interrupt_token{nullptr};

void OnInterrupt(int) {
  CancelToken* token = g_interrupt_token.load();
  if (token != nullptr) token->Cancel();
}

}  // namespace

CancelToken::CancelToken() : event_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

CancelToken::~CancelToken() {
  CancelToken* self = this;
  g_interrupt_token.compare_exchange_strong(self, nullptr);
  if (event_fd_ >= 0) close(event_fd_);
}

void CancelToken::Cancel() {
  cancelled_.store(true);
  uint64_t one = 1;
  // The counter is never read, so it stays readable for every waiter.
  if (event_fd_ >= 0) (void)!write(event_fd_, &one, sizeof(one));
}

Status CancelOnInterrupt(CancelToken* token) {
  g_interrupt_token.store(token);
  struct sigaction sa = {};
  sa.sa_handler = token != nullptr ? OnInterrupt : SIG_DFL;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (int sig : {SIGINT, SIGTERM}) {
    if (sigaction(sig, &sa, nullptr) < 0) return Status::FromErrno("install signal handler", errno);
  }
  return Status::Ok();
}

}  // namespace distill::exec
