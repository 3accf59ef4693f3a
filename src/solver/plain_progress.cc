#include "solver/plain_progress.h"

#include <cstdio>
#include <string>

namespace distill::solver {

namespace {

// Seconds since the step started, with milliseconds: "0.512".
std::string Offset(int64_t ns) {
  if (ns < 0) ns = 0;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(ns / 1000000000),
                static_cast<long long>((ns / 1000000) % 1000));
  return buf;
}

}  // namespace

void PlainProgress::OnEvent(const ProgressEvent& e) {
  std::lock_guard<std::mutex> lock(mu_);
  std::ostream& out = *out_;
  const std::string id = "#" + std::to_string(e.id) + " ";
  switch (e.kind) {
    case ProgressKind::kStageStarted:
      out << "=> " << e.label << "\n";
      break;
    case ProgressKind::kStepStarted:
      step_start_[e.id] = e.time_ns;
      out << id << e.label << "\n";
      break;
    case ProgressKind::kStepCached:
      ++cached_;
      out << id << e.label << "\n" << id << "CACHED\n";
      break;
    case ProgressKind::kStepOutput: {
      auto it = step_start_.find(e.id);
      int64_t since = it == step_start_.end() ? 0 : e.time_ns - it->second;
      out << id << Offset(since) << " " << e.text << "\n";
      break;
    }
    case ProgressKind::kStepFinished:
      ++executed_;
      out << id << "DONE " << FormatSeconds(e.duration_ns) << "\n";
      break;
    case ProgressKind::kStepFailed:
      out << id << "ERROR: " << e.text << "\n";
      break;
    case ProgressKind::kBuildFinished:
      if (e.text.empty()) {
        out << "Build finished in " << FormatSeconds(e.duration_ns) << " (" << executed_
            << " steps run, " << cached_ << " cached)\n";
      } else {
        out << "Build failed after " << FormatSeconds(e.duration_ns) << ": " << e.text << "\n";
      }
      break;
  }
  out.flush();
}

}  // namespace distill::solver
