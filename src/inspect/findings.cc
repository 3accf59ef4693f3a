#include "inspect/findings.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace distill::inspect {

namespace {

using archive::TarEntryType;

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string_view Dir(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos || slash == 0 ? "/" : path.substr(0, slash);
}

bool Contains(const std::vector<std::string_view>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool InBinDir(std::string_view path) {
  static const std::vector<std::string_view> kDirs = {
      "/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"};
  return Contains(kDirs, Dir(path));
}

bool IsExecutableLike(const FsNode& node) {
  return node.type == TarEntryType::kFile || node.type == TarEntryType::kSymlink ||
         node.type == TarEntryType::kHardlink;
}

bool IsShell(std::string_view path) {
  static const std::vector<std::string_view> kShells = {"/bin/sh",   "/bin/bash",   "/usr/bin/bash",
                                                        "/bin/dash", "/usr/bin/sh", "/usr/bin/dash",
                                                        "/bin/ash",  "/bin/zsh",    "/usr/bin/zsh"};
  if (Contains(kShells, path)) return true;
  return InBinDir(path) && BaseName(path) == "busybox";
}

bool IsPackageManager(std::string_view path) {
  static const std::vector<std::string_view> kNames = {"apt", "apt-get", "dpkg", "pip",      "pip3",
                                                       "apk", "yum",     "dnf",  "microdnf", "rpm"};
  return InBinDir(path) && Contains(kNames, BaseName(path));
}

bool IsCompiler(std::string_view path) {
  static const std::vector<std::string_view> kNames = {
      "gcc", "cc", "g++", "c++", "clang", "clang++", "go", "make", "cmake", "rustc", "cargo"};
  if (!InBinDir(path)) return false;
  std::string_view base = BaseName(path);
  if (Contains(kNames, base)) return true;
  // Versioned drivers: gcc-12, clang-16, g++-12.
  for (std::string_view prefix : {"gcc-", "g++-", "clang-"}) {
    if (base.substr(0, prefix.size()) == prefix && base.size() > prefix.size() &&
        std::isdigit(static_cast<unsigned char>(base[prefix.size()]))) {
      return true;
    }
  }
  return false;
}

bool UnderTmp(std::string_view path) {
  for (std::string_view dir : {"/tmp", "/var/tmp", "/dev/shm"}) {
    if (path == dir || (path.substr(0, dir.size()) == dir && path.size() > dir.size() &&
                        path[dir.size()] == '/')) {
      return true;
    }
  }
  return false;
}

// Name-based: what leaked credentials are usually called.
std::string SecretReason(std::string_view path) {
  std::string_view base = BaseName(path);
  auto ends_with = [](std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
  };
  if (base.substr(0, 3) == "id_" && !ends_with(base, ".pub")) return "SSH private key name";
  if (ends_with(base, ".pem") || ends_with(base, ".key") || ends_with(base, ".p12") ||
      ends_with(base, ".pfx")) {
    // CA bundles and public certificates under /etc/ssl/certs and
    // /usr/share/ca-certificates are expected in every image.
    if (path.find("/ssl/certs/") != std::string_view::npos ||
        path.find("/ca-certificates/") != std::string_view::npos) {
      return "";
    }
    return "key or certificate file";
  }
  if (base == ".env" || base.substr(0, 5) == ".env.") return "dotenv file";
  if (base == ".npmrc" || base == ".pypirc" || base == ".netrc" || base == ".git-credentials") {
    return "credentials file";
  }
  if (base == "credentials" && path.find("/.aws/") != std::string_view::npos) {
    return "AWS credentials";
  }
  if (base == "config.json" && ends_with(Dir(path), "/.docker")) return "docker credentials";
  return "";
}

}  // namespace

const std::vector<std::string_view>& FindingCategories() {
  static const std::vector<std::string_view> kAll = {
      kShell, kPackageManager, kCompiler, kSetuid, kWorldWritable, kRoot, kSecrets};
  return kAll;
}

bool RunsAsRoot(std::string_view user) {
  if (user.empty()) return true;
  std::string_view name = user.substr(0, user.find(':'));
  return name == "root" || name == "0";
}

std::vector<Finding> FindAttackSurface(const FsView& fs, const oci::ImageConfig& config) {
  std::vector<Finding> out;
  std::set<std::string> git_dirs_reported;
  for (const auto& [path, node] : fs.nodes()) {
    if (IsExecutableLike(node)) {
      if (IsShell(path)) out.push_back({std::string(kShell), path, node.layer, ""});
      if (IsPackageManager(path)) {
        out.push_back({std::string(kPackageManager), path, node.layer, ""});
      }
      if (IsCompiler(path)) out.push_back({std::string(kCompiler), path, node.layer, ""});
    }
    if (node.type == TarEntryType::kFile && (node.mode & 06000) != 0) {
      std::string detail = (node.mode & 04000) != 0 ? "setuid" : "setgid";
      if ((node.mode & 06000) == 06000) detail = "setuid+setgid";
      detail += node.uid == 0 ? " (owner root)" : " (owner uid " + std::to_string(node.uid) + ")";
      out.push_back({std::string(kSetuid), path, node.layer, detail});
    }
    if (node.type != TarEntryType::kSymlink && (node.mode & 0002) != 0 && !UnderTmp(path)) {
      bool sticky = (node.mode & 01000) != 0;
      out.push_back({std::string(kWorldWritable), path, node.layer,
                     sticky ? "world-writable (sticky)" : "world-writable"});
    }
    // A .git directory: report it once, not each object inside it.
    if (node.type == TarEntryType::kDirectory && BaseName(path) == ".git") {
      out.push_back({std::string(kSecrets), path, node.layer, "git repository"});
      git_dirs_reported.insert(path);
      continue;
    }
    if (node.type == TarEntryType::kFile) {
      bool inside_git = false;
      for (const auto& g : git_dirs_reported) {
        if (path.compare(0, g.size() + 1, g + "/") == 0) inside_git = true;
      }
      if (inside_git) continue;
      std::string reason = SecretReason(path);
      if (!reason.empty()) out.push_back({std::string(kSecrets), path, node.layer, reason});
    }
  }
  if (RunsAsRoot(config.config.user)) {
    out.push_back(
        {std::string(kRoot), "", -1, "runs as root (User is \"" + config.config.user + "\")"});
  }
  const auto& order = FindingCategories();
  std::stable_sort(out.begin(), out.end(), [&](const Finding& a, const Finding& b) {
    return std::find(order.begin(), order.end(), a.category) <
           std::find(order.begin(), order.end(), b.category);
  });
  return out;
}

std::vector<std::string> CategoriesOf(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings) {
    if (std::find(out.begin(), out.end(), f.category) == out.end()) out.push_back(f.category);
  }
  return out;
}

std::string Verdict(const std::vector<Finding>& findings) {
  if (findings.empty()) return "distroless-grade: no shell, no package manager, non-root";
  std::string out =
      std::to_string(findings.size()) + (findings.size() == 1 ? " finding: " : " findings: ");
  bool first = true;
  for (const auto& category : CategoriesOf(findings)) {
    if (!first) out += ", ";
    first = false;
    for (char c : category) out += c == '-' ? ' ' : c;
  }
  return out;
}

}  // namespace distill::inspect
