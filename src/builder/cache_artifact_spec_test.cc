#include "builder/cache_artifact_spec.h"

#include <gtest/gtest.h>

namespace distill::builder {
namespace {

TEST(CacheSpecTest, ParsesLocalAndRegistryLocations) {
  auto to = ParseCacheToSpec("type=local,dest=/ci/cache,mode=max");
  ASSERT_TRUE(to.ok()) << to.status().message();
  EXPECT_EQ(to->type, "local");
  EXPECT_EQ(to->dir, "/ci/cache");
  EXPECT_EQ(to->mode, CacheMode::kMax);
  auto min = ParseCacheToSpec("type=registry,ref=127.0.0.1:5000/app:cache");
  ASSERT_TRUE(min.ok()) << min.status().message();
  EXPECT_EQ(min->ref, "127.0.0.1:5000/app:cache");
  EXPECT_EQ(min->mode, CacheMode::kMin);
  auto from = ParseCacheFromSpec("type=local,src=cache");
  ASSERT_TRUE(from.ok()) << from.status().message();
  EXPECT_EQ(from->dir, "cache");
  EXPECT_EQ(from->text, "type=local,src=cache");
}

TEST(CacheSpecTest, BadSpecsSayWhatIsWrong) {
  struct Case {
    bool to;
    const char* text;
    const char* want;
  } cases[] = {
      {true, "type=s3,dest=x", "unknown type \"s3\""},
      {true, "type=local", "type=local needs dest=DIR"},
      {false, "type=local,dest=x", "unknown key \"dest\""},
      {false, "type=local", "type=local needs src=DIR"},
      {true, "type=registry", "type=registry needs ref=HOST/REPO:TAG"},
      {true, "type=registry,ref=Bad Name", "invalid reference format"},
      {true, "type=local,dest=x,mode=all", "mode must be min or max"},
      {false, "type=local,src=x,mode=max", "unknown key \"mode\""},
      {true, "dest=x", "missing type="},
      {true, "local", "is not KEY=VALUE"},
  };
  for (const Case& c : cases) {
    auto r = c.to ? ParseCacheToSpec(c.text) : ParseCacheFromSpec(c.text);
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.status().message().find(c.want), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find(c.text), std::string::npos) << r.status().message();
  }
}

}  // namespace
}  // namespace distill::builder
