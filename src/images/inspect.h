// `distill inspect`: an image as JSON in the shape of `docker image inspect`
// (Id, RepoTags, RepoDigests, Created, Config, RootFS, ...), plus the stored
// manifest under "Manifest", which docker does not show but which is what a
// distill image is.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "images/image_view.h"

namespace distill::images {

// `stored_tags` are the image's tags as stored (normalised); they are shown in
// familiar form, and RepoDigests holds "<repository>@<manifest digest>" once per
// repository. Id is the manifest digest (see image_list.h); the config digest
// is under "ConfigDigest". Size is ContentSize (image_view.h).
nlohmann::ordered_json InspectImage(const store::StoredImage& image,
                                    const std::vector<std::string>& stored_tags);

// The "Config" object: docker's member names, null for what is unset.
nlohmann::ordered_json ContainerConfigToJson(const oci::ContainerConfig& config);

}  // namespace distill::images
