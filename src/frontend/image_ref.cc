#include "frontend/image_ref.h"

#include <sys/utsname.h>

#include <algorithm>
#include <cctype>
#include <vector>

namespace distill::frontend {

namespace {

bool IsLowerAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// path-component: [a-z0-9]+ ((\.|_|__|-+)[a-z0-9]+)*
bool IsPathComponent(std::string_view c) {
  if (c.empty() || !IsLowerAlnum(c.front()) || !IsLowerAlnum(c.back())) return false;
  for (size_t i = 0; i < c.size(); ++i) {
    if (IsLowerAlnum(c[i])) continue;
    if (c[i] == '.' || c[i] == '-') {
      if (c[i] == '.' && !IsLowerAlnum(c[i - 1])) return false;
      continue;
    }
    if (c[i] == '_') {
      if (i + 1 < c.size() && c[i + 1] == '_') ++i;
      if (!IsLowerAlnum(c[i + 1])) return false;
      continue;
    }
    return false;
  }
  // "-" runs may not touch "." or "_".
  for (size_t i = 1; i < c.size(); ++i) {
    bool sep_a = c[i - 1] == '.' || c[i - 1] == '_';
    bool sep_b = c[i] == '.' || c[i] == '_';
    if ((c[i - 1] == '-' && sep_b) || (sep_a && c[i] == '-') || (sep_a && sep_b && c[i] != '_')) {
      return false;
    }
  }
  return true;
}

bool IsHost(std::string_view h) {
  if (h.empty()) return false;
  size_t colon = h.rfind(':');
  std::string_view name = h.substr(0, colon);
  if (colon != std::string_view::npos) {
    std::string_view port = h.substr(colon + 1);
    if (port.empty() ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return false;
    }
  }
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
  });
}

}  // namespace

bool IsValidImageReference(std::string_view ref) {
  if (ref.empty() || ref.size() > 4096) return false;
  std::string_view rest = ref;
  size_t at = rest.find('@');
  if (at != std::string_view::npos) {
    std::string_view digest = rest.substr(at + 1);
    rest = rest.substr(0, at);
    size_t colon = digest.find(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    std::string_view hex = digest.substr(colon + 1);
    if (hex.size() < 32 || !std::all_of(hex.begin(), hex.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f');
        })) {
      return false;
    }
  }
  // A tag follows the last ':' that comes after the last '/'.
  size_t slash = rest.rfind('/');
  size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    std::string_view tag = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
    if (tag.empty() || tag.size() > 128 || tag[0] == '.' || tag[0] == '-') return false;
    if (!std::all_of(tag.begin(), tag.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
        })) {
      return false;
    }
  }
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t next = rest.find('/', start);
    parts.push_back(rest.substr(start, next == std::string_view::npos ? next : next - start));
    if (next == std::string_view::npos) break;
    start = next + 1;
  }
  size_t first = 0;
  // The first component is a host when it has '.', ':' or is "localhost".
  if (parts.size() > 1 &&
      (parts[0].find_first_of(".:") != std::string_view::npos || parts[0] == "localhost")) {
    if (!IsHost(parts[0])) return false;
    first = 1;
  }
  for (size_t i = first; i < parts.size(); ++i) {
    if (!IsPathComponent(parts[i])) return false;
  }
  return true;
}

std::string Platform::ToString() const {
  return os + "/" + arch + (variant.empty() ? "" : "/" + variant);
}

Result<Platform> ParsePlatform(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t next = lower.find('/', start);
    parts.push_back(lower.substr(start, next == std::string::npos ? next : next - start));
    if (next == std::string::npos) break;
    start = next + 1;
  }
  auto bad = [&] {
    return Status::Invalid("invalid platform \"" + std::string(text) +
                           "\" (expected os/arch[/variant], e.g. linux/amd64)");
  };
  if (parts.size() < 2 || parts.size() > 3) return bad();
  for (const auto& p : parts) {
    if (p.empty() || !std::all_of(p.begin(), p.end(),
                                  [](char c) { return IsLowerAlnum(c) || c == '_' || c == '-'; })) {
      return bad();
    }
  }
  Platform p{parts[0], parts[1], parts.size() == 3 ? parts[2] : ""};
  if (p.arch == "x86_64" || p.arch == "x86-64") p.arch = "amd64";
  if (p.arch == "aarch64") p.arch = "arm64";
  if (p.arch == "i386" || p.arch == "i686") p.arch = "386";
  if (p.arch == "arm64" && p.variant == "v8") p.variant.clear();
  if (p.arch == "arm" && p.variant.empty()) p.variant = "v7";
  if (p.arch == "arm" && (p.variant == "7" || p.variant == "6" || p.variant == "5")) {
    p.variant = "v" + p.variant;
  }
  return p;
}

Platform HostPlatform() {
  struct utsname u {};
  std::string machine = uname(&u) == 0 ? u.machine : "x86_64";
  if (machine == "armv7l" || machine == "armv7") return Platform{"linux", "arm", "v7"};
  if (machine == "armv6l") return Platform{"linux", "arm", "v6"};
  auto p = ParsePlatform("linux/" + machine);
  if (!p.ok()) return Platform{"linux", machine, ""};
  return *p;
}

}  // namespace distill::frontend
