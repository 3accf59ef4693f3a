// Progress: the solver reports what it does as a stream of events; renderers
// (plain, tty, json) turn them into output. The solver never formats text for
// a terminal itself, and what it reports never enters a cache key.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace distill::solver {

// Monotonic time for durations; a fake in tests makes output reproducible.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowNanos() const = 0;
};

class SteadyClock : public Clock {
 public:
  int64_t NowNanos() const override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
};

enum class ProgressKind {
  kStageStarted,   // label: "[build 1/4] FROM golang:1.22" (or "FROM scratch")
  kStepStarted,    // label: "[build 2/4] RUN make"
  kStepCached,     // the step's result came from the cache (no kStepStarted before it)
  kStepOutput,     // text: one line the step printed
  kStepFinished,   // duration_ns
  kStepFailed,     // text: the error
  kBuildFinished,  // text: "" on success, else the error; duration_ns: whole build
};

const char* ProgressKindName(ProgressKind kind);

struct ProgressEvent {
  ProgressKind kind = ProgressKind::kStepStarted;
  int64_t time_ns = 0;  // from the solver's Clock
  int id = 0;           // step id, unique within the build ("#3"); 0 for build events
  int stage = -1;       // stage index; -1 for build events
  std::string label;    // step/stage label (set on every step event)
  std::string text;     // output line or error
  int64_t duration_ns = 0;
};

// Receives events from several threads at once: implementations are thread-safe.
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void OnEvent(const ProgressEvent& event) = 0;
};

// Formats a duration as the renderers show it: "0.0s", "1.2s", "75.0s".
std::string FormatSeconds(int64_t duration_ns);

}  // namespace distill::solver
