// `build --cache-to`: after a build, writes the cache records of its steps,
// and the layer blobs they name, as a cache artifact (cache_artifact.h) into a
// directory or a registry, for other machines' `--cache-from`.
//
// mode=min (the default) exports the steps whose layers make up the final
// image: the target stage and the stages it is FROM, transitively. A second
// machine then skips those, but re-runs the stages the image only copies from
// (COPY --from), as their records are not there. mode=max exports every step
// of every stage the build ran, so nothing runs again.
#pragma once

#include <string>
#include <vector>

#include "builder/cache_artifact.h"
#include "builder/cache_artifact_spec.h"
#include "builder/cache_artifact_store.h"
#include "frontend/plan.h"
#include "solver/solver.h"
#include "store/store.h"
#include "util/status.h"

namespace distill::builder {

// The cache keys to export, in the order the steps finished, each once.
std::vector<std::string> SelectCacheKeys(const frontend::Plan& plan,
                                         const solver::BuildResult& result, CacheMode mode);

// Reads the records of `keys` from the store's cache and writes them, their
// layer blobs, the config and (last) the manifest to `dest`. A key without a
// record (none should be missing after a build) is skipped. Returns the
// manifest's digest.
Result<oci::Digest> ExportCache(store::Store& store, const std::vector<std::string>& keys,
                                CacheArtifactStore* dest);

}  // namespace distill::builder
