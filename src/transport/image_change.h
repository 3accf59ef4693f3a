// --change: Dockerfile instructions applied to an image config (docker import
// --change / docker commit --change). Supported: CMD, ENTRYPOINT, ENV, EXPOSE,
// LABEL, USER, WORKDIR, VOLUME, STOPSIGNAL, in Dockerfile syntax (JSON or shell
// form where the instruction has both). Values are taken literally: no variable
// expansion, and quotes around an ENV/LABEL value are removed.
#pragma once

#include <string_view>

#include "oci/image_config.h"
#include "util/status.h"

namespace distill::transport {

// Applies one instruction line; errors name the line.
Status ApplyChange(std::string_view line, oci::ImageConfig* config);

}  // namespace distill::transport
