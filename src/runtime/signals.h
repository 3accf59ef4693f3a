// Signal names as images and the command line give them (STOPSIGNAL, stop).
#pragma once

#include <string_view>

#include "util/status.h"

namespace distill::runtime {

// "SIGTERM", "TERM", "term", "15" -> 15; SIGRTMIN+N is not supported.
Result<int> ParseSignal(std::string_view name);

}  // namespace distill::runtime
