#include "debian/sources.h"

#include <algorithm>
#include <cctype>

#include "debian/control.h"

namespace distill::debian {
namespace {

std::vector<std::string> SplitWords(std::string_view s, std::string_view separators = " \t\n") {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && separators.find(s[i]) != std::string_view::npos) ++i;
    size_t start = i;
    while (i < s.size() && separators.find(s[i]) == std::string_view::npos) ++i;
    if (i > start) out.emplace_back(s.substr(start, i - start));
  }
  return out;
}

std::string StripSlash(std::string uri) {
  while (uri.size() > 1 && uri.back() == '/') uri.pop_back();
  return uri;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// apt's boolean option spellings.
Result<bool> ParseBool(std::string_view value, const std::string& where) {
  std::string v = Lower(value);
  if (v == "yes" || v == "true" || v == "with" || v == "on" || v == "enable") return true;
  if (v == "no" || v == "false" || v == "without" || v == "off" || v == "disable") return false;
  return Status::Invalid(where + ": \"" + std::string(value) + "\" is not yes or no");
}

// Signed-By is either an armored key block or a list of keyring files.
// Fingerprints (apt allows them to narrow a keyring) are not supported as a
// key source: they leave the default keyring in force.
void ApplySignedBy(std::string_view value, SourceEntry* e) {
  if (value.find("-----BEGIN PGP PUBLIC KEY BLOCK-----") != std::string_view::npos) {
    e->inline_key = std::string(value);
    while (!e->inline_key.empty() && e->inline_key.front() == '\n') e->inline_key.erase(0, 1);
    return;
  }
  for (std::string& path : SplitWords(value, " \t\n,")) {
    if (!path.empty() && path.front() == '/') e->keyring_paths.push_back(std::move(path));
  }
}

struct KnownRelease {
  int number;
  const char* codename;
};
constexpr KnownRelease kReleases[] = {{9, "stretch"},   {10, "buster"}, {11, "bullseye"},
                                      {12, "bookworm"}, {13, "trixie"}, {14, "forky"}};

bool IsDebianCodename(std::string_view name) {
  return std::any_of(std::begin(kReleases), std::end(kReleases),
                     [&](const KnownRelease& r) { return name == r.codename; });
}

// "bookworm-security" → {"bookworm", "-security"}; "buster/updates" → {"buster", "/updates"}.
std::pair<std::string, std::string> SplitSuite(std::string_view suite) {
  size_t at = suite.find_first_of("-/");
  if (at == std::string_view::npos) return {std::string(suite), ""};
  return {std::string(suite.substr(0, at)), std::string(suite.substr(at))};
}

SuiteSource FromEntry(const SourceEntry& e, SuiteKind kind, std::string suite,
                      const SuitePlanOptions& options) {
  SuiteSource s;
  s.kind = kind;
  s.uri = e.uri;
  s.suite = std::move(suite);
  s.components = options.components;
  s.keyring_paths = e.keyring_paths;
  s.inline_key = e.inline_key;
  if (s.keyring_paths.empty() && s.inline_key.empty()) {
    s.keyring_paths.push_back(kDebianArchiveKeyring);
  }
  s.check_valid_until = e.check_valid_until;
  s.origin = e.origin;
  return s;
}

}  // namespace

bool SourceEntry::HasType(std::string_view type) const {
  return std::find(types.begin(), types.end(), type) != types.end();
}

bool SourceEntry::AppliesToArch(std::string_view arch) const {
  return architectures.empty() ||
         std::find(architectures.begin(), architectures.end(), arch) != architectures.end();
}

