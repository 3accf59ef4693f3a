#include "solver/progress.h"

#include <cstdio>

namespace distill::solver {

const char* ProgressKindName(ProgressKind kind) {
  switch (kind) {
    case ProgressKind::kStageStarted:
      return "stage_started";
    case ProgressKind::kStepStarted:
      return "step_started";
    case ProgressKind::kStepCached:
      return "step_cached";
    case ProgressKind::kStepOutput:
      return "step_output";
    case ProgressKind::kStepFinished:
      return "step_finished";
    case ProgressKind::kStepFailed:
      return "step_failed";
    case ProgressKind::kBuildFinished:
      return "build_finished";
  }
  return "unknown";
}

std::string FormatSeconds(int64_t duration_ns) {
  if (duration_ns < 0) duration_ns = 0;
  // Tenths of a second, rounded down, as BuildKit shows them.
  int64_t tenths = duration_ns / 100000000;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%llds", static_cast<long long>(tenths / 10),
                static_cast<long long>(tenths % 10));
  return buf;
}

}  // namespace distill::solver
