// Conversions between the frontend's ImageConfig (what a Dockerfile builds up)
// and the OCI image config's runtime part (what an image stores). A base image
// read from the store enters a build through FromOciConfig; the finished stage
// leaves through ToOciConfig.
#pragma once

#include "frontend/plan.h"
#include "oci/image_config.h"

namespace distill::builder {

frontend::ImageConfig FromOciConfig(const oci::ImageConfig& image);

// The runtime config of an image with `config`. Fields Docker leaves out when
// empty are left empty here too (the serializer omits them).
oci::ContainerConfig ToOciConfig(const frontend::ImageConfig& config);

}  // namespace distill::builder
