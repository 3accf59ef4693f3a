#include "debian/fetch.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <thread>

#include "util/curl_transfer.h"
#include "util/file_system.h"
#include "util/sha256.h"

namespace distill::debian {
namespace {

// ---- libcurl ------------------------------------------------------------

struct Transfer {
  CURL* curl = nullptr;
  const std::function<Writer*(const HttpHead&)>* on_head = nullptr;
  bool head_seen = false;
  HttpHead head;
  Writer* sink = nullptr;
  Status write_error;
};

size_t WriteBody(char* data, size_t size, size_t nmemb, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * nmemb;
  if (!t->head_seen) {
    t->head_seen = true;
    long code = 0;
    curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &code);
    t->head.status = code == 0 ? 200 : code;  // file:// has no status
    t->sink = (*t->on_head)(t->head);
  }
  if (t->sink == nullptr) return len;
  Status s = t->sink->Write(data, len);
  if (!s.ok()) {
    t->write_error = s;
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  return len;
}

class CurlHttpClient : public HttpClient {
 public:
  explicit CurlHttpClient(CurlOptions options) : options_(std::move(options)) {}

  Result<HttpHead> Get(const std::string& url, uint64_t offset,
                       const std::function<Writer*(const HttpHead&)>& on_head) override {
    DISTILL_ASSIGN_OR_RETURN(CurlTransfer transfer, CurlTransfer::Start(url, options_));
    CURL* curl = transfer.handle();
    Transfer t;
    t.curl = curl;
    t.on_head = &on_head;
    std::string range = std::to_string(offset) + "-";
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &WriteBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    if (offset > 0) curl_easy_setopt(curl, CURLOPT_RANGE, range.c_str());
    CURLcode rc = transfer.Perform();
    if (!t.head_seen) t.head.status = transfer.ResponseCode();
    if (!t.write_error.ok()) return t.write_error.Prefixed("GET " + url);
    if (rc == CURLE_FILE_COULDNT_READ_FILE) return HttpHead{404};  // file:// not found
    if (rc != CURLE_OK) return transfer.Error(rc, "GET " + url);
    if (!t.head_seen) {  // an empty body: the writer was never asked for
      if (t.head.status == 0) t.head.status = 200;
      on_head(t.head);
    }
    return t.head;
  }

 private:
  CurlOptions options_;
};

// ---- files ----------------------------------------------------------------

// A Writer appending to a file descriptor it owns.
class AppendFile : public Writer {
 public:
  using Writer::Write;
  ~AppendFile() override {
    if (fd_ >= 0) ::close(fd_);
  }
  static Result<std::unique_ptr<AppendFile>> Open(const std::string& path, bool truncate) {
    int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (truncate ? O_TRUNC : O_APPEND);
    int fd = ::open(path.c_str(), flags, 0644);
    if (fd < 0) return Status::FromErrno("open " + path, errno);
    auto f = std::unique_ptr<AppendFile>(new AppendFile(fd, path));
    return f;
  }
  Status Write(const void* data, size_t len) override {
    const char* p = static_cast<const char*>(data);
    while (len > 0) {
      ssize_t n = ::write(fd_, p, len);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::FromErrno("write " + path_, errno);
      }
      p += n;
      len -= static_cast<size_t>(n);
    }
    return Status::Ok();
  }
  Status Close() override {
    if (fd_ < 0) return Status::Ok();
    int fd = fd_;
    fd_ = -1;
    if (::fsync(fd) != 0 || ::close(fd) != 0) return Status::FromErrno("close " + path_, errno);
    return Status::Ok();
  }

 private:
  AppendFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
};

// A Writer that fails once more than `limit` bytes arrive.
class BoundedStringWriter : public StringWriter {
 public:
  using Writer::Write;
  BoundedStringWriter(size_t limit, std::string url) : limit_(limit), url_(std::move(url)) {}
  Status Write(const void* data, size_t len) override {
    if (str().size() + len > limit_) {
      return Status::Corrupt(url_ + " is larger than " + std::to_string(limit_) + " bytes");
    }
    return StringWriter::Write(data, len);
  }

