// CancelToken: how the solver tells running steps to stop. The first failing
// step, or the caller (Ctrl-C), cancels the build's token; every Execute sees it.
// A backend either polls cancelled(), blocks in WaitCancelled(), or registers a
// callback (OnCancel) that forwards the request to its own mechanism (for
// example exec::CancelToken, which kills the sandbox).
//
// Thread-safety: every method may be called from any thread. Callbacks run on
// the thread that calls Cancel() (or inside OnCancel when the token is already
// cancelled), outside the token's lock, exactly once each. RemoveCallback
// waits for callbacks still running on another thread, so what a callback
// captures may be destroyed as soon as RemoveCallback returns.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace distill::solver {

class CancelToken {
 public:
  CancelToken() = default;
  CancelToken(const CancelToken&) = delete;
  CancelToken& operator=(const CancelToken&) = delete;

  // Idempotent: the first reason wins.
  void Cancel(const std::string& reason);
  bool cancelled() const;
  // Why the token was cancelled ("" while it is not).
  std::string reason() const;
  // Blocks until Cancel() has been called.
  void WaitCancelled() const;

  // Runs `callback` when the token is cancelled (at once if it already is).
  // The returned id removes it with RemoveCallback; a callback removed before
  // Cancel() never runs.
  uint64_t OnCancel(std::function<void()> callback);
  void RemoveCallback(uint64_t id);

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  bool cancelled_ = false;
  std::string reason_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, std::function<void()>> callbacks_;
  bool running_callbacks_ = false;
  std::thread::id canceller_;
};

// Registers a callback for the lifetime of this object (RAII over OnCancel).
class CancelCallback {
 public:
  CancelCallback(CancelToken* token, std::function<void()> callback);
  ~CancelCallback();
  CancelCallback(const CancelCallback&) = delete;
  CancelCallback& operator=(const CancelCallback&) = delete;

 private:
  CancelToken* token_;
  uint64_t id_ = 0;
};

}  // namespace distill::solver