Result<std::vector<SourceEntry>> ParseDeb822Sources(std::string_view text,
                                                    const std::string& source_name) {
  DISTILL_ASSIGN_OR_RETURN(auto paragraphs,
                           ParseControl(text, source_name, {.allow_comments = true}));
  std::vector<SourceEntry> out;
  for (const Paragraph& p : paragraphs) {
    std::string where = source_name + ":" + std::to_string(p.line());
    if (p.Has("Enabled")) {
      DISTILL_ASSIGN_OR_RETURN(bool enabled, ParseBool(p.Get("Enabled"), where + ": Enabled"));
      if (!enabled) continue;
    }
    SourceEntry base;
    base.origin = where;
    base.types = SplitWords(p.Get("Types"));
    auto uris = SplitWords(p.Get("URIs"));
    auto suites = SplitWords(p.Get("Suites"));
    if (base.types.empty()) return Status::Invalid(where + ": source has no Types");
    if (uris.empty()) return Status::Invalid(where + ": source has no URIs");
    if (suites.empty()) return Status::Invalid(where + ": source has no Suites");
    base.components = SplitWords(p.Get("Components"));
    base.architectures = SplitWords(p.Get("Architectures"));
    ApplySignedBy(p.Get("Signed-By"), &base);
    if (p.Has("Check-Valid-Until")) {
      DISTILL_ASSIGN_OR_RETURN(base.check_valid_until, ParseBool(p.Get("Check-Valid-Until"),
                                                                 where + ": Check-Valid-Until"));
    }
    for (const std::string& uri : uris) {
      for (const std::string& suite : suites) {
        SourceEntry e = base;
        e.uri = StripSlash(uri);
        e.suite = suite;
        out.push_back(std::move(e));
      }
    }
  }
  return out;
}

