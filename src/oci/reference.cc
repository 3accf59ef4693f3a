#include "oci/reference.h"

#include <algorithm>
#include <cctype>

namespace distill::oci {
namespace {

bool IsLowerAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool IsAlnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool IsWord(char c) {
  return IsAlnum(c) || c == '_';
}
bool IsHex(char c) {
  return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}
bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

bool HasUpper(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// path-component := [a-z0-9]+ (separator [a-z0-9]+)*, separator := [_.] | "__" | "-"+
bool IsPathComponent(std::string_view s) {
  size_t i = 0;
  auto run_of_alnum = [&] {
    size_t start = i;
    while (i < s.size() && IsLowerAlnum(s[i])) ++i;
    return i > start;
  };
  if (!run_of_alnum()) return false;
  while (i < s.size()) {
    if (s.substr(i).starts_with("__")) {
      i += 2;
    } else if (s[i] == '_' || s[i] == '.') {
      ++i;
    } else if (s[i] == '-') {
      while (i < s.size() && s[i] == '-') ++i;
    } else {
      return false;
    }
    if (!run_of_alnum()) return false;
  }
  return true;
}

// domain-component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
bool IsDomainComponent(std::string_view s) {
  if (s.empty() || !IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return IsAlnum(c) || c == '-'; });
}

// domain := (domain-name | "[" ipv6 "]") [":" port]
bool IsDomain(std::string_view s) {
  std::string_view host = s;
  if (s.starts_with('[')) {
    size_t close = s.find(']');
    if (close == std::string_view::npos || close == 1) return false;
    std::string_view ip = s.substr(1, close - 1);
    if (!std::all_of(ip.begin(), ip.end(), [](char c) { return IsHex(c) || c == ':'; })) {
      return false;
    }
    std::string_view rest = s.substr(close + 1);
    if (rest.empty()) return true;
    if (rest[0] != ':') return false;
    std::string_view port = rest.substr(1);
    return !port.empty() && std::all_of(port.begin(), port.end(), IsDigit);
  }
  if (size_t colon = s.find(':'); colon != std::string_view::npos) {
    host = s.substr(0, colon);
    std::string_view port = s.substr(colon + 1);
    if (port.empty() || !std::all_of(port.begin(), port.end(), IsDigit)) return false;
  }
  size_t start = 0;
  while (true) {
    size_t dot = host.find('.', start);
    if (!IsDomainComponent(host.substr(start, dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// algorithm := [A-Za-z][A-Za-z0-9]* ([+._-][A-Za-z][A-Za-z0-9]*)*
bool IsDigestAlgorithm(std::string_view s) {
  bool at_start = true;
  for (char c : s) {
    if (at_start) {
      if (!std::isalpha(static_cast<unsigned char>(c))) return false;
      at_start = false;
    } else if (c == '+' || c == '.' || c == '_' || c == '-') {
      at_start = true;
    } else if (!IsAlnum(c)) {
      return false;
    }
  }
  return !s.empty() && !at_start;
}

}  // namespace

bool IsValidTag(std::string_view tag) {
  if (tag.empty() || tag.size() > Reference::kMaxTagLength || !IsWord(tag[0])) return false;
  return std::all_of(tag.begin(), tag.end(),
                     [](char c) { return IsWord(c) || c == '.' || c == '-'; });
}

Result<Reference> Reference::Parse(std::string_view text) {
  auto fail = [&](std::string_view reason) {
    return Status::Invalid("\"" + std::string(text) + "\": " + std::string(reason));
  };
  constexpr std::string_view kFormat = "invalid reference format";
  if (text.empty())
    return fail("invalid reference format: repository name must have at least one component");
  if (text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
        return IsDigit(c) || (c >= 'a' && c <= 'f');
      })) {
    return fail(
        "invalid repository name, cannot specify 64-byte hexadecimal strings "
        "(to use an image ID, write sha256:<id> where an image is expected)");
  }

  Reference ref;
  std::string_view rest = text;
  std::string_view digest_text;
  bool has_digest = false;
  if (size_t at = rest.find('@'); at != std::string_view::npos) {
    digest_text = rest.substr(at + 1);
    rest = rest.substr(0, at);
    has_digest = true;
  }
  size_t colon = rest.rfind(':');
  size_t slash = rest.rfind('/');
  bool has_tag =
      colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash);
  if (has_tag) {
    ref.tag_ = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
  }

  // The registry, as Docker tells it apart from a Docker Hub namespace.
  size_t first_slash = rest.find('/');
  std::string_view first = rest.substr(0, first_slash);
  bool first_is_domain = first_slash != std::string_view::npos &&
                         (first.find_first_of(".:") != std::string_view::npos ||
                          first == "localhost" || HasUpper(first));
  std::string_view remainder = rest;
  if (first_is_domain) {
    ref.domain_ = std::string(first);
    remainder = rest.substr(first_slash + 1);
  } else {
    ref.domain_ = std::string(kDefaultDomain);
  }
  if (ref.domain_ == "index.docker.io") ref.domain_ = std::string(kDefaultDomain);
  ref.path_ = std::string(remainder);
  if (ref.domain_ == kDefaultDomain && ref.path_.find('/') == std::string::npos) {
    ref.path_ = "library/" + ref.path_;
  }

  if (HasUpper(remainder)) {
    return fail(std::string(kFormat) + ": repository name (" + std::string(remainder) +
                ") must be lowercase");
  }
  if (!IsDomain(ref.domain_)) {
    return fail(std::string(kFormat) + ": \"" + ref.domain_ +
                "\" is not a valid registry host[:port]");
  }
  size_t start = 0;
  while (true) {
    size_t next = ref.path_.find('/', start);
    std::string_view component = std::string_view(ref.path_).substr(start, next - start);
    if (component.empty()) {
      return fail(std::string(kFormat) + ": empty path component in repository name");
    }
    if (!IsPathComponent(component)) {
      return fail(std::string(kFormat) + ": path component \"" + std::string(component) +
                  "\" must be lowercase letters and digits, separated by '.', '_', '__' or '-'");
    }
    if (next == std::string::npos) break;
    start = next + 1;
  }
  if (ref.name().size() > kMaxNameLength) {
    return fail("repository name must not be more than " + std::to_string(kMaxNameLength) +
                " characters");
  }
  if (has_tag && !IsValidTag(ref.tag_)) {
    return fail(std::string(kFormat) + ": tag \"" + ref.tag_ +
                "\" must be 1 to 128 of [A-Za-z0-9_.-], not starting with '.' or '-'");
  }
  if (has_digest) {
    size_t digest_colon = digest_text.find(':');
    std::string_view algorithm = digest_text.substr(0, digest_colon);
    std::string_view encoded =
        digest_colon == std::string_view::npos ? "" : digest_text.substr(digest_colon + 1);
    if (!IsDigestAlgorithm(algorithm) || encoded.size() < 32 ||
        !std::all_of(encoded.begin(), encoded.end(), IsHex)) {
      return fail(std::string(kFormat) + ": digest \"" + std::string(digest_text) +
                  "\" is not algorithm:hex");
    }
    auto digest = Digest::Parse(digest_text);
    if (!digest.ok()) return fail(digest.status().message());
    ref.digest_ = *digest;
  }
  if (!has_tag && !has_digest) ref.tag_ = std::string(kDefaultTag);
  return ref;
}

std::string Reference::String() const {
  std::string s = name();
  if (!tag_.empty()) s += ":" + tag_;
  if (digest_) s += "@" + digest_->str();
  return s;
}

std::string Reference::FamiliarName() const {
  if (domain_ != kDefaultDomain) return name();
  std::string_view p = path_;
  if (p.starts_with("library/") && p.find('/', 8) == std::string_view::npos) p.remove_prefix(8);
  return std::string(p);
}

std::string Reference::FamiliarString() const {
  std::string s = FamiliarName();
  if (!tag_.empty()) s += ":" + tag_;
  if (digest_) s += "@" + digest_->str();
  return s;
}

Reference Reference::WithTag(std::string tag) const {
  Reference r = *this;
  r.tag_ = std::move(tag);
  r.digest_.reset();
  return r;
}

}  // namespace distill::oci
