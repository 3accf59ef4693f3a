// ImageState: what a stage looks like after some of its steps — the layer chain
// so far, the image config and the history — the value the solver passes from
// step to step and from stage to stage (FROM <stage>, COPY --from).
#pragma once

#include <string>
#include <vector>

#include "frontend/plan.h"
#include "oci/descriptor.h"
#include "oci/digest.h"
#include "oci/image_config.h"

namespace distill::solver {

// One layer of a chain: the blob as stored (compressed) and its diff ID (the
// digest of the uncompressed tar), which is what chain IDs and rootfs use.
struct LayerRef {
  oci::Descriptor blob;
  oci::Digest diff_id;
  friend bool operator==(const LayerRef&, const LayerRef&) = default;
};

// Invariant: chain_id == ChainIdOf(layers) (use AppendLayer to keep it so);
// `history` has one entry per step or base history entry, and its non-empty
// entries (empty_layer false) correspond to `layers` one to one, in order.
// History entries carry no `created` time: the image writer stamps them, so
// that nothing here depends on when the build ran.
struct ImageState {
  std::vector<LayerRef> layers;
  oci::Digest chain_id;  // empty for no layers (scratch)
  frontend::ImageConfig config;
  std::vector<oci::HistoryEntry> history;
  std::string platform;  // "linux/amd64"
};

// OCI image spec: ChainID(L0) = DiffID(L0); ChainID(L0|...|Ln) =
// sha256(ChainID(L0|...|Ln-1) + " " + DiffID(Ln)). Empty for no layers.
oci::Digest ChainIdOf(const std::vector<LayerRef>& layers);

// Appends `layer` and extends the chain ID accordingly.
void AppendLayer(ImageState* state, LayerRef layer);

}  // namespace distill::solver