Result<std::vector<SourceEntry>> ParseOneLineSources(std::string_view text,
                                                     const std::string& source_name) {
  std::vector<SourceEntry> out;
  size_t line_number = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line =
        text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
    ++line_number;
    std::string where = source_name + ":" + std::to_string(line_number);
    size_t hash = line.find('#');
    if (hash != std::string_view::npos) line = line.substr(0, hash);
    SourceEntry e;
    e.origin = where;
    // Options in [...] may hold spaces; take them out before splitting words.
    size_t open = line.find('[');
    std::string options_text;
    std::string rest(line);
    if (open != std::string_view::npos) {
      size_t close = line.find(']', open);
      if (close == std::string_view::npos) return Status::Invalid(where + ": unclosed '['");
      options_text = std::string(line.substr(open + 1, close - open - 1));
      rest = std::string(line.substr(0, open)) + " " + std::string(line.substr(close + 1));
    }
    auto words = SplitWords(rest);
    if (words.empty()) continue;
    if (words[0] != "deb" && words[0] != "deb-src") {
      return Status::Invalid(where + ": unknown source type \"" + words[0] + "\"");
    }
    if (words.size() < 3)
      return Status::Invalid(where + ": expected \"deb URI SUITE [COMPONENT...]\"");
    e.types = {words[0]};
    e.uri = StripSlash(words[1]);
    e.suite = words[2];
    e.components.assign(words.begin() + 3, words.end());
    for (const std::string& option : SplitWords(options_text)) {
      size_t eq = option.find('=');
      if (eq == std::string::npos)
        return Status::Invalid(where + ": option \"" + option + "\" has no '='");
      std::string key = Lower(option.substr(0, eq));
      std::string value = option.substr(eq + 1);
      if (key == "arch") {
        e.architectures = SplitWords(value, ",");
      } else if (key == "signed-by") {
        ApplySignedBy(value, &e);
      } else if (key == "check-valid-until") {
        DISTILL_ASSIGN_OR_RETURN(e.check_valid_until, ParseBool(value, where + ": " + key));
      }  // other options (trusted, lang, target, ...) do not change what distill fetches
    }
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<SourceEntry>> LoadAptSources(FileSystem* fs, const std::string& apt_dir) {
  std::vector<SourceEntry> out;
  auto append = [&](const std::string& path, bool deb822) -> Status {
    auto text = fs->ReadFile(path);
    if (!text.ok()) {
      if (text.status().code() == Status::Code::kNotFound) return Status::Ok();
      return text.status();
    }
    auto entries = deb822 ? ParseDeb822Sources(*text, path) : ParseOneLineSources(*text, path);
    if (!entries.ok()) return entries.status();
    for (SourceEntry& e : *entries) out.push_back(std::move(e));
    return Status::Ok();
  };
  DISTILL_RETURN_IF_ERROR(append(JoinPath(apt_dir, "sources.list"), false));
  std::string dir = JoinPath(apt_dir, "sources.list.d");
  auto names = fs->ListDir(dir);
  if (!names.ok()) {
    if (names.status().code() == Status::Code::kNotFound) return out;
    return names.status();
  }
  for (const std::string& name : *names) {
    if (name.ends_with(".list")) {
      DISTILL_RETURN_IF_ERROR(append(JoinPath(dir, name), false));
    } else if (name.ends_with(".sources")) {
      DISTILL_RETURN_IF_ERROR(append(JoinPath(dir, name), true));
    }
  }
  return out;
}

Result<DebianRelease> LookupDebianRelease(std::string_view name) {
  std::string key = Lower(name);
  key.erase(std::remove(key.begin(), key.end(), ' '), key.end());
  if (key.starts_with("debian")) key.erase(0, 6);
  for (const KnownRelease& r : kReleases) {
    if (key == r.codename || key == std::to_string(r.number)) {
      return DebianRelease{r.number, r.codename};
    }
  }
  return Status::Invalid("unknown Debian release \"" + std::string(name) +
                         "\" (known: 9 stretch, 10 buster, 11 bullseye, 12 bookworm, 13 trixie, "
                         "14 forky)");
}

std::string_view SuiteKindName(SuiteKind kind) {
  switch (kind) {
    case SuiteKind::kRelease:
      return "release";
    case SuiteKind::kUpdates:
      return "updates";
    case SuiteKind::kSecurity:
      return "security";
  }
  return "?";
}

Result<std::vector<SuiteSource>> PlanSuites(const std::vector<SourceEntry>& host,
                                            const DebianRelease& release,
                                            const SuitePlanOptions& options) {
  // The host's Debian entries, preferring those of the requested release.
  const SourceEntry* archive = nullptr;
  const SourceEntry* security = nullptr;
  std::string updates_suffix = "-updates";
  std::string security_suffix = release.number >= 11 ? "-security" : "/updates";
  auto consider = [&](bool same_release_only) {
    for (const SourceEntry& e : host) {
      if (!e.HasType("deb") || !e.AppliesToArch(options.arch)) continue;
      auto [base, suffix] = SplitSuite(e.suite);
      if (!IsDebianCodename(base)) continue;
      if (same_release_only && base != release.codename) continue;
      if (suffix.empty()) {
        if (archive == nullptr) archive = &e;
      } else if (suffix.find("security") != std::string::npos || suffix == "/updates") {
        if (security == nullptr) security = &e;
      } else if (suffix.find("updates") != std::string::npos && suffix != "-proposed-updates") {
        updates_suffix = suffix;
      }
    }
  };
  consider(true);
  consider(false);
  if (security != nullptr) {
    // Debian renamed "<codename>/updates" to "<codename>-security" in 11.
    std::string host_suffix = SplitSuite(security->suite).second;
    bool host_new_style = host_suffix != "/updates";
    bool target_new_style = release.number >= 11;
    if (host_new_style == target_new_style) security_suffix = host_suffix;
  }

  SourceEntry archive_entry;
  if (!options.mirror.empty()) {
    archive_entry.uri = StripSlash(options.mirror);
    archive_entry.origin = "--mirror";
  } else if (archive != nullptr) {
    archive_entry = *archive;
  } else {
    return Status::NotFound(
        "the host's apt sources name no Debian archive (looked for a suite named after a Debian "
        "release in /etc/apt/sources.list and /etc/apt/sources.list.d/); pass --mirror URL");
  }

  std::vector<SuiteSource> plan;
  plan.push_back(FromEntry(archive_entry, SuiteKind::kRelease, release.codename, options));
  if (options.updates) {
    plan.push_back(
        FromEntry(archive_entry, SuiteKind::kUpdates, release.codename + updates_suffix, options));
  }
  if (options.security) {
    if (security != nullptr) {
      plan.push_back(
          FromEntry(*security, SuiteKind::kSecurity, release.codename + security_suffix, options));
    } else if (archive_entry.uri.ends_with("/debian")) {
      // The layout of Debian's own mirrors: the security archive beside the main one.
      SourceEntry derived = archive_entry;
      derived.uri += "-security";
      derived.origin += " (security archive beside it)";
      plan.push_back(
          FromEntry(derived, SuiteKind::kSecurity, release.codename + security_suffix, options));
    }
  }
  return plan;
}

}  // namespace distill::debian
