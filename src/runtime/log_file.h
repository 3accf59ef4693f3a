// container.log, in Docker's json-file format: one JSON object per line of
// output, {"log":"hello\n","stream":"stdout","time":"2026-11-28T09:12:01.123456789Z"}.
// A line longer than 16 KiB is split into several entries (Docker does the
// same); only the last of them ends in "\n".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "util/status.h"

namespace distill::runtime {

struct LogEntry {
  std::string stream;  // "stdout" or "stderr"
  std::string text;
  std::string time;  // RFC 3339 with nanoseconds, UTC
};

std::string FormatLogEntry(const LogEntry& entry);
Result<LogEntry> ParseLogEntry(std::string_view line);
std::string Rfc3339Nano(int64_t unix_ns);

// Copies a container's stdout and stderr pipes into its log file (and, for a
// foreground `run`, to the terminal) on a thread of its own, until both pipes
// reach end-of-file, i.e. every process of the sandbox has exited.
class LogPump {
 public:
  // Takes ownership of the read ends; `echo_*` (may be -1) are not owned.
  LogPump(int stdout_read, int stderr_read, int log_fd, int echo_stdout, int echo_stderr);
  ~LogPump();
  LogPump(const LogPump&) = delete;
  LogPump& operator=(const LogPump&) = delete;
  void Join();

 private:
  void Loop();
  int fds_[2];
  int log_fd_;
  int echo_[2];
  std::string pending_[2];
  std::thread thread_;
};

}  // namespace distill::runtime
