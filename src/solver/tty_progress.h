// TtyProgress: the live view for a terminal. Every step is one line with its
// time on the right; finished steps collapse to that line, running ones show
// the last few lines of their output below them, a failed one keeps its tail.
// Each redraw moves the cursor back over the previous frame (ANSI escapes) and
// overwrites it.
//
//   [+] Building 2.3s (3/5)
//    => [build 1/3] FROM golang:1.22                                   0.0s
//    => CACHED [build 2/3] COPY go.mod /src/                           0.0s
//    => [build 3/3] RUN go build ./...                                 1.2s
//    => => # compiling main
//
// Frame() is a pure function of the events seen and `now`, so tests render
// to a string with a fake clock and a fixed width.
//
// Thread-safe: one mutex guards the state and the writes.
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

#include "solver/progress.h"

namespace distill::solver {

struct TtyProgressOptions {
  int width = 80;                     // terminal columns
  size_t tail_lines = 6;              // output lines shown under a running step
  int64_t min_redraw_ns = 100000000;  // output-only events redraw at most this often
};

class TtyProgress : public ProgressSink {
 public:
  TtyProgress(std::ostream* out, const Clock* clock, TtyProgressOptions options = {});
  void OnEvent(const ProgressEvent& event) override;
  // Redraws with the current time (call it from a timer so running times move).
  void Tick();

  // The frame as lines (no escapes), for the events seen so far, at `now`.
  std::vector<std::string> Frame(int64_t now_ns) const;

 private:
  enum class State { kRunning, kDone, kCached, kFailed };
  struct Row {
    int id = 0;  // 0 for a stage's FROM row
    std::string label;
    State state = State::kRunning;
    int64_t start_ns = 0;
    int64_t end_ns = 0;
    std::deque<std::string> tail;
  };
  Row* FindRow(int id);
  std::vector<std::string> FrameLocked(int64_t now_ns) const;
  void RedrawLocked(int64_t now_ns);
  std::string Fit(const std::string& left, const std::string& right) const;

  mutable std::mutex mu_;
  std::ostream* out_;
  const Clock* clock_;
  TtyProgressOptions options_;
  std::vector<Row> rows_;
  bool started_ = false;
  int64_t build_start_ns_ = 0;
  bool finished_ = false;
  int64_t build_end_ns_ = 0;
  std::string error_;
  size_t drawn_lines_ = 0;
  int64_t last_draw_ns_ = 0;
};

}  // namespace distill::solver
