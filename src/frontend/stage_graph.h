// The stage dependency graph: which stages a target needs, and an order (and
// "waves" of stages that may run at the same time) that puts dependencies first.
#pragma once

#include <string>
#include <vector>

#include "util/status.h"

namespace distill::frontend {

// deps[i] lists the stages stage i needs. Returns the stages reachable from
// `target` (including it), as a per-stage flag.
std::vector<bool> ReachableStages(const std::vector<std::vector<int>>& deps, int target);

// A run order of the stages with include[i] set, dependencies first; ties go to
// the earlier stage, so the order is stable. A cycle is an error naming the
// stages on it, e.g. "cycle between build stages: a -> b -> a".
Result<std::vector<int>> TopologicalOrder(const std::vector<std::vector<int>>& deps,
                                          const std::vector<bool>& include,
                                          const std::vector<std::string>& names);

// wave[i] = 0 for stages without dependencies, else 1 + the largest wave of its
// dependencies: stages of one wave never depend on each other. `order` must be a
// topological order (as from TopologicalOrder); stages not in it get 0.
std::vector<int> StageWaves(const std::vector<std::vector<int>>& deps,
                            const std::vector<int>& order);

}  // namespace distill::frontend
