#include "transport/http_curl.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>

#include "util/curl_transfer.h"

namespace distill::transport {
namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// State of one transfer, shared with the libcurl callbacks.
struct Transfer {
  const std::function<Writer*(const HttpResponse&)>* on_head = nullptr;
  HttpResponse response;
  bool head_done = false;
  Writer* sink = nullptr;
  Status sink_error;
  std::unique_ptr<Reader> body;
  Status body_error;
};

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {
    // A new status line (after 100 Continue, or a proxy's CONNECT answer).
    t->response.headers.clear();
    size_t sp = line.find(' ');
    if (sp != std::string_view::npos)
      t->response.status = std::atol(std::string(line.substr(sp + 1, 3)).c_str());
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string name(line.substr(0, colon));
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    t->response.headers.emplace_back(name, Trim(line.substr(colon + 1)));
  }
  return size * n;
}

void FinishHead(Transfer* t) {
  if (t->head_done) return;
  t->head_done = true;
  if (*t->on_head) t->sink = (*t->on_head)(t->response);
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  FinishHead(t);
  size_t len = size * n;
  if (t->sink != nullptr) {
    Status st = t->sink->Write(data, len);
    if (!st.ok()) {
      t->sink_error = st;
      return 0;  // aborts the transfer with CURLE_WRITE_ERROR
    }
    return len;
  }
  if (t->response.body.size() + len > kMaxCollectedBody) {
    t->sink_error = Status::Invalid("response body larger than " +
                                    std::to_string(kMaxCollectedBody) + " bytes");
    return 0;
  }
  t->response.body.append(data, len);
  return len;
}

size_t OnRead(char* buf, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  auto got = t->body->Read(buf, size * n);
  if (!got.ok()) {
    t->body_error = got.status();
    return CURL_READFUNC_ABORT;
  }
  return *got;
}

class CurlHttpClient : public HttpClient {
 public:
  explicit CurlHttpClient(CurlHttpOptions options) : options_(std::move(options)) {}

  Result<HttpResponse> Send(const HttpRequest& request,
                            const std::function<Writer*(const HttpResponse&)>& on_head) override {
    Transfer t;
    t.on_head = &on_head;
    if (request.open_body) {
      DISTILL_ASSIGN_OR_RETURN(t.body, request.open_body());
    }
    DISTILL_ASSIGN_OR_RETURN(CurlTransfer transfer, CurlTransfer::Start(request.url, options_));
    CURL* curl = transfer.handle();
    struct curl_slist* headers = nullptr;
    std::string ca_blob;
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &OnHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    if (!request.tls.verify) {
      curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    } else if (!request.tls.extra_ca_pem.empty()) {
      // certs.d CAs are trusted in addition to the system store, as Docker does.
      ca_blob = SystemCaPem() + "\n" + request.tls.extra_ca_pem;
      struct curl_blob blob;
      blob.data = ca_blob.data();
      blob.len = ca_blob.size();
      blob.flags = CURL_BLOB_NOCOPY;
      curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &blob);
    }
    if (!request.tls.client_cert_file.empty()) {
      curl_easy_setopt(curl, CURLOPT_SSLCERT, request.tls.client_cert_file.c_str());
      curl_easy_setopt(curl, CURLOPT_SSLKEY, request.tls.client_key_file.c_str());
    }
    for (const auto& [k, v] : request.headers) {
      headers = curl_slist_append(headers, (k + ": " + v).c_str());
    }
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    if (request.method == "HEAD") {
      curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    } else if (request.open_body || request.method == "PUT") {
      curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
      curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE,
                       static_cast<curl_off_t>(request.open_body ? request.body_size : 0));
      curl_easy_setopt(curl, CURLOPT_READFUNCTION, &OnRead);
      curl_easy_setopt(curl, CURLOPT_READDATA, &t);
      if (!t.body) t.body = std::make_unique<StringReader>("");
      if (request.method != "PUT") {
        curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      }
    } else if (request.method == "POST") {
      curl_easy_setopt(curl, CURLOPT_POST, 1L);
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, 0L);
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "");
    } else if (request.method != "GET") {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    CURLcode rc = transfer.Perform();
    curl_slist_free_all(headers);
    if (!t.sink_error.ok()) return t.sink_error;
    if (!t.body_error.ok()) return t.body_error;
    if (rc != CURLE_OK) return transfer.Error(rc, request.method + " " + request.url);
    FinishHead(&t);
    return std::move(t.response);
  }

 private:
  // The system bundle, read once.
  const std::string& SystemCaPem() {
    std::call_once(ca_once_, [this] {
      std::ifstream in(options_.system_ca_file, std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      system_ca_ = text.str();
    });
    return system_ca_;
  }

  CurlHttpOptions options_;
  std::once_flag ca_once_;
  std::string system_ca_;
};

}  // namespace

std::unique_ptr<HttpClient> NewCurlHttpClient(CurlHttpOptions options) {
  return std::make_unique<CurlHttpClient>(std::move(options));
}

}  // namespace distill::transport
