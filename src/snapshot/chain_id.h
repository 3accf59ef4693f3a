// ChainID (OCI image spec, config.md "Layer ChainID"): names a stack of layers
// by what the stack contains, so an unpacked stack can be shared by every image
// whose first layers are the same.
//
//   ChainID(L0)      = DiffID(L0)
//   ChainID(L0..Ln)  = sha256(ChainID(L0..Ln-1) + " " + DiffID(Ln))
#pragma once

#include <vector>

#include "oci/digest.h"

namespace distill::snapshot {

// The chain ID of `parent` with one more layer on top; an empty parent means
// `diff_id` is the bottom layer.
oci::Digest ChainIdOf(const oci::Digest& parent, const oci::Digest& diff_id);

// The chain ID of the whole stack (bottom first); empty for no layers.
oci::Digest ChainId(const std::vector<oci::Digest>& diff_ids);

// The chain ID of every prefix: result[i] names layers 0..i.
std::vector<oci::Digest> ChainIds(const std::vector<oci::Digest>& diff_ids);

}  // namespace distill::snapshot
