#include "runtime/log_file.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

namespace distill::runtime {
namespace {

constexpr size_t kMaxEntry = 16 * 1024;

void WriteAll(int fd, std::string_view data) {
  while (fd >= 0 && !data.empty()) {
    ssize_t n = write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data.remove_prefix(static_cast<size_t>(n));
  }
}

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string Rfc3339Nano(int64_t unix_ns) {
  time_t secs = static_cast<time_t>(unix_ns / 1000000000);
  struct tm tm;
  gmtime_r(&secs, &tm);
  char buf[64];
  size_t n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(buf + n, sizeof(buf) - n, ".%09lldZ", static_cast<long long>(unix_ns % 1000000000));
  return buf;
}

std::string FormatLogEntry(const LogEntry& entry) {
  nlohmann::json j = {{"log", entry.text}, {"stream", entry.stream}, {"time", entry.time}};
  // Output need not be UTF-8: replace invalid bytes rather than fail.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

Result<LogEntry> ParseLogEntry(std::string_view line) {
  nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("log") || !j["log"].is_string()) {
    return Status::Corrupt("container log: malformed entry: " + std::string(line.substr(0, 80)));
  }
  LogEntry e;
  e.text = j["log"].get<std::string>();
  e.stream = j.value("stream", "stdout");
  e.time = j.value("time", "");
  return e;
}

LogPump::LogPump(int stdout_read, int stderr_read, int log_fd, int echo_stdout, int echo_stderr)
    : fds_{stdout_read, stderr_read}, log_fd_(log_fd), echo_{echo_stdout, echo_stderr} {
  thread_ = std::thread([this] { Loop(); });
}

LogPump::~LogPump() {
  Join();
}

void LogPump::Join() {
  if (thread_.joinable()) thread_.join();
}

void LogPump::Loop() {
  static const char* const kStreams[] = {"stdout", "stderr"};
  auto flush = [&](int i, bool all) {
    std::string& buf = pending_[i];
    size_t start = 0;
    for (;;) {
      size_t nl = buf.find('\n', start);
      size_t end;
      if (nl != std::string::npos && nl - start < kMaxEntry) {
        end = nl + 1;
      } else if (buf.size() - start >= kMaxEntry) {
        end = start + kMaxEntry;
      } else if (all && start < buf.size()) {
        end = buf.size();
      } else {
        break;
      }
      WriteAll(log_fd_,
               FormatLogEntry({kStreams[i], buf.substr(start, end - start), Rfc3339Nano(NowNs())}));
      start = end;
    }
    buf.erase(0, start);
  };
  while (fds_[0] >= 0 || fds_[1] >= 0) {
    pollfd p[2];
    int idx[2];
    nfds_t n = 0;
    for (int i = 0; i < 2; ++i) {
      if (fds_[i] < 0) continue;
      p[n] = {fds_[i], POLLIN, 0};
      idx[n++] = i;
    }
    if (poll(p, n, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (nfds_t k = 0; k < n; ++k) {
      if (p[k].revents == 0) continue;
      int i = idx[k];
      char buf[16384];
      ssize_t got = read(fds_[i], buf, sizeof(buf));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        flush(i, true);
        close(fds_[i]);
        fds_[i] = -1;
        continue;
      }
      WriteAll(echo_[i], std::string_view(buf, static_cast<size_t>(got)));
      pending_[i].append(buf, static_cast<size_t>(got));
      flush(i, false);
    }
  }
}

}  // namespace distill::runtime
