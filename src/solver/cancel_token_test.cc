#include "solver/cancel_token.h"

#include <gtest/gtest.h>

#include <thread>

namespace distill::solver {
namespace {

TEST(CancelTokenTest, FirstReasonWinsAndCallbacksRunOnce) {
  CancelToken token;
  int runs = 0;
  token.OnCancel([&] { ++runs; });
  EXPECT_FALSE(token.cancelled());
  token.Cancel("first");
  token.Cancel("second");
  EXPECT_TRUE(token.cancelled());
  EXPECT_EQ(token.reason(), "first");
  EXPECT_EQ(runs, 1);
  // Registering after the fact runs at once.
  token.OnCancel([&] { ++runs; });
  EXPECT_EQ(runs, 2);
}

TEST(CancelTokenTest, RemovedCallbacksDoNotRun) {
  CancelToken token;
  bool ran = false;
  {
    CancelCallback callback(&token, [&] { ran = true; });
  }
  token.Cancel("x");
  EXPECT_FALSE(ran);
  CancelCallback null_token(nullptr, [] {});  // no token: nothing to do
}

TEST(CancelTokenTest, WaitCancelledWakesUpOnAnotherThread) {
  CancelToken token;
  std::thread waiter([&] { token.WaitCancelled(); });
  token.Cancel("stop");
  waiter.join();
  EXPECT_TRUE(token.cancelled());
}

TEST(CancelTokenTest, CallbackMayRemoveItselfWithoutDeadlock) {
  CancelToken token;
  uint64_t id = 0;
  bool ran = false;
  id = token.OnCancel([&] {
    ran = true;
    token.RemoveCallback(id);
  });
  token.Cancel("x");
  EXPECT_TRUE(ran);
}

}  // namespace
}  // namespace distill::solver
