#include "context/stat_cache.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <ctime>
#include <vector>

namespace distill::context {
namespace {

constexpr std::string_view kHeader = "distill-stat-cache 1";

int64_t Ns(const struct timespec& ts) {
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

std::string EscapeKey(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '%') {
      out += "%25";
    } else if (c == '\n') {
      out += "%0A";
    } else if (c == '\r') {
      out += "%0D";
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> UnescapeKey(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    std::string_view code = s.substr(i + 1, 2);
    if (code == "25") {
      out += '%';
    } else if (code == "0A") {
      out += '\n';
    } else if (code == "0D") {
      out += '\r';
    } else {
      return std::nullopt;
    }
    i += 2;
  }
  return out;
}

template <typename T>
bool ParseNumber(std::string_view field, T* out) {
  auto [ptr, ec] = std::from_chars(field.data(), field.data() + field.size(), *out);
  return ec == std::errc() && ptr == field.data() + field.size();
}

Status WriteAll(int fd, const std::string& data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno("write stat cache " + path, errno);
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace

int64_t StatCache::CoarseNowNs() {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME_COARSE, &ts);
  return Ns(ts);
}

Result<std::unique_ptr<StatCache>> StatCache::Load(const std::string& path) {
  std::unique_ptr<StatCache> cache(new StatCache(path));
  if (path.empty()) return cache;
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return cache;
    return Status::FromErrno("open stat cache " + path, errno);
  }
  std::string text;
  char buf[65536];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      close(fd);
      return Status::FromErrno("read stat cache " + path, err);
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  close(fd);
  if (!cache->Parse(text).ok()) {
    // Another version or damage: start over; the next Save replaces it.
    cache->entries_.clear();
    cache->dirty_ = true;
  }
  return cache;
}

Status StatCache::Parse(const std::string& text) {
  size_t pos = 0;
  bool first = true;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) return Status::Corrupt("stat cache: truncated line");
    std::string_view line(text.data() + pos, nl - pos);
    pos = nl + 1;
    if (first) {
      if (line != kHeader) return Status::Corrupt("stat cache: unknown version");
      first = false;
      continue;
    }
    std::vector<std::string_view> fields;
    size_t start = 0;
    while (fields.size() < 7) {
      size_t sp = line.find(' ', start);
      if (sp == std::string_view::npos) return Status::Corrupt("stat cache: short line");
      fields.push_back(line.substr(start, sp - start));
      start = sp + 1;
    }
    Entry e;
    e.sha256 = std::string(fields[0]);
    if (e.sha256.size() != 64 || !ParseNumber(fields[1], &e.size) ||
        !ParseNumber(fields[2], &e.mtime_ns) || !ParseNumber(fields[3], &e.ctime_ns) ||
        !ParseNumber(fields[4], &e.inode) || !ParseNumber(fields[5], &e.mode) ||
        !ParseNumber(fields[6], &e.hashed_at_ns)) {
      return Status::Corrupt("stat cache: bad field");
    }
    auto key = UnescapeKey(line.substr(start));
    if (!key) return Status::Corrupt("stat cache: bad key");
    entries_[*key] = std::move(e);
  }
  if (first && !text.empty()) return Status::Corrupt("stat cache: no header");
  return Status::Ok();
}

std::optional<std::string> StatCache::Lookup(const std::string& key, const struct stat& st) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  const Entry& e = it->second;
  e.used = true;
  int64_t mtime = Ns(st.st_mtim);
  int64_t ctime = Ns(st.st_ctim);
  if (e.size != static_cast<uint64_t>(st.st_size) || e.mtime_ns != mtime || e.ctime_ns != ctime ||
      e.inode != static_cast<uint64_t>(st.st_ino) || e.mode != st.st_mode) {
    return std::nullopt;
  }
  if (mtime >= e.hashed_at_ns || ctime >= e.hashed_at_ns) return std::nullopt;  // racily clean
  return e.sha256;
}

void StatCache::Store(const std::string& key, const struct stat& st, const std::string& sha256_hex,
                      int64_t hashed_at_ns) {
  Entry e;
  e.sha256 = sha256_hex;
  e.size = static_cast<uint64_t>(st.st_size);
  e.mtime_ns = Ns(st.st_mtim);
  e.ctime_ns = Ns(st.st_ctim);
  e.inode = static_cast<uint64_t>(st.st_ino);
  e.mode = st.st_mode;
  e.hashed_at_ns = hashed_at_ns;
  e.used = true;
  std::lock_guard<std::mutex> lock(mu_);
  entries_[key] = std::move(e);
  dirty_ = true;
}

size_t StatCache::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

Status StatCache::Save() {
  std::lock_guard<std::mutex> lock(mu_);
  if (entries_.size() > max_entries_) {
    for (auto it = entries_.begin(); it != entries_.end();) {
      it = it->second.used ? std::next(it) : entries_.erase(it);
    }
    dirty_ = true;
  }
  if (path_.empty() || !dirty_) return Status::Ok();
  std::string text(kHeader);
  text += '\n';
  for (const auto& [key, e] : entries_) {
    text += e.sha256 + ' ' + std::to_string(e.size) + ' ' + std::to_string(e.mtime_ns) + ' ' +
            std::to_string(e.ctime_ns) + ' ' + std::to_string(e.inode) + ' ' +
            std::to_string(e.mode) + ' ' + std::to_string(e.hashed_at_ns) + ' ' + EscapeKey(key) +
            '\n';
  }
  std::string tmp = path_ + ".tmp." + std::to_string(getpid());
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::FromErrno("create stat cache " + tmp, errno);
  Status st = WriteAll(fd, text, tmp);
  if (st.ok() && fsync(fd) != 0) st = Status::FromErrno("fsync stat cache " + tmp, errno);
  close(fd);
  if (st.ok() && rename(tmp.c_str(), path_.c_str()) != 0) {
    st = Status::FromErrno("rename stat cache into place " + path_, errno);
  }
  if (!st.ok()) {
    unlink(tmp.c_str());
    return st;
  }
  dirty_ = false;
  return Status::Ok();
}

}  // namespace distill::context
