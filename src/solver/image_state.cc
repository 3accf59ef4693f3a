#include "solver/image_state.h"

#include <utility>

namespace distill::solver {

namespace {

oci::Digest NextChainId(const oci::Digest& parent, const oci::Digest& diff_id) {
  if (parent.empty()) return diff_id;
  return oci::Digest::Of(parent.str() + " " + diff_id.str());
}

}  // namespace

oci::Digest ChainIdOf(const std::vector<LayerRef>& layers) {
  oci::Digest chain;
  for (const LayerRef& layer : layers) chain = NextChainId(chain, layer.diff_id);
  return chain;
}

void AppendLayer(ImageState* state, LayerRef layer) {
  state->chain_id = NextChainId(state->chain_id, layer.diff_id);
  state->layers.push_back(std::move(layer));
}

}  // namespace distill::solver
