#include "solver/json_progress.h"

#include <nlohmann/json.hpp>

namespace distill::solver {

std::string ProgressEventJson(const ProgressEvent& e) {
  nlohmann::ordered_json j;
  j["event"] = ProgressKindName(e.kind);
  j["time_ns"] = e.time_ns;
  if (e.id != 0) j["id"] = e.id;
  if (e.stage >= 0) j["stage"] = e.stage;
  if (!e.label.empty()) j["label"] = e.label;
  if (!e.text.empty() || e.kind == ProgressKind::kStepOutput) j["text"] = e.text;
  if (e.kind == ProgressKind::kStepFinished || e.kind == ProgressKind::kStepFailed ||
      e.kind == ProgressKind::kBuildFinished) {
    j["duration_ns"] = e.duration_ns;
  }
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

void JsonProgress::OnEvent(const ProgressEvent& event) {
  std::string line = ProgressEventJson(event);
  std::lock_guard<std::mutex> lock(mu_);
  *out_ << line << "\n";
  out_->flush();
}

}  // namespace distill::solver
