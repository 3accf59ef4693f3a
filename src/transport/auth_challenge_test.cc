#include "transport/auth_challenge.h"

#include <gtest/gtest.h>

#include <vector>

namespace distill::transport {
namespace {

TEST(AuthChallengeTest, ParsesDockerHubBearer) {
  auto c = ParseAuthChallenges(
      "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
      "scope=\"repository:library/alpine:pull\"");
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ(c->size(), 1u);
  EXPECT_EQ((*c)[0].scheme, "bearer");
  EXPECT_EQ((*c)[0].Param("realm"), "https://auth.docker.io/token");
  EXPECT_EQ((*c)[0].Param("service"), "registry.docker.io");
  EXPECT_EQ((*c)[0].Param("scope"), "repository:library/alpine:pull");
}

TEST(AuthChallengeTest, ParsesSeveralChallengesTokensAndEscapes) {
  auto c = ParseAuthChallenges(
      "Basic realm=\"Registry \\\"R\\\"\" , Bearer realm=https://a.test/t, service=svc");
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].scheme, "basic");
  EXPECT_EQ((*c)[0].Param("realm"), "Registry \"R\"");
  EXPECT_EQ((*c)[1].scheme, "bearer");
  EXPECT_EQ((*c)[1].Param("realm"), "https://a.test/t");
  EXPECT_EQ((*c)[1].Param("service"), "svc");
}

TEST(AuthChallengeTest, SchemeAndNamesAreCaseInsensitive) {
  auto c = ParseAuthChallenges("BEARER Realm=\"x\"");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ((*c)[0].scheme, "bearer");
  EXPECT_EQ((*c)[0].Param("realm"), "x");
}

TEST(AuthChallengeTest, RejectsMalformedHeaders) {
  EXPECT_FALSE(ParseAuthChallenges("").ok());
  EXPECT_FALSE(ParseAuthChallenges("Bearer realm=\"unterminated").ok());
  auto bad = ParseAuthChallenges("Bearer realm=\"a\" junk=");
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("WWW-Authenticate"), std::string::npos);
}

TEST(Base64Test, RoundTrips) {
  for (const std::string& s : std::vector<std::string>{"", "a", "ab", "abc", "user:p@ss:word",
                                                       std::string("\0\xff\x10", 3)}) {
    auto back = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(Base64Encode("alice:secret"), "YWxpY2U6c2VjcmV0");
  EXPECT_FALSE(Base64Decode("not base64!").ok());
}

}  // namespace
}  // namespace distill::transport
