// The text of `distill ps` columns, as Docker words them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/container.h"

namespace distill::runtime {

// Go's units.HumanDuration: "Less than a second", "1 second", "5 seconds",
// "About a minute", "3 minutes", "About an hour", "2 hours", "3 days", ...
std::string HumanDuration(int64_t ms);

// "Created", "Up 5 seconds", "Exited (0) 3 seconds ago".
std::string StatusColumn(const ContainerState& state, int64_t now_ms);
// "5 seconds ago".
std::string CreatedColumn(int64_t created_ms, int64_t now_ms);
// The command quoted and cut to 20 characters: "\"sh -c 'exit 3'\"",
// "\"sleep 1000000000…\"".
std::string CommandColumn(const std::vector<std::string>& argv);

}  // namespace distill::runtime
