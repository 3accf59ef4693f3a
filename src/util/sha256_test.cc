#include "util/sha256.h"

#include <gtest/gtest.h>

namespace distill {
namespace {

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256::HexOf(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256::HexOf("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256Test, StreamingEqualsOneShotAndResets) {
  Sha256 h;
  h.Update("a");
  h.Update("bc");
  EXPECT_EQ(h.bytes(), 3u);
  EXPECT_EQ(h.FinishHex(), Sha256::HexOf("abc"));
  EXPECT_EQ(h.bytes(), 0u);
  EXPECT_EQ(h.FinishHex(), Sha256::HexOf(""));
}

}  // namespace
}  // namespace distill
