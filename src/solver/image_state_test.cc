#include "solver/image_state.h"

#include <gtest/gtest.h>

#include "util/sha256.h"

namespace distill::solver {
namespace {

LayerRef Layer(const std::string& name) {
  LayerRef l;
  l.diff_id = oci::Digest::Sha256Hex(Sha256::HexOf(name));
  l.blob.digest = oci::Digest::Sha256Hex(Sha256::HexOf("gz:" + name));
  return l;
}

TEST(ImageStateTest, ChainIdFollowsTheOciFormula) {
  EXPECT_TRUE(ChainIdOf({}).empty());
  LayerRef a = Layer("a");
  LayerRef b = Layer("b");
  LayerRef c = Layer("c");
  EXPECT_EQ(ChainIdOf({a}), a.diff_id);
  oci::Digest ab = oci::Digest::Sha256Hex(Sha256::HexOf(a.diff_id.str() + " " + b.diff_id.str()));
  EXPECT_EQ(ChainIdOf({a, b}), ab);
  EXPECT_EQ(ChainIdOf({a, b, c}),
            oci::Digest::Sha256Hex(Sha256::HexOf(ab.str() + " " + c.diff_id.str())));
  EXPECT_NE(ChainIdOf({b, a}), ab);
}

TEST(ImageStateTest, AppendLayerKeepsTheChainId) {
  ImageState state;
  for (const char* name : {"a", "b", "c"}) {
    AppendLayer(&state, Layer(name));
    EXPECT_EQ(state.chain_id, ChainIdOf(state.layers));
  }
  EXPECT_EQ(state.layers.size(), 3u);
}

}  // namespace
}  // namespace distill::solver
