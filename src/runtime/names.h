// Container IDs (64 random hex digits, `ps` shows the first 12) and the
// random "adjective_noun" names given when --name is absent.
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace distill::runtime {

Result<std::string> RandomContainerId();
// `random` picks the words; e.g. "brisk_lovelace".
std::string RandomContainerName(uint64_t random);
// Docker's rule for --name: [a-zA-Z0-9][a-zA-Z0-9_.-]*
Status ValidateContainerName(std::string_view name);

}  // namespace distill::runtime
