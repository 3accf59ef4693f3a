#include "solver/cancel_token.h"

#include <utility>
#include <vector>

namespace distill::solver {

void CancelToken::Cancel(const std::string& reason) {
  std::vector<std::function<void()>> to_run;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (cancelled_) return;
    cancelled_ = true;
    reason_ = reason;
    for (auto& [id, cb] : callbacks_) to_run.push_back(std::move(cb));
    callbacks_.clear();
    running_callbacks_ = true;
    canceller_ = std::this_thread::get_id();
  }
  cv_.notify_all();
  for (auto& cb : to_run) cb();
  {
    std::lock_guard<std::mutex> lock(mu_);
    running_callbacks_ = false;
  }
  cv_.notify_all();
}

bool CancelToken::cancelled() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cancelled_;
}

std::string CancelToken::reason() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reason_;
}

void CancelToken::WaitCancelled() const {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return cancelled_; });
}

uint64_t CancelToken::OnCancel(std::function<void()> callback) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!cancelled_) {
      uint64_t id = next_id_++;
      callbacks_.emplace(id, std::move(callback));
      return id;
    }
  }
  callback();
  return 0;
}

void CancelToken::RemoveCallback(uint64_t id) {
  std::unique_lock<std::mutex> lock(mu_);
  callbacks_.erase(id);
  // A callback may be running on the cancelling thread right now; wait for it
  // (unless this is that thread: a callback that removes itself must not block).
  if (canceller_ != std::this_thread::get_id()) {
    cv_.wait(lock, [this] { return !running_callbacks_; });
  }
}

CancelCallback::CancelCallback(CancelToken* token, std::function<void()> callback) : token_(token) {
  if (token_ != nullptr) id_ = token_->OnCancel(std::move(callback));
}

CancelCallback::~CancelCallback() {
  if (token_ != nullptr && id_ != 0) token_->RemoveCallback(id_);
}

}  // namespace distill::solver
