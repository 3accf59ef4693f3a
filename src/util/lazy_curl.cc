#include "util/lazy_curl.h"

// The definitions below are the real functions, not calls through curl.h's
// type-checking macros.
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>

#include <cstdarg>
#include <mutex>

namespace distill {
namespace {

struct LibcurlApi {
  CURLcode (*global_init)(long) = nullptr;
  CURL* (*easy_init)() = nullptr;
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...) = nullptr;
  CURLcode (*easy_perform)(CURL*) = nullptr;
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...) = nullptr;
  void (*easy_cleanup)(CURL*) = nullptr;
  const char* (*easy_strerror)(CURLcode) = nullptr;
  curl_slist* (*slist_append)(curl_slist*, const char*) = nullptr;
  void (*slist_free_all)(curl_slist*) = nullptr;
  std::string error;  // why loading failed; empty when loaded
  bool loaded = false;
};

template <typename Fn>
bool Bind(void* lib, const char* name, Fn* out, std::string* error) {
  *out = reinterpret_cast<Fn>(dlsym(lib, name));
  if (*out == nullptr && error->empty()) error->assign("libcurl.so.4 lacks ").append(name);
  return *out != nullptr;
}

const LibcurlApi& Api() {
  static LibcurlApi api;
  static std::once_flag once;
  std::call_once(once, [] {
    void* lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (lib == nullptr) {
      const char* why = dlerror();
      api.error = std::string("cannot load libcurl.so.4 (install libcurl4): ") +
                  (why != nullptr ? why : "unknown error");
      return;
    }
    std::string error;
    // Every symbol is looked up (no short-circuit) so the error names the first missing one.
    bool ok = true;
    ok = Bind(lib, "curl_global_init", &api.global_init, &error) && ok;
    ok = Bind(lib, "curl_easy_init", &api.easy_init, &error) && ok;
    ok = Bind(lib, "curl_easy_setopt", &api.easy_setopt, &error) && ok;
    ok = Bind(lib, "curl_easy_perform", &api.easy_perform, &error) && ok;
    ok = Bind(lib, "curl_easy_getinfo", &api.easy_getinfo, &error) && ok;
    ok = Bind(lib, "curl_easy_cleanup", &api.easy_cleanup, &error) && ok;
    ok = Bind(lib, "curl_easy_strerror", &api.easy_strerror, &error) && ok;
    ok = Bind(lib, "curl_slist_append", &api.slist_append, &error) && ok;
    ok = Bind(lib, "curl_slist_free_all", &api.slist_free_all, &error) && ok;
    api.loaded = ok;
    api.error = ok ? "" : error;
  });
  return api;
}

}  // namespace

bool LoadLibcurl(std::string* error) {
  const LibcurlApi& api = Api();
  if (!api.loaded && error != nullptr) *error = api.error;
  return api.loaded;
}

}  // namespace distill

using distill::Api;

// curl.h declares the last named parameter of curl_easy_setopt/getinfo as an
// enum, and these definitions must match it; libcurl's own definitions read
// their arguments the same way. clang flags va_start after an enum parameter.
#if defined(__clang__)
#pragma clang diagnostic ignored "-Wvarargs"
#endif

extern "C" {

CURLcode curl_global_init(long flags) {
  return Api().loaded ? Api().global_init(flags) : CURLE_FAILED_INIT;
}

CURL* curl_easy_init() {
  return Api().loaded ? Api().easy_init() : nullptr;
}

// The one variadic argument is a long, an object or function pointer, a
// curl_off_t or a blob pointer; the option number's range says which
// (CURLOPTTYPE_*), exactly as libcurl itself reads it.
CURLcode curl_easy_setopt(CURL* handle, CURLoption option, ...) {
  if (!Api().loaded) return CURLE_FAILED_INIT;
  va_list ap;
  va_start(ap, option);
  CURLcode rc;
  if (option < CURLOPTTYPE_OBJECTPOINT) {
    rc = Api().easy_setopt(handle, option, va_arg(ap, long));
  } else if (option < CURLOPTTYPE_OFF_T) {
    rc = Api().easy_setopt(handle, option, va_arg(ap, void*));
  } else if (option < CURLOPTTYPE_BLOB) {
    rc = Api().easy_setopt(handle, option, va_arg(ap, curl_off_t));
  } else {
    rc = Api().easy_setopt(handle, option, va_arg(ap, void*));
  }
  va_end(ap);
  return rc;
}

CURLcode curl_easy_perform(CURL* handle) {
  return Api().loaded ? Api().easy_perform(handle) : CURLE_FAILED_INIT;
}

// Every CURLINFO takes a pointer to where the answer goes.
CURLcode curl_easy_getinfo(CURL* handle, CURLINFO info, ...) {
  if (!Api().loaded) return CURLE_FAILED_INIT;
  va_list ap;
  va_start(ap, info);
  CURLcode rc = Api().easy_getinfo(handle, info, va_arg(ap, void*));
  va_end(ap);
  return rc;
}

void curl_easy_cleanup(CURL* handle) {
  if (Api().loaded) Api().easy_cleanup(handle);
}

const char* curl_easy_strerror(CURLcode code) {
  if (Api().loaded) return Api().easy_strerror(code);
  return Api().error.c_str();
}

curl_slist* curl_slist_append(curl_slist* list, const char* text) {
  return Api().loaded ? Api().slist_append(list, text) : nullptr;
}

void curl_slist_free_all(curl_slist* list) {
  if (Api().loaded) Api().slist_free_all(list);
}

}  // extern "C"
