#include "util/status.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace distill {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::Invalid(std::to_string(x) + " is odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  DISTILL_ASSIGN_OR_RETURN(int h, Half(x));
  DISTILL_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

Status CheckEven(int x) {
  DISTILL_RETURN_IF_ERROR(Half(x));
  return Status::Ok();
}

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kOk);
}

TEST(StatusTest, PrefixAddsContext) {
  Status s = Status::Io("disk full").Prefixed("writing blob sha256:ab");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "writing blob sha256:ab: disk full");
  EXPECT_EQ(s.code(), Status::Code::kIo);
}

TEST(StatusTest, FromErrnoMapsCodes) {
  EXPECT_EQ(Status::FromErrno("open x", ENOENT).code(), Status::Code::kNotFound);
  EXPECT_EQ(Status::FromErrno("open x", EACCES).code(), Status::Code::kPermission);
  EXPECT_NE(Status::FromErrno("open x", ENOENT).message().find("open x: "), std::string::npos);
}

TEST(ResultTest, PropagatesErrors) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "3 is odd");
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_EQ(CheckEven(5).message(), "5 is odd");
}

}  // namespace
}  // namespace distill
