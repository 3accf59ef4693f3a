#include "dockerfile/clean_path.h"

#include <gtest/gtest.h>

namespace distill::dockerfile {
namespace {

TEST(CleanPath, FollowsGoPathClean) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "."},
      {"abc", "abc"},
      {"a/b/c", "a/b/c"},
      {".", "."},
      {"..", ".."},
      {"../..", "../.."},
      {"../../abc", "../../abc"},
      {"/abc", "/abc"},
      {"/", "/"},
      {"abc/", "abc"},
      {"abc//def//ghi", "abc/def/ghi"},
      {"//abc", "/abc"},
      {"abc/./def", "abc/def"},
      {"/./abc/def", "/abc/def"},
      {"./abc", "abc"},
      {"abc/.", "abc"},
      {"abc/def/ghi/../jkl", "abc/def/jkl"},
      {"abc/def/../ghi/../jkl", "abc/jkl"},
      {"abc/def/..", "abc"},
      {"abc/def/../..", "."},
      {"/abc/def/../..", "/"},
      {"abc/def/../../..", ".."},
      {"/abc/def/../../..", "/"},
      {"abc/def/../../../ghi/jkl/../../../mno", "../../mno"},
      {"abc//./../def", "def"},
      {"abc/../../././../def", "../../def"},
      {"...", "..."},
      {"a/..b", "a/..b"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(CleanPath(in), want) << "'" << in << "'";
}

}  // namespace
}  // namespace distill::dockerfile
