#include "inspect/packages.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <tuple>

#include "debian/control.h"
#include "inspect/go_buildinfo.h"
#include "inspect/image_walk.h"

namespace distill::inspect {

namespace {

// Purl components are percent-encoded except for unreserved characters.
std::string PurlEscape(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

constexpr uint64_t kMaxMetadataBytes = 64ull << 20;

// Executables big enough to be Go programs; their content is scanned as it
// streams past, never held whole.
bool IsGoBinaryCandidate(std::string_view path, const archive::TarEntry& entry) {
  return entry.type == archive::TarEntryType::kFile && (entry.mode & 0111) != 0 &&
         entry.size >= 4096 && !IsDpkgStatusPath(path) && !IsPythonMetadataPath(path);
}

// The main module (when versioned) and each dependency of a Go binary.
std::vector<Package> GoPackages(const GoBuildInfo& info, const std::string& path) {
  std::vector<Package> out;
  auto add = [&](const GoModule& m) {
    Package p;
    p.ecosystem = "golang";
    p.name = m.path;
    p.version = m.version == "(devel)" ? "" : m.version;
    p.location = path;
    out.push_back(std::move(p));
  };
  if (!info.main.path.empty()) add(info.main);
  for (const auto& dep : info.deps) add(dep);
  Package toolchain;
  toolchain.ecosystem = "golang";
  toolchain.name = "stdlib";
  toolchain.version = info.go_version;
  toolchain.location = path;
  out.push_back(std::move(toolchain));
  return out;
}

}  // namespace

std::string Package::Purl() const {
  if (ecosystem == "deb") {
    std::string purl = "pkg:deb/debian/" + PurlEscape(name) + "@" + PurlEscape(version);
    if (!arch.empty()) purl += "?arch=" + PurlEscape(arch);
    return purl;
  }
  if (ecosystem == "golang") {
    // Module paths keep their '/' as purl namespace separators.
    std::string purl = "pkg:golang";
    size_t pos = 0;
    while (pos <= name.size()) {
      size_t slash = name.find('/', pos);
      if (slash == std::string::npos) slash = name.size();
      purl += "/" + PurlEscape(std::string_view(name).substr(pos, slash - pos));
      pos = slash + 1;
    }
    return version.empty() ? purl : purl + "@" + PurlEscape(version);
  }
  std::string lower = name;
  for (auto& c : lower) {
    c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return "pkg:" + ecosystem + "/" + PurlEscape(lower) + "@" + PurlEscape(version);
}

Result<std::vector<Package>> ParseDpkgStatus(std::string_view text,
                                             const std::string& source_name) {
  DISTILL_ASSIGN_OR_RETURN(auto paragraphs, debian::ParseControl(text, source_name));
  std::vector<Package> out;
  for (const auto& p : paragraphs) {
    if (!p.Has("Package")) {
      return Status::Invalid(source_name + ":" + std::to_string(p.line()) +
                             ": paragraph without a Package field");
    }
    std::string status = p.Get("Status", "install ok installed");
    if (status.find("installed") == std::string::npos ||
        status.find("not-installed") != std::string::npos ||
        status.find("config-files") != std::string::npos) {
      continue;
    }
    Package pkg;
    pkg.ecosystem = "deb";
    pkg.name = p.Get("Package");
    pkg.version = p.Get("Version");
    pkg.arch = p.Get("Architecture");
    std::string source = p.Get("Source");
    pkg.source = source.substr(0, source.find(' '));
    pkg.location = source_name;
    out.push_back(std::move(pkg));
  }
  return out;
}

Result<Package> ParsePythonMetadata(std::string_view text, const std::string& source_name) {
  Package pkg;
  pkg.ecosystem = "pypi";
  pkg.location = source_name;
  std::string classifier_license;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) break;  // the body (long description) follows the headers
    size_t colon = line.find(": ");
    if (colon == std::string_view::npos) continue;
    std::string_view key = line.substr(0, colon), value = line.substr(colon + 2);
    if (key == "Name") pkg.name = value;
    if (key == "Version") pkg.version = value;
    if (key == "License" && pkg.license.empty()) pkg.license = value;
    if (key == "License-Expression") pkg.license = value;
    if (key == "Classifier" && value.substr(0, 11) == "License :: " && classifier_license.empty()) {
      size_t last = value.rfind(" :: ");
      classifier_license = value.substr(last + 4);
    }
  }
  if (pkg.name.empty() || pkg.version.empty()) {
    return Status::Invalid(source_name + ": Python metadata without Name or Version");
  }
  if (pkg.license.empty() || pkg.license == "UNKNOWN") pkg.license = classifier_license;
  return pkg;
}

bool IsDpkgStatusPath(std::string_view path) {
  constexpr std::string_view kStatusD = "/var/lib/dpkg/status.d/";
  if (path == "/var/lib/dpkg/status") return true;
  return path.substr(0, kStatusD.size()) == kStatusD && path.size() > kStatusD.size() &&
         path.find('/', kStatusD.size()) == std::string_view::npos && !EndsWith(path, ".md5sums");
}

bool IsPythonMetadataPath(std::string_view path) {
  return (EndsWith(path, ".dist-info/METADATA") || EndsWith(path, ".egg-info/PKG-INFO"));
}

Result<std::vector<Package>> ImagePackages(store::Store& store, const store::StoredImage& image,
                                           std::string_view name, ImageWalk* walk_out) {
  // Per path, what the last layer that wrote it said; kept only if the path
  // survives into the final view (a later layer may delete it).
  struct Found {
    int layer;
    std::vector<Package> packages;
  };
  std::map<std::string, Found> by_path;
  WalkOptions options;
  options.wants_content = [](const std::string& path, const archive::TarEntry& entry) {
    if (IsGoBinaryCandidate(path, entry)) return true;
    return entry.size <= kMaxMetadataBytes &&
           (IsDpkgStatusPath(path) || IsPythonMetadataPath(path));
  };
  options.on_content = [&](const std::string& path, int layer, const archive::TarEntry& entry,
                           Reader* content) -> Status {
    if (IsGoBinaryCandidate(path, entry)) {
      DISTILL_ASSIGN_OR_RETURN(auto go, ReadGoBuildInfo(content, std::string(name) + ":" + path));
      Found found{layer, {}};
      if (go) found.packages = GoPackages(*go, path);
      by_path[path] = std::move(found);
      return Status::Ok();
    }
    std::string text;
    text.resize(entry.size);
    size_t got = 0;
    while (got < text.size()) {
      DISTILL_ASSIGN_OR_RETURN(size_t n, content->Read(text.data() + got, text.size() - got));
      if (n == 0) break;
      got += n;
    }
    text.resize(got);
    std::string source = std::string(name) + ":" + path;
    Found found{layer, {}};
    if (IsDpkgStatusPath(path)) {
      DISTILL_ASSIGN_OR_RETURN(found.packages, ParseDpkgStatus(text, source));
    } else {
      DISTILL_ASSIGN_OR_RETURN(auto pkg, ParsePythonMetadata(text, source));
      found.packages.push_back(std::move(pkg));
    }
    for (auto& p : found.packages) p.location = path;
    by_path[path] = std::move(found);
    return Status::Ok();
  };
  DISTILL_ASSIGN_OR_RETURN(auto walk, WalkImage(store, image, name, options));
  std::vector<Package> out;
  for (auto& [path, found] : by_path) {
    auto node = walk.fs.nodes().find(path);
    if (node == walk.fs.nodes().end() || node->second.layer != found.layer) continue;
    for (auto& p : found.packages) out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(), [](const Package& a, const Package& b) {
    return std::tie(a.ecosystem, a.name, a.version) < std::tie(b.ecosystem, b.name, b.version);
  });
  if (walk_out != nullptr) *walk_out = std::move(walk);
  return out;
}

}  // namespace distill::inspect
