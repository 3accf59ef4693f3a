#include "oci/platform.h"

#include <algorithm>
#include <cctype>

namespace distill::oci {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsKnownOs(std::string_view os) {
  static constexpr std::string_view kOses[] = {
      "aix",   "android", "darwin", "dragonfly", "freebsd", "hurd",    "illumos", "ios",    "js",
      "linux", "nacl",    "netbsd", "openbsd",   "plan9",   "solaris", "windows", "wasip1", "zos"};
  return std::find(std::begin(kOses), std::end(kOses), os) != std::end(kOses);
}

bool IsKnownArch(std::string_view arch) {
  static constexpr std::string_view kArchs[] = {
      "386",     "amd64",  "amd64p32", "arm",      "armbe",   "arm64", "arm64be", "loong64",
      "mips",    "mipsle", "mips64",   "mips64le", "ppc",     "ppc64", "ppc64le", "riscv",
      "riscv64", "s390",   "s390x",    "sparc",    "sparc64", "wasm"};
  return std::find(std::begin(kArchs), std::end(kArchs), arch) != std::end(kArchs);
}

void NormalizeArch(std::string* arch, std::string* variant) {
  std::string a = Lower(*arch);
  std::string v = Lower(*variant);
  if (a == "i386" || a == "i486" || a == "i586" || a == "i686" || a == "386") {
    a = "386";
    v.clear();
  } else if (a == "x86_64" || a == "x86-64" || a == "amd64") {
    a = "amd64";
    if (v == "v1") v.clear();
  } else if (a == "aarch64" || a == "arm64") {
    a = "arm64";
    if (v == "8" || v == "v8" || v == "v8.0") v.clear();
    if (v == "9" || v == "9.0" || v == "v9.0") v = "v9";
  } else if (a == "armhf") {
    a = "arm";
    v = "v7";
  } else if (a == "armel") {
    a = "arm";
    v = "v6";
  } else if (a == "arm") {
    if (v.empty() || v == "7") v = "v7";
    if (v == "5" || v == "6" || v == "8") v = "v" + v;
  }
  *arch = std::move(a);
  *variant = std::move(v);
}

bool IsComponent(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

// The variant number of "v7"; -1 for none.
int VariantNumber(std::string_view v) {
  if (v.size() < 2 || v[0] != 'v') return -1;
  int n = 0;
  for (char c : v.substr(1)) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return -1;
    n = n * 10 + (c - '0');
  }
  return n;
}

// The platforms a host of `want` (normalized) runs, best first: itself, then
// older variants of its architecture, then 32-bit siblings.
std::vector<Platform> CompatiblePlatforms(const Platform& want) {
  std::vector<Platform> out;
  auto add = [&](std::string arch, std::string variant) {
    Platform p;
    p.os = want.os;
    p.architecture = std::move(arch);
    p.variant = std::move(variant);
    out.push_back(std::move(p));
  };
  const std::string& arch = want.architecture;
  if (arch == "amd64") {
    int level = want.variant.empty() ? 1 : VariantNumber(want.variant);
    for (int v = level; v >= 2; --v) add("amd64", "v" + std::to_string(v));
    add("amd64", "");
    add("386", "");
  } else if (arch == "arm64") {
    // Normalization drops v8; an arm64 host also runs 32-bit arm.
    add("arm64", want.variant);
    if (!want.variant.empty()) add("arm64", "");
    for (int v = 8; v >= 5; --v) add("arm", "v" + std::to_string(v));
  } else if (arch == "arm") {
    int level = VariantNumber(want.variant);
    for (int v = level; v >= 5; --v) add("arm", "v" + std::to_string(v));
    if (level < 5) add("arm", want.variant);
  } else {
    add(arch, want.variant);
  }
  return out;
}

}  // namespace

std::string Platform::str() const {
  std::string s = os + "/" + architecture;
  if (!variant.empty()) s += "/" + variant;
  return s;
}

