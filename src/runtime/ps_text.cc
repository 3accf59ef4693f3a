#include "runtime/ps_text.h"

namespace distill::runtime {
namespace {

std::string Plural(int64_t n, const char* unit) {
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

}  // namespace

std::string HumanDuration(int64_t ms) {
  int64_t seconds = ms / 1000;
  if (seconds < 1) return "Less than a second";
  if (seconds == 1) return "1 second";
  if (seconds < 60) return Plural(seconds, "second");
  int64_t minutes = seconds / 60;
  if (minutes == 1) return "About a minute";
  if (minutes < 60) return Plural(minutes, "minute");
  int64_t hours = minutes / 60;
  if (hours == 1) return "About an hour";
  if (hours < 48) return Plural(hours, "hour");
  if (hours < 24 * 7 * 2) return Plural(hours / 24, "day");
  if (hours < 24 * 30 * 2) return Plural(hours / 24 / 7, "week");
  if (hours < 24 * 365 * 2) return Plural(hours / 24 / 30, "month");
  return Plural(hours / 24 / 365, "year");
}

std::string StatusColumn(const ContainerState& state, int64_t now_ms) {
  switch (state.status) {
    case ContainerStatus::kCreated:
      return "Created";
    case ContainerStatus::kRunning:
      return "Up " + HumanDuration(now_ms - state.started_ms);
    case ContainerStatus::kExited:
      return "Exited (" + std::to_string(state.exit_code) + ") " +
             HumanDuration(now_ms - state.finished_ms) + " ago";
  }
  return "";
}

std::string CreatedColumn(int64_t created_ms, int64_t now_ms) {
  return HumanDuration(now_ms - created_ms) + " ago";
}

std::string CommandColumn(const std::vector<std::string>& argv) {
  std::string joined;
  for (const std::string& a : argv) {
    if (!joined.empty()) joined += ' ';
    bool quote = a.empty() || a.find_first_of(" \t'\"") != std::string::npos;
    joined += quote ? "'" + a + "'" : a;
  }
  if (joined.size() > 20) joined = joined.substr(0, 19) + "\u2026";
  return "\"" + joined + "\"";
}

}  // namespace distill::runtime
