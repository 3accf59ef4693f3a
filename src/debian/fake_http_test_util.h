// FakeHttp: an in-memory web server for tests of the download code (an
// HttpClient that answers from a map of routes, with scripted failures).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "debian/fetch.h"

namespace distill::debian {

// An in-memory web server: url → body, with scripted failures.
class FakeHttp : public HttpClient {
 public:
  struct Route {
    std::string body;
    long status = 200;
    int fail_first = 0;            // answer 503 this many times first
    bool transport_error = false;  // fail_first failures are connection resets instead
    bool honour_range = true;
    size_t cut_after = 0;  // when > 0, the first full answer stops after this many bytes
  };

  Result<HttpHead> Get(const std::string& url, uint64_t offset,
                       const std::function<Writer*(const HttpHead&)>& on_head) override {
    Route* r;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++calls[url];
      offsets[url].push_back(offset);
      auto it = routes.find(url);
      if (it == routes.end()) {
        on_head(HttpHead{404});
        return HttpHead{404};
      }
      r = &it->second;
      if (r->fail_first > 0) {
        --r->fail_first;
        if (r->transport_error) {
          return Status(Status::Code::kUnavailable, "GET " + url + ": Connection reset");
        }
        on_head(HttpHead{503});
        return HttpHead{503};
      }
    }
    HttpHead head{r->status};
    std::string body = r->body;
    if (r->status == 200 && offset > 0 && r->honour_range) {
      head.status = offset >= body.size() ? 416 : 206;
      body = offset >= body.size() ? "" : body.substr(offset);
    }
    Writer* out = on_head(head);
    if (r->cut_after > 0) {
      body = body.substr(0, r->cut_after);
      r->cut_after = 0;
    }
    if (out != nullptr) DISTILL_RETURN_IF_ERROR(out->Write(body));
    return head;
  }

  std::mutex mu_;
  std::map<std::string, Route> routes;
  std::map<std::string, int> calls;
  std::map<std::string, std::vector<uint64_t>> offsets;
};

}  // namespace distill::debian
