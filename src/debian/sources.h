// The host's apt sources (deb822 *.sources and one-line sources.list), and
// the plan of which suites to fetch for a Debian release. distill never
// hard-codes a mirror: the default is whatever the host's apt uses, and
// --mirror overrides it (DESIGN.md "Debian mirror").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/file_system.h"
#include "util/status.h"

namespace distill::debian {

// One (URI, suite) pair of an apt source, with what applies to it.
struct SourceEntry {
  std::vector<std::string> types;  // "deb", "deb-src"
  std::string uri;                 // without a trailing '/'
  std::string suite;
  std::vector<std::string> components;
  std::vector<std::string> architectures;  // empty: all
  std::vector<std::string> keyring_paths;  // Signed-By files
  std::string inline_key;                  // Signed-By as an armored key block
  bool check_valid_until = true;
  std::string origin;  // "file:line", for messages

  bool HasType(std::string_view type) const;
  bool AppliesToArch(std::string_view arch) const;
};

// Parses a deb822 .sources file. Entries with "Enabled: no" are dropped;
// several URIs and Suites expand to one entry per (URI, suite).
Result<std::vector<SourceEntry>> ParseDeb822Sources(std::string_view text,
                                                    const std::string& source_name);

// Parses a one-line-style sources.list:
//   deb [arch=amd64 signed-by=/k.gpg check-valid-until=no] URI SUITE COMPONENT...
Result<std::vector<SourceEntry>> ParseOneLineSources(std::string_view text,
                                                     const std::string& source_name);

// Reads <apt_dir>/sources.list, then <apt_dir>/sources.list.d/*.list and
// *.sources in name order (other names, like "*.disabled", are ignored, as apt does).
// A missing file or directory is not an error.
Result<std::vector<SourceEntry>> LoadAptSources(FileSystem* fs,
                                                const std::string& apt_dir = "/etc/apt");

struct DebianRelease {
  int number = 0;
  std::string codename;
};

// "12", "bookworm", "debian12", "Debian 12" → {12, "bookworm"}; 9 to 14 are known.
Result<DebianRelease> LookupDebianRelease(std::string_view name);

// The keyring apt's Debian sources use when they name none.
inline constexpr const char* kDebianArchiveKeyring =
    "/usr/share/keyrings/debian-archive-keyring.gpg";

enum class SuiteKind { kRelease, kUpdates, kSecurity };
std::string_view SuiteKindName(SuiteKind kind);

// One suite to fetch: its Release at <uri>/dists/<suite>/InRelease.
struct SuiteSource {
  SuiteKind kind = SuiteKind::kRelease;
  std::string uri;
  std::string suite;
  std::vector<std::string> components;
  std::vector<std::string> keyring_paths;
  std::string inline_key;
  bool check_valid_until = true;
  std::string origin;  // where the URI came from ("--mirror", "/etc/apt/...:3")

  std::string DistUrl() const { return uri + "/dists/" + suite; }
};

struct SuitePlanOptions {
  std::string mirror;  // --mirror: replaces the host's archive URI when set
  std::string arch = "amd64";
  std::vector<std::string> components = {"main"};
  bool updates = true;
  bool security = true;
};

// Which suites make up `release`: the release itself, its -updates on the same
// archive, and its security suite on the security archive. The archive URI is
// the host's (or --mirror); the security URI and the way the host spells the
// updates and security suites come from the host's entries when it has them.
// Fails, telling the user to pass --mirror, when neither names a Debian archive.
Result<std::vector<SuiteSource>> PlanSuites(const std::vector<SourceEntry>& host,
                                            const DebianRelease& release,
                                            const SuitePlanOptions& options);

}  // namespace distill::debian
