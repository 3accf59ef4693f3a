#include "frontend/stage_graph.h"

#include <algorithm>
#include <functional>

namespace distill::frontend {

std::vector<bool> ReachableStages(const std::vector<std::vector<int>>& deps, int target) {
  std::vector<bool> seen(deps.size(), false);
  std::vector<int> todo;
  if (target >= 0 && target < static_cast<int>(deps.size())) todo.push_back(target);
  while (!todo.empty()) {
    int s = todo.back();
    todo.pop_back();
    if (seen[s]) continue;
    seen[s] = true;
    for (int d : deps[s]) {
      if (d >= 0 && d < static_cast<int>(deps.size()) && !seen[d]) todo.push_back(d);
    }
  }
  return seen;
}

Result<std::vector<int>> TopologicalOrder(const std::vector<std::vector<int>>& deps,
                                          const std::vector<bool>& include,
                                          const std::vector<std::string>& names) {
  const int n = static_cast<int>(deps.size());
  // Depth-first with colours: white (0) unvisited, grey (1) on the path, black (2) done.
  std::vector<int> colour(n, 0);
  std::vector<int> path;
  std::vector<int> order;
  std::string cycle;
  std::function<bool(int)> visit = [&](int s) {
    colour[s] = 1;
    path.push_back(s);
    std::vector<int> sorted = deps[s];
    std::sort(sorted.begin(), sorted.end());
    for (int d : sorted) {
      if (d < 0 || d >= n || !include[d]) continue;
      if (colour[d] == 1) {
        auto from = std::find(path.begin(), path.end(), d);
        for (auto it = from; it != path.end(); ++it) cycle += names[*it] + " -> ";
        cycle += names[d];
        return false;
      }
      if (colour[d] == 0 && !visit(d)) return false;
    }
    path.pop_back();
    colour[s] = 2;
    order.push_back(s);
    return true;
  };
  for (int s = 0; s < n; ++s) {
    if (include[s] && colour[s] == 0 && !visit(s)) {
      return Status::Invalid("cycle between build stages: " + cycle);
    }
  }
  return order;
}

std::vector<int> StageWaves(const std::vector<std::vector<int>>& deps,
                            const std::vector<int>& order) {
  std::vector<int> wave(deps.size(), 0);
  for (int s : order) {
    for (int d : deps[s]) {
      if (d >= 0 && d < static_cast<int>(deps.size())) wave[s] = std::max(wave[s], wave[d] + 1);
    }
  }
  return wave;
}

}  // namespace distill::frontend
