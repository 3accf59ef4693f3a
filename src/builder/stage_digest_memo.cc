#include "builder/stage_digest_memo.h"

namespace distill::builder {

namespace {
// Bump when what an entry means changes; old entries then simply miss.
constexpr const char* kMemoVersion = "distill-copy-from-digest-v1";
}  // namespace

std::string StageDigestMemo::PathFor(const oci::Digest& chain_id,
                                     const context::CopyRequest& request) const {
  oci::Digest name = oci::Digest::Of(std::string(kMemoVersion) + "\n" + chain_id.str() + "\n" +
                                     context::CopyRequestFingerprint(request));
  return JoinPath(dir_, name.hex());
}

std::optional<oci::Digest> StageDigestMemo::Get(const oci::Digest& chain_id,
                                                const context::CopyRequest& request) const {
  auto text = fs_->ReadFile(PathFor(chain_id, request));
  if (!text.ok()) return std::nullopt;
  auto digest = oci::Digest::Parse(*text);
  if (!digest.ok()) return std::nullopt;
  return *digest;
}

Status StageDigestMemo::Put(const oci::Digest& chain_id, const context::CopyRequest& request,
                            const oci::Digest& digest) const {
  DISTILL_RETURN_IF_ERROR(fs_->MakeDirs(dir_));
  return fs_->WriteFileAtomically(PathFor(chain_id, request), digest.str());
}

}  // namespace distill::builder
