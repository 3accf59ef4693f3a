#include "archive/whiteout.h"

#include <gtest/gtest.h>

namespace distill::archive {
namespace {

TEST(Whiteout, RecognizesMarkers) {
  EXPECT_TRUE(IsOpaqueWhiteout(".wh..wh..opq"));
  EXPECT_FALSE(IsOpaqueWhiteout(".wh.opq"));
  EXPECT_EQ(WhiteoutTarget(".wh.foo"), "foo");
  EXPECT_EQ(WhiteoutTarget(".wh..hidden"), ".hidden");
  EXPECT_EQ(WhiteoutTarget("foo"), std::nullopt);
  EXPECT_EQ(WhiteoutTarget(".wh."), std::nullopt);
  EXPECT_EQ(WhiteoutTarget(".wh..wh..opq"), std::nullopt);
  EXPECT_EQ(WhiteoutTarget(".wh.."), std::nullopt);
}

TEST(Whiteout, BuildsPathsAndSplits) {
  EXPECT_EQ(WhiteoutPathFor("a/b/c"), "a/b/.wh.c");
  EXPECT_EQ(WhiteoutPathFor("c"), ".wh.c");
  EXPECT_EQ(SplitParent("a/b/c").first, "a/b");
  EXPECT_EQ(SplitParent("a/b/c").second, "c");
  EXPECT_EQ(SplitParent("c").first, "");
  EXPECT_TRUE(IsOverlayPrivateXattr("trusted.overlay.opaque"));
  EXPECT_TRUE(IsOverlayPrivateXattr("user.overlay.redirect"));
  EXPECT_FALSE(IsOverlayPrivateXattr("security.capability"));
}

}  // namespace
}  // namespace distill::archive
