#include "context/url_fetch.h"

#include <curl/curl.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <mutex>

#include "util/sha256.h"

namespace distill::context {
namespace {

std::string SafeName(std::string name) {
  size_t slash = name.find_last_of("/\\");
  if (slash != std::string::npos) name = name.substr(slash + 1);
  if (name == "." || name == "..") return "";
  return name;
}

struct Transfer {
  int fd = -1;
  Sha256 hasher;
  uint64_t size = 0;
  int write_errno = 0;
  std::string disposition;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * count;
  size_t done = 0;
  while (done < len) {
    ssize_t n = write(t->fd, data + done, len - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      t->write_errno = errno;
      return 0;  // makes curl abort with CURLE_WRITE_ERROR
    }
    done += static_cast<size_t>(n);
  }
  t->hasher.Update(data, len);
  t->size += len;
  return len;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  constexpr std::string_view kName = "content-disposition:";
  if (line.size() > kName.size()) {
    std::string lower;
    for (char c : line.substr(0, kName.size())) lower += static_cast<char>(std::tolower(c));
    if (lower == kName) {
      std::string_view value = line.substr(kName.size());
      while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) {
        value.remove_suffix(1);
      }
      t->disposition = std::string(value);
    }
  }
  return size * count;
}

class CurlFetcher : public UrlFetcher {
 public:
  Result<FetchedFile> Fetch(const std::string& url, int out_fd) override {
    static std::once_flag init;
    std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    CURL* curl = curl_easy_init();
    if (curl == nullptr) return Status::Error("download " + url + ": cannot start libcurl");
    Transfer t;
    t.fd = out_fd;
    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(curl, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(curl, CURLOPT_FILETIME, 1L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 60L);
    // A stalled server fails the step instead of hanging the build.
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, 120L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "distill");
    CURLcode rc = curl_easy_perform(curl);
    curl_off_t filetime = -1;
    curl_easy_getinfo(curl, CURLINFO_FILETIME_T, &filetime);
    curl_easy_cleanup(curl);
    if (t.write_errno != 0) return Status::FromErrno("download " + url + ": write", t.write_errno);
    if (rc != CURLE_OK) {
      return Status(Status::Code::kUnavailable,
                    "download " + url + ": " + (error[0] ? error : curl_easy_strerror(rc)));
    }
    FetchedFile out;
    out.filename = FilenameFromContentDisposition(t.disposition);
    if (out.filename.empty()) out.filename = FilenameFromUrl(url);
    if (filetime >= 0) out.mtime_seconds = static_cast<int64_t>(filetime);
    out.size = t.size;
    out.sha256_hex = t.hasher.FinishHex();
    return out;
  }
};

}  // namespace

std::unique_ptr<UrlFetcher> NewCurlFetcher() {
  return std::make_unique<CurlFetcher>();
}

std::string FilenameFromContentDisposition(std::string_view value) {
  size_t at = value.find("filename=");
  while (at != std::string_view::npos && at > 0 && value[at - 1] != ' ' && value[at - 1] != ';') {
    at = value.find("filename=", at + 1);
  }
  if (at == std::string_view::npos) return "";
  std::string_view rest = value.substr(at + 9);
  std::string name;
  if (!rest.empty() && rest[0] == '"') {
    for (size_t i = 1; i < rest.size() && rest[i] != '"'; ++i) {
      if (rest[i] == '\\' && i + 1 < rest.size()) ++i;
      name += rest[i];
    }
  } else {
    name = std::string(rest.substr(0, rest.find(';')));
    while (!name.empty() && name.back() == ' ') name.pop_back();
  }
  return SafeName(name);
}

std::string FilenameFromUrl(std::string_view url) {
  size_t scheme = url.find("://");
  std::string_view rest = scheme == std::string_view::npos ? url : url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("?#"));
  size_t path = rest.find('/');
  if (path == std::string_view::npos) return "";
  rest = rest.substr(path);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  size_t slash = rest.rfind('/');
  return SafeName(std::string(rest.substr(slash + 1)));
}

}  // namespace distill::context