 private:
  size_t limit_;
  std::string url_;
};

std::optional<uint64_t> FileSize(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return static_cast<uint64_t>(st.st_size);
}

Result<std::string> HashFile(const std::string& path) {
  DISTILL_ASSIGN_OR_RETURN(auto in, DefaultFileSystem()->OpenForRead(path));
  Sha256 sha;
  std::string buf(256 * 1024, '\0');
  while (true) {
    DISTILL_ASSIGN_OR_RETURN(size_t n, in->Read(buf.data(), buf.size()));
    if (n == 0) break;
    sha.Update(buf.data(), n);
  }
  return sha.FinishHex();
}

bool IsTransient(long status) {
  return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

bool IsHex64(const std::string& s) {
  return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

}  // namespace

std::unique_ptr<HttpClient> NewCurlHttpClient(CurlOptions options) {
  return std::make_unique<CurlHttpClient>(std::move(options));
}

std::string HttpStatusText(long status) {
  const char* reason = "";
  switch (status) {
    case 200:
      reason = " OK";
      break;
    case 206:
      reason = " Partial Content";
      break;
    case 301:
      reason = " Moved Permanently";
      break;
    case 302:
      reason = " Found";
      break;
    case 401:
      reason = " Unauthorized";
      break;
    case 403:
      reason = " Forbidden";
      break;
    case 404:
      reason = " Not Found";
      break;
    case 408:
      reason = " Request Timeout";
      break;
    case 416:
      reason = " Range Not Satisfiable";
      break;
    case 429:
      reason = " Too Many Requests";
      break;
    case 500:
      reason = " Internal Server Error";
      break;
    case 502:
      reason = " Bad Gateway";
      break;
    case 503:
      reason = " Service Unavailable";
      break;
    case 504:
      reason = " Gateway Timeout";
      break;
    default:
      break;
  }
  return "HTTP " + std::to_string(status) + reason;
}

std::string DefaultDebianCacheDir(const std::string& store_root) {
  // Every cached file is content-addressed and re-verified on first use, so
  // one machine-wide cache can serve every store (CI runs, test stores).
  if (const char* env = std::getenv("DISTILL_DEBIAN_CACHE"); env != nullptr && *env != '\0') {
    return env;
  }
  struct stat st;
  if (::stat(kMachineDebianCacheDir, &st) == 0 && S_ISDIR(st.st_mode)) {
    return kMachineDebianCacheDir;
  }
  return JoinPath(JoinPath(store_root, "cache"), "debian");
}

Downloader::Downloader(HttpClient* http, DownloaderOptions options)
    : http_(http), options_(std::move(options)) {
  if (options_.parallel < 1) options_.parallel = 1;
  if (options_.attempts < 1) options_.attempts = 1;
}

std::string Downloader::CachePath(const std::string& sha256) const {
  return options_.cache_dir + "/sha256/" + sha256;
}

bool Downloader::AlreadyVerified(const std::string& sha256) {
  std::lock_guard<std::mutex> lock(mu_);
  return verified_.count(sha256) > 0;
}

void Downloader::MarkVerified(const std::string& sha256) {
  std::lock_guard<std::mutex> lock(mu_);
  verified_.insert(sha256);
}

Result<std::string> Downloader::FetchText(const std::string& url, size_t max_bytes) {
  Status last;
  int delay = options_.retry_delay_ms;
  for (int attempt = 1; attempt <= options_.attempts; ++attempt) {
    BoundedStringWriter body(max_bytes, url);
    auto head = http_->Get(
        url, 0, [&](const HttpHead& h) -> Writer* { return h.status == 200 ? &body : nullptr; });
    if (head.ok() && head->status == 200) return std::move(body.str());
    if (head.ok()) {
      last = Status(head->status == 404 ? Status::Code::kNotFound : Status::Code::kUnavailable,
                    "GET " + url + ": " + HttpStatusText(head->status));
      if (!IsTransient(head->status)) return last;
    } else {
      last = head.status();
      if (last.code() != Status::Code::kUnavailable) return last;
    }
    if (attempt < options_.attempts && delay > 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(delay));
      delay *= 2;
    }
  }
  return last;
}

Result<long> Downloader::Transfer(const std::string& url, const std::string& partial) {
  uint64_t offset = FileSize(partial).value_or(0);
  std::unique_ptr<AppendFile> file;
  Status open_error;
  auto head = http_->Get(url, offset, [&](const HttpHead& h) -> Writer* {
    bool resume = offset > 0 && h.status == 206;
    if (h.status != 200 && !resume) return nullptr;
    // A 200 to a Range request means the server sends everything again.
    auto f = AppendFile::Open(partial, /*truncate=*/!resume);
    if (!f.ok()) {
      open_error = f.status();
      return nullptr;
    }
    file = std::move(*f);
    return file.get();
  });
  if (!open_error.ok()) return open_error;
  if (file != nullptr) DISTILL_RETURN_IF_ERROR(file->Close());
  if (!head.ok()) return head.status();
  return head->status;
}

Result<std::string> Downloader::Fetch(const DownloadRequest& request) {
  if (!IsHex64(request.sha256)) {
    return Status::Invalid("download of " + (request.urls.empty() ? "?" : request.urls[0]) +
                           ": \"" + request.sha256 + "\" is not a SHA-256");
  }
  if (request.urls.empty()) return Status::Invalid("download of " + request.sha256 + ": no URL");
  DISTILL_RETURN_IF_ERROR(DefaultFileSystem()->MakeDirs(options_.cache_dir + "/sha256"));
  DISTILL_RETURN_IF_ERROR(DefaultFileSystem()->MakeDirs(options_.cache_dir + "/partial"));
  DISTILL_ASSIGN_OR_RETURN(
      auto lock,
      DefaultFileSystem()->Lock(options_.cache_dir + "/partial/" + request.sha256 + ".lock",
                                LockMode::kExclusive, /*wait=*/true));
  return FetchLocked(request);
}

Result<std::string> Downloader::FetchLocked(const DownloadRequest& request) {
  const std::string final_path = CachePath(request.sha256);
  if (FileSize(final_path).has_value()) {
    if (AlreadyVerified(request.sha256)) return final_path;
    DISTILL_ASSIGN_OR_RETURN(std::string actual, HashFile(final_path));
    if (actual == request.sha256) {
      MarkVerified(request.sha256);
      return final_path;
    }
    // A damaged cache entry: drop it and download again.
    ::unlink(final_path.c_str());
  }
  const std::string partial = options_.cache_dir + "/partial/" + request.sha256;
  if (request.size && FileSize(partial).value_or(0) > *request.size) ::unlink(partial.c_str());

  Status last = Status::NotFound("no URL");
  Status corrupt;
  for (const std::string& url : request.urls) {
    int delay = options_.retry_delay_ms;
    for (int attempt = 1; attempt <= options_.attempts; ++attempt) {
      bool retry = false;
      auto status = Transfer(url, partial);
      if (!status.ok()) {
        last = status.status();
        retry = last.code() == Status::Code::kUnavailable;
      } else if (*status == 200 || *status == 206) {
        uint64_t got = FileSize(partial).value_or(0);
        if (request.size && got < *request.size) {
          last = Status(Status::Code::kUnavailable, "GET " + url + ": transfer ended after " +
                                                        std::to_string(got) + " of " +
                                                        std::to_string(*request.size) + " bytes");
          retry = true;  // resumes from where it stopped
        } else {
          DISTILL_ASSIGN_OR_RETURN(std::string actual, HashFile(partial));
          if (actual == request.sha256 && (!request.size || got == *request.size)) {
            if (::rename(partial.c_str(), final_path.c_str()) != 0) {
              return Status::FromErrno("rename " + partial + " to " + final_path, errno);
            }
            MarkVerified(request.sha256);
            return final_path;
          }
          ::unlink(partial.c_str());
          last = corrupt = Status::Corrupt(
              "GET " + url + ": SHA-256 mismatch: expected " + request.sha256 + " (" +
              (request.size ? std::to_string(*request.size) : std::string("?")) + " bytes), got " +
              actual + " (" + std::to_string(got) + " bytes)");
          retry = true;  // perhaps a bad resume; start over once more
        }
      } else if (*status == 416) {
        ::unlink(partial.c_str());  // our partial file is not a prefix of theirs
        last = Status(Status::Code::kUnavailable, "GET " + url + ": " + HttpStatusText(416));
        retry = true;
      } else {
        last = Status(*status == 404 ? Status::Code::kNotFound : Status::Code::kUnavailable,
                      "GET " + url + ": " + HttpStatusText(*status));
        retry = IsTransient(*status);
      }
      if (!retry) break;
      if (attempt < options_.attempts && delay > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(delay));
        delay *= 2;
      }
    }
  }
  // A file that arrived but did not match says more than a 404 from a later URL.
  if (!corrupt.ok()) return corrupt;
  return last;
}

std::vector<Result<std::string>> Downloader::FetchAll(
    const std::vector<DownloadRequest>& requests) {
  std::vector<Result<std::string>> results(requests.size(), Status::Error("not fetched"));
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < requests.size(); i = next++) results[i] = Fetch(requests[i]);
  };
  size_t threads = std::min<size_t>(static_cast<size_t>(options_.parallel), requests.size());
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  return results;
}

}  // namespace distill::debian
