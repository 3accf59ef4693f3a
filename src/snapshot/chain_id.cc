#include "snapshot/chain_id.h"

namespace distill::snapshot {

oci::Digest ChainIdOf(const oci::Digest& parent, const oci::Digest& diff_id) {
  if (parent.empty()) return diff_id;
  return oci::Digest::Of(parent.str() + " " + diff_id.str());
}

oci::Digest ChainId(const std::vector<oci::Digest>& diff_ids) {
  oci::Digest chain;
  for (const auto& d : diff_ids) chain = ChainIdOf(chain, d);
  return chain;
}

std::vector<oci::Digest> ChainIds(const std::vector<oci::Digest>& diff_ids) {
  std::vector<oci::Digest> out;
  oci::Digest chain;
  for (const auto& d : diff_ids) {
    chain = ChainIdOf(chain, d);
    out.push_back(chain);
  }
  return out;
}

}  // namespace distill::snapshot
