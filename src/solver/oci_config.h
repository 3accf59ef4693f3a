// Between the solver's view of an image (frontend::ImageConfig plus layers and
// history, in ImageState) and the OCI image config document: what an image
// writer needs from a build result, and what a Backend's ResolveBase needs to
// give the solver from a pulled image.
#pragma once

#include <string>

#include "frontend/plan.h"
#include "oci/image_config.h"
#include "solver/image_state.h"
#include "util/status.h"

namespace distill::solver {

// The OCI config of `state`: platform (os/architecture/variant), runtime
// config, rootfs diff IDs in layer order, and history. `created` (RFC 3339,
// e.g. from SOURCE_DATE_EPOCH) stamps the image and every history entry that
// has no time yet; empty leaves them unset. Errors name the platform.
Result<oci::ImageConfig> ToOciImageConfig(const ImageState& state, const std::string& created);

// The runtime part of an OCI config for a stage's `config`. Fields Docker
// leaves out when empty stay empty (the serializer omits them).
oci::ContainerConfig ToOciContainerConfig(const frontend::ImageConfig& config);

// The runtime config of a base image as the solver and frontend use it.
// Docker's null-vs-empty Cmd distinction is not in the OCI model: a non-empty
// Cmd/Entrypoint counts as set.
frontend::ImageConfig FromOciImageConfig(const oci::ImageConfig& config);

}  // namespace distill::solver
