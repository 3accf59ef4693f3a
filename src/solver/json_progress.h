// JsonProgress: `--progress=json`, one JSON object per line and per event, for
// tools. Members: "event" (ProgressKindName), "time_ns", and when they apply
// "id", "stage", "label", "text", "duration_ns". Output lines that are not valid
// UTF-8 get U+FFFD in place of the bad bytes, so every line parses.
//
// Thread-safe: one mutex serialises events.
#pragma once

#include <mutex>
#include <ostream>
#include <string>

#include "solver/progress.h"

namespace distill::solver {

// One event as its JSON line (without the newline).
std::string ProgressEventJson(const ProgressEvent& event);

class JsonProgress : public ProgressSink {
 public:
  explicit JsonProgress(std::ostream* out) : out_(out) {}
  void OnEvent(const ProgressEvent& event) override;

 private:
  std::mutex mu_;
  std::ostream* out_;
};

}  // namespace distill::solver
