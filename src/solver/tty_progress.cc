#include "solver/tty_progress.h"

#include <algorithm>

namespace distill::solver {

TtyProgress::TtyProgress(std::ostream* out, const Clock* clock, TtyProgressOptions options)
    : out_(out), clock_(clock), options_(options) {
  if (options_.width < 20) options_.width = 20;
}

TtyProgress::Row* TtyProgress::FindRow(int id) {
  for (Row& row : rows_) {
    if (row.id == id && id != 0) return &row;
  }
  return nullptr;
}

void TtyProgress::OnEvent(const ProgressEvent& e) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!started_) {
    started_ = true;
    build_start_ns_ = e.time_ns;
  }
  bool urgent = true;  // everything but output redraws at once
  switch (e.kind) {
    case ProgressKind::kStageStarted:
      rows_.push_back({0, e.label, State::kDone, e.time_ns, e.time_ns, {}});
      break;
    case ProgressKind::kStepStarted:
      rows_.push_back({e.id, e.label, State::kRunning, e.time_ns, 0, {}});
      break;
    case ProgressKind::kStepCached:
      rows_.push_back({e.id, e.label, State::kCached, e.time_ns, e.time_ns, {}});
      break;
    case ProgressKind::kStepOutput:
      if (Row* row = FindRow(e.id)) {
        row->tail.push_back(e.text);
        while (row->tail.size() > options_.tail_lines) row->tail.pop_front();
      }
      urgent = false;
      break;
    case ProgressKind::kStepFinished:
      if (Row* row = FindRow(e.id)) {
        row->state = State::kDone;
        row->end_ns = e.time_ns;
        row->tail.clear();
      }
      break;
    case ProgressKind::kStepFailed:
      if (Row* row = FindRow(e.id)) {
        row->state = State::kFailed;
        row->end_ns = e.time_ns;
      }
      break;
    case ProgressKind::kBuildFinished:
      finished_ = true;
      build_end_ns_ = e.time_ns;
      error_ = e.text;
      break;
  }
  if (urgent || e.time_ns - last_draw_ns_ >= options_.min_redraw_ns) RedrawLocked(e.time_ns);
}

void TtyProgress::Tick() {
  std::lock_guard<std::mutex> lock(mu_);
  if (started_ && !finished_) RedrawLocked(clock_->NowNanos());
}

std::vector<std::string> TtyProgress::Frame(int64_t now_ns) const {
  std::lock_guard<std::mutex> lock(mu_);
  return FrameLocked(now_ns);
}

namespace {

// Terminal columns of UTF-8 text, counting each character as one column (wide
// East Asian characters count one too: close enough for labels).
size_t Columns(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// The longest prefix of `s` that fits in `columns`, cut between characters.
std::string CutToColumns(const std::string& s, size_t columns) {
  size_t seen = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (seen == columns) return s.substr(0, i);
      ++seen;
    }
  }
  return s;
}

}  // namespace

std::string TtyProgress::Fit(const std::string& left, const std::string& right) const {
  const size_t width = static_cast<size_t>(options_.width);
  const size_t right_columns = Columns(right);
  const size_t room = width > right_columns + 1 ? width - right_columns - 1 : 0;
  std::string text = CutToColumns(left, right.empty() ? width : room);
  if (right.empty()) return text;
  return text + std::string(room - Columns(text) + 1, ' ') + right;
}

std::vector<std::string> TtyProgress::FrameLocked(int64_t now_ns) const {
  const int64_t end = finished_ ? build_end_ns_ : now_ns;
  size_t done = 0;
  size_t steps = 0;
  for (const Row& row : rows_) {
    if (row.id == 0) continue;
    ++steps;
    if (row.state != State::kRunning) ++done;
  }
  std::string header = "[+] Building " + FormatSeconds(end - build_start_ns_) + " (" +
                       std::to_string(done) + "/" + std::to_string(steps) + ")";
  if (finished_) header += error_.empty() ? " FINISHED" : " FAILED";
  std::vector<std::string> lines = {Fit(header, "")};
  for (const Row& row : rows_) {
    std::string prefix = " => ";
    if (row.state == State::kCached) prefix += "CACHED ";
    if (row.state == State::kFailed) prefix += "ERROR ";
    const int64_t row_end = row.state == State::kRunning ? now_ns : row.end_ns;
    lines.push_back(Fit(prefix + row.label, FormatSeconds(row_end - row.start_ns)));
    if (row.state == State::kRunning || row.state == State::kFailed) {
      for (const std::string& t : row.tail) lines.push_back(Fit(" => => # " + t, ""));
    }
  }
  if (finished_ && !error_.empty()) lines.push_back(Fit("ERROR: " + error_, ""));
  return lines;
}

void TtyProgress::RedrawLocked(int64_t now_ns) {
  std::vector<std::string> lines = FrameLocked(now_ns);
  std::string out;
  if (drawn_lines_ > 0) out += "\x1b[" + std::to_string(drawn_lines_) + "A";
  for (const std::string& line : lines) out += "\r" + line + "\x1b[K\n";
  // A shorter frame than the last one leaves old lines below: clear them.
  if (lines.size() < drawn_lines_) out += "\x1b[J";
  drawn_lines_ = lines.size();
  last_draw_ns_ = now_ns;
  *out_ << out;
  out_->flush();
}

}  // namespace distill::solver
