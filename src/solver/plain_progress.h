// PlainProgress: one line per event, for logs, CI and `--progress=plain`
// (BuildKit's plain output is the model: "#3 [build 2/4] RUN make",
// "#3 0.512 <output line>", "#3 DONE 1.2s", "#3 CACHED", "#3 ERROR: ...").
//
// Thread-safe: events from several stages are serialised by one mutex, and
// each event is written as whole lines.
#pragma once

#include <map>
#include <mutex>
#include <ostream>

#include "solver/progress.h"

namespace distill::solver {

class PlainProgress : public ProgressSink {
 public:
  explicit PlainProgress(std::ostream* out) : out_(out) {}
  void OnEvent(const ProgressEvent& event) override;

 private:
  std::mutex mu_;
  std::ostream* out_;
  std::map<int, int64_t> step_start_;  // id -> time_ns of kStepStarted
  int executed_ = 0;
  int cached_ = 0;
};

}  // namespace distill::solver
