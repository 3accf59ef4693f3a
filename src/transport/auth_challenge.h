// WWW-Authenticate challenges (RFC 7235) as registries send them:
//   Bearer
//   realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"
//   Basic realm="Registry Realm"
// A header may carry several challenges; parameters may be quoted strings
// (with backslash escapes) or tokens.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace distill::transport {

struct AuthChallenge {
  std::string scheme;                         // lowercased: "bearer", "basic"
  std::map<std::string, std::string> params;  // names lowercased

  std::string Param(const std::string& name) const {
    auto it = params.find(name);
    return it == params.end() ? "" : it->second;
  }
};

// Parses one header value into its challenges. Malformed input is an error
// that quotes the header (challenges carry no secrets).
Result<std::vector<AuthChallenge>> ParseAuthChallenges(std::string_view header);

// base64 (standard alphabet, padded), for Basic credentials and config.json.
std::string Base64Encode(std::string_view data);
// Accepts padded or unpadded input; an error for other characters.
Result<std::string> Base64Decode(std::string_view text);

}  // namespace distill::transport