Platform HostPlatform() {
  Platform p;
  p.os = "linux";
#if defined(__x86_64__)
  p.architecture = "amd64";
#elif defined(__aarch64__)
  p.architecture = "arm64";
  p.variant = "v8";
#elif defined(__arm__)
  p.architecture = "arm";
#if defined(__ARM_ARCH) && __ARM_ARCH >= 7
  p.variant = "v7";
#elif defined(__ARM_ARCH) && __ARM_ARCH == 6
  p.variant = "v6";
#else
  p.variant = "v5";
#endif
#elif defined(__i386__)
  p.architecture = "386";
#elif defined(__powerpc64__) && defined(__LITTLE_ENDIAN__)
  p.architecture = "ppc64le";
#elif defined(__s390x__)
  p.architecture = "s390x";
#elif defined(__riscv) && __riscv_xlen == 64
  p.architecture = "riscv64";
#elif defined(__loongarch64)
  p.architecture = "loong64";
#else
#error "distill: unknown host architecture; add it to HostPlatform()"
#endif
  return p;
}

Platform Normalize(const Platform& p) {
  Platform out = p;
  out.os = Lower(p.os);
  if (out.os == "macos") out.os = "darwin";
  NormalizeArch(&out.architecture, &out.variant);
  return out;
}

Result<Platform> ParsePlatform(std::string_view spec) {
  auto bad = [&](std::string_view why) {
    return Status::Invalid("invalid platform \"" + std::string(spec) + "\": " + std::string(why));
  };
  if (spec.empty()) return bad("empty");
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t slash = spec.find('/', start);
    parts.push_back(spec.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (parts.size() > 3) return bad("want os/architecture[/variant]");
  for (auto part : parts) {
    if (!IsComponent(part)) return bad("each part must be letters, digits, '_' or '-'");
  }
  Platform host = HostPlatform();
  Platform p;
  if (parts.size() == 1) {
    std::string one = Lower(parts[0]);
    if (IsKnownOs(one) || one == "macos") {
      p.os = one;
      p.architecture = host.architecture;
      p.variant = host.variant;
      return Normalize(p);
    }
    p.architecture = one;
    NormalizeArch(&p.architecture, &p.variant);
    if (!IsKnownArch(p.architecture)) return bad("unknown operating system or architecture");
    p.os = host.os;
    return Normalize(p);
  }
  p.os = std::string(parts[0]);
  p.architecture = std::string(parts[1]);
  if (parts.size() == 3) p.variant = std::string(parts[2]);
  return Normalize(p);
}

bool PlatformMatches(const Platform& want, const Platform& have) {
  Platform w = Normalize(want);
  Platform h = Normalize(have);
  return w.os == h.os && w.architecture == h.architecture && w.variant == h.variant;
}

int PlatformRank(const Platform& want, const Platform& have) {
  Platform w = Normalize(want);
  Platform h = Normalize(have);
  if (w.os != h.os) return -1;
  // A Windows image must be for the host's build when the caller says which.
  if (!w.os_version.empty() && !h.os_version.empty()) {
    auto build = [](std::string_view v) {
      size_t dots = 0, i = 0;
      for (; i < v.size(); ++i) {
        if (v[i] == '.' && ++dots == 3) break;
      }
      return v.substr(0, i);
    };
    if (build(w.os_version) != build(h.os_version)) return -1;
  }
  std::vector<Platform> compatible = CompatiblePlatforms(w);
  for (size_t i = 0; i < compatible.size(); ++i) {
    if (compatible[i].architecture == h.architecture && compatible[i].variant == h.variant) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

nlohmann::json PlatformToJson(const Platform& p) {
  nlohmann::json j = ObjectFrom(p.unknown);
  j["architecture"] = p.architecture;
  j["os"] = p.os;
  PutIfNotEmpty(j, "variant", p.variant);
  PutIfNotEmpty(j, "os.version", p.os_version);
  PutIfNotEmpty(j, "os.features", p.os_features);
  return j;
}

Result<Platform> PlatformFromJson(const JsonFields& f) {
  Platform p;
  DISTILL_RETURN_IF_ERROR(f.String("architecture", &p.architecture, /*required=*/true));
  DISTILL_RETURN_IF_ERROR(f.String("os", &p.os, /*required=*/true));
  DISTILL_RETURN_IF_ERROR(f.String("variant", &p.variant));
  DISTILL_RETURN_IF_ERROR(f.String("os.version", &p.os_version));
  DISTILL_RETURN_IF_ERROR(f.StringList("os.features", &p.os_features));
  p.unknown = f.Unknown({"architecture", "os", "variant", "os.version", "os.features"});
  return p;
}

}  // namespace distill::oci
