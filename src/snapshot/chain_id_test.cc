#include "snapshot/chain_id.h"

#include <gtest/gtest.h>

namespace distill::snapshot {
namespace {

// Vectors computed independently (Python hashlib) from the spec's definition,
// with DiffIDs sha256("a"), sha256("b"), sha256("c").
const char* kA = "sha256:ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb";
const char* kB = "sha256:3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d";
const char* kC = "sha256:2e7d2c03a9507ae265ecf5b5356885a53393a2029d241394997265a1a25aefc6";
const char* kAB = "sha256:51c0c8ace48498d6f5fee6b0592cc06f2da0f3cbe09c5a34a97dce85c3889676";
const char* kABC = "sha256:2fce7f8ce91bcf0a1428b36e1024639fdbd9469eea762dba98aa749631885106";

oci::Digest D(const char* s) {
  return *oci::Digest::Parse(s);
}

TEST(ChainIdTest, DiffIdsAreDigestsOfTheirContent) {
  EXPECT_EQ(oci::Digest::Of("a"), D(kA));
  EXPECT_EQ(oci::Digest::Of("c"), D(kC));
}

TEST(ChainIdTest, SingleLayerIsItsDiffId) {
  EXPECT_EQ(ChainId({D(kA)}), D(kA));
}

TEST(ChainIdTest, SpecVectors) {
  EXPECT_EQ(ChainId({D(kA), D(kB)}), D(kAB));
  EXPECT_EQ(ChainId({D(kA), D(kB), D(kC)}), D(kABC));
  EXPECT_EQ(ChainIdOf(D(kAB), D(kC)), D(kABC));
  EXPECT_EQ(ChainIdOf(oci::Digest(), D(kB)), D(kB));
}

TEST(ChainIdTest, OrderMatters) {
  EXPECT_NE(ChainId({D(kB), D(kA)}), D(kAB));
}

TEST(ChainIdTest, EmptyStack) {
  EXPECT_TRUE(ChainId({}).empty());
  EXPECT_TRUE(ChainIds({}).empty());
}

TEST(ChainIdTest, EveryPrefix) {
  auto ids = ChainIds({D(kA), D(kB), D(kC)});
  ASSERT_EQ(ids.size(), 3u);
  EXPECT_EQ(ids[0], D(kA));
  EXPECT_EQ(ids[1], D(kAB));
  EXPECT_EQ(ids[2], D(kABC));
}

}  // namespace
}  // namespace distill::snapshot
