// The argv of a container, as Docker computes it from the image config and the
// `run` command line:
//   - the image's ENTRYPOINT followed by its CMD (CMD gives default arguments);
//   - arguments after the image name replace CMD;
//   - --entrypoint replaces ENTRYPOINT and clears the image's CMD
//     (`--entrypoint ""` leaves no entrypoint at all);
//   - nothing left to run is an error naming the image.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oci/image_config.h"
#include "util/status.h"

namespace distill::runtime {

Result<std::vector<std::string>> ResolveCommand(const oci::ContainerConfig& image,
                                                const std::optional<std::string>& entrypoint_flag,
                                                const std::vector<std::string>& args,
                                                std::string_view image_name);

// Whether `argv` is a shell-form ENTRYPOINT/CMD as the builder writes it
// (["/bin/sh", "-c", ...]): such a command needs /bin/sh in the image.
bool IsShellForm(const std::vector<std::string>& argv);

// The error for a shell-form command in an image without /bin/sh.
Status NoShellError(const std::vector<std::string>& argv, std::string_view image_name);

}  // namespace distill::runtime
