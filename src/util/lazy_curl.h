// libcurl, loaded on first use.
//
// distill links libcurl's API (curl_easy_*, curl_slist_*, curl_global_init)
// from util/lazy_curl.cc instead of from libcurl.so: those definitions dlopen
// libcurl.so.4 the first time one of them is called and forward to it.
// libcurl brings about 25 more shared libraries (TLS, Kerberos, LDAP, SSH,
// IDN, ...); mapping and relocating them cost more than everything else a
// no-op rebuild or a `distill run` does, and most invocations never touch the
// network. Callers include <curl/curl.h> and call libcurl as usual.
//
// When libcurl cannot be loaded, curl_global_init and curl_easy_perform fail
// with CURLE_FAILED_INIT, curl_easy_init returns null, and
// curl_easy_strerror(CURLE_FAILED_INIT) says why (the dlopen error).
#pragma once

#include <string>

namespace distill {

// Whether libcurl.so.4 is (or can now be) loaded; `error` gets dlerror() text.
bool LoadLibcurl(std::string* error = nullptr);

}  // namespace distill
