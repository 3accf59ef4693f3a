#include "bootstrap/image_files.h"

#include <fnmatch.h>

#include <string>

namespace distill::bootstrap {
namespace {

struct PathRule {
  bool include;
  const char* pattern;
};

// In dpkg's order: later rules override earlier ones for the paths they match.
const PathRule kSlimRules[] = {
    {false, "/usr/share/doc/*"},
    {true, "/usr/share/doc/*/copyright"},
    {false, "/usr/share/man/*"},
    {false, "/usr/share/groff/*"},
    {false, "/usr/share/info/*"},
    {false, "/usr/share/lintian/*"},
    {false, "/usr/share/linda/*"},
    {false, "/usr/share/locale/*"},
    {true, "/usr/share/locale/locale.alias"},
};

}  // namespace

std::string DebianSourcesText(const std::vector<debian::SuiteSource>& plan) {
  std::string out;
  std::vector<bool> done(plan.size(), false);
  for (size_t i = 0; i < plan.size(); ++i) {
    if (done[i]) continue;
    std::string suites;
    bool check_valid_until = true;
    for (size_t j = i; j < plan.size(); ++j) {
      if (done[j] || plan[j].uri != plan[i].uri || plan[j].components != plan[i].components) {
        continue;
      }
      done[j] = true;
      if (!suites.empty()) suites += ' ';
      suites += plan[j].suite;
      check_valid_until = check_valid_until && plan[j].check_valid_until;
    }
    std::string components;
    for (const auto& c : plan[i].components) components += (components.empty() ? "" : " ") + c;
    if (!out.empty()) out += '\n';
    out += "Types: deb\nURIs: " + plan[i].uri + "\nSuites: " + suites +
           "\nComponents: " + components + "\nSigned-By: " + debian::kDebianArchiveKeyring + "\n";
    // A snapshot mirror serves Release files whose Valid-Until has passed.
    if (!check_valid_until) out += "Check-Valid-Until: no\n";
  }
  return out;
}

std::string SlimDpkgFilterText() {
  std::string out =
      "# Written by distill: the slim image leaves out documentation, manuals and\n"
      "# translations; remove this file to get them with the next install.\n";
  for (const PathRule& rule : kSlimRules) {
    out += std::string(rule.include ? "path-include " : "path-exclude ") + rule.pattern + "\n";
  }
  return out;
}

bool SlimExcludes(std::string_view path) {
  std::string p(path);
  bool excluded = false;
  for (const PathRule& rule : kSlimRules) {
    // Flags 0, as dpkg: '*' also matches '/'.
    if (fnmatch(rule.pattern, p.c_str(), 0) == 0) excluded = !rule.include;
  }
  return excluded;
}

std::vector<std::pair<std::string, std::string>> DockerAptTweaks() {
  const std::string clean =
      "\"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb "
      "/var/cache/apt/*.bin || true\";";
  return {
      {"etc/apt/apt.conf.d/docker-clean",
       "# Keep downloaded packages and apt's binary caches out of image layers.\n"
       "DPkg::Post-Invoke { " +
           clean + " };\nAPT::Update::Post-Invoke { " + clean +
           " };\nDir::Cache::pkgcache \"\";\nDir::Cache::srcpkgcache \"\";\n"},
      {"etc/apt/apt.conf.d/docker-gzip-indexes",
       "# Keep the package lists compressed on disk.\nAcquire::GzipIndexes \"true\";\n"},
      {"etc/apt/apt.conf.d/docker-no-languages",
       "# No translated package descriptions.\nAcquire::Languages \"none\";\n"},
      {"etc/apt/apt.conf.d/docker-autoremove-suggests",
       "# Suggested packages are not kept from autoremove.\n"
       "Apt::AutoRemove::SuggestsImportant \"false\";\n"},
      {"etc/dpkg/dpkg.cfg.d/docker-apt-speedup",
       "# A container layer is written once: skip dpkg's fsync calls.\nforce-unsafe-io\n"},
  };
}

}  // namespace distill::bootstrap
