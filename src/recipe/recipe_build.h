// Building an image recipe: the base made exactly as the built-in images are
// (distroless::BuildDistroless with the recipe's packages streamed in, or
// bootstrap::BootstrapImage with them apt-get installed), then one more layer
// with the recipe's accounts, files and directories, and the config the
// recipe asks for. Only the final image is tagged; the base stays untagged.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "oci/digest.h"
#include "recipe/image_recipe.h"
#include "store/store.h"
#include "util/status.h"

namespace distill::recipe {

struct RecipeBuildOptions {
  std::string mirror;                   // empty: the host's apt archive
  std::string apt_dir = "/etc/apt";     // the host's apt configuration
  std::vector<std::string> extra_tags;  // -t names, besides the recipe's tags
  std::string cache_dir;                // distroless package cache; empty: the default
  std::function<void(const std::string&)> progress;
};

struct RecipeBuildResult {
  oci::Digest manifest;
  std::vector<std::string> tags;
  uint64_t compressed_size = 0;  // all layers
  size_t layers = 0;
};

// Builds `recipe` into `store`. Errors name the recipe file (and line, for a
// file entry or a name that does not resolve).
Result<RecipeBuildResult> BuildImageRecipe(store::Store& store, const ImageRecipe& recipe,
                                           const RecipeBuildOptions& options);

}  // namespace distill::recipe
