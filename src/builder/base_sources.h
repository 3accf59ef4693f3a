// Where FROM images come from when a build needs them: the store, images made
// from Debian packages, a registry. `--base-source` says which sources may be
// used, `--pull` when the registry is asked (README "Pull policy"):
//
//   auto     store -> made from Debian (names Debian can make) -> registry pull
//   debian   store -> made from Debian
//   registry store -> registry pull
//   store    store only
//
//   --pull=missing (default) the registry only for images the store lacks;
//   --pull=always  the registry first for every FROM image (the store's copy
//                  is used only if the registry does not have the name);
//   --pull=never   never the registry.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "oci/digest.h"
#include "store/store.h"
#include "util/status.h"

namespace distill::builder {

enum class BaseSource { kAuto, kDebian, kRegistry, kStore };
enum class PullPolicy { kMissing, kAlways, kNever };

Result<BaseSource> ParseBaseSource(std::string_view text);
Result<PullPolicy> ParsePullPolicy(std::string_view text);

// Makes or fetches image `name` into the store; kNotFound: "not a name I have".
using BaseMaker = std::function<Result<oci::Digest>(store::Store& store, const std::string& name)>;

// The two hooks of BuildRequest (make_base, refresh_base) for a policy.
struct BaseMakers {
  BaseMaker make_base;     // for names missing from the store
  BaseMaker refresh_base;  // before the store is looked at (--pull=always)
};

// `debian` and `registry` are the two sources; the result uses each only as
// the policy allows. Fails for contradictions (--pull=always with a source
// that never pulls).
Result<BaseMakers> ComposeBaseSources(BaseSource source, PullPolicy pull, BaseMaker debian,
                                      BaseMaker registry);

}  // namespace distill::builder
