#include "bootstrap/recipe.h"

#include <algorithm>

namespace distill::bootstrap {
namespace {

std::vector<std::string> SplitDash(std::string_view s) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dash = s.find('-', start);
    parts.emplace_back(s.substr(start, dash == std::string_view::npos ? s.npos : dash - start));
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  return parts;
}

const KnownRelease* FindRelease(std::string_view word) {
  for (const KnownRelease& r : KnownReleases()) {
    if (word == r.codename || word == std::to_string(r.number)) return &r;
  }
  return nullptr;
}

std::string KnownReleaseList() {
  std::string out;
  for (const KnownRelease& r : KnownReleases()) {
    if (!out.empty()) out += ", ";
    out += r.codename + std::string(" (") + std::to_string(r.number) + ")";
  }
  return out;
}

// "3.9 (bullseye), 3.11 (bookworm), 3.13 (trixie)"
std::string VersionList(const char* KnownRelease::*field) {
  std::string out;
  for (const KnownRelease& r : KnownReleases()) {
    if (!out.empty()) out += ", ";
    out += std::string(r.*field) + " (" + r.codename + ")";
  }
  return out;
}

void AddTag(Recipe* recipe, std::string tag) {
  if (std::find(recipe->tags.begin(), recipe->tags.end(), tag) == recipe->tags.end()) {
    recipe->tags.push_back(std::move(tag));
  }
}

Result<Recipe> DebianRecipe(const std::string& typed, std::string_view tag) {
  Recipe recipe;
  std::string_view release_word = tag;
  if (tag.ends_with("-slim")) {
    recipe.slim = true;
    release_word = tag.substr(0, tag.size() - 5);
  }
  const KnownRelease* known = FindRelease(release_word);
  if (known == nullptr) {
    return Status::NotFound(
        typed + ": distill cannot bootstrap Debian \"" + std::string(release_word) +
        "\"; known releases: " + KnownReleaseList() + " (add -slim for the slim variant)");
  }
  recipe.release = {known->number, known->codename};
  recipe.env = {std::string("PATH=") + kDefaultPath};
  recipe.cmd = {"bash"};
  std::string suffix = recipe.slim ? "-slim" : "";
  AddTag(&recipe, typed);
  AddTag(&recipe, "debian:" + std::string(known->codename) + suffix);
  AddTag(&recipe, "debian:" + std::to_string(known->number) + suffix);
  return recipe;
}

// The tag of a language image: "<version>[-slim][-<codename>]".
struct LanguageTag {
  std::string version;
  bool slim = false;
  const KnownRelease* release = nullptr;  // named in the tag, else null
};

Result<LanguageTag> ParseLanguageTag(const std::string& typed, std::string_view tag,
                                     bool slim_allowed) {
  std::vector<std::string> parts = SplitDash(tag);
  LanguageTag out;
  out.version = parts[0];
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i] == "slim" && slim_allowed && !out.slim && out.release == nullptr) {
      out.slim = true;
    } else if (const KnownRelease* r = FindRelease(parts[i]);
               r != nullptr && out.release == nullptr && parts[i] == r->codename) {
      out.release = r;
    } else {
      return Status::NotFound(typed + ": unknown tag suffix \"" + parts[i] + "\" (distill knows " +
                              std::string(slim_allowed ? "-slim and " : "") +
                              "a release codename: " + KnownReleaseList() + ")");
    }
  }
  return out;
}

Result<Recipe> LanguageRecipe(const std::string& typed, const std::string& repo,
                              std::string_view tag, ImageKind kind) {
  const char* KnownRelease::*field =
      kind == ImageKind::kPython ? &KnownRelease::python : &KnownRelease::golang;
  DISTILL_ASSIGN_OR_RETURN(LanguageTag parsed,
                           ParseLanguageTag(typed, tag, kind == ImageKind::kPython));
  const KnownRelease* known = nullptr;
  for (const KnownRelease& r : KnownReleases()) {
    if (parsed.version == r.*field) known = &r;
  }
  if (known == nullptr) {
    return Status::NotFound(
        repo + ":" + parsed.version +
        " is not provided by any Debian release distill knows; available: " + VersionList(field));
  }
  if (parsed.release != nullptr && parsed.release != known) {
    return Status::NotFound(typed + ": Debian " + parsed.release->codename + " ships " + repo +
                            " " + parsed.release->*field + ", not " + parsed.version +
                            "; available: " + VersionList(field));
  }
  Recipe recipe;
  recipe.kind = kind;
  recipe.release = {known->number, known->codename};
  recipe.slim = parsed.slim;
  recipe.version = parsed.version;
  if (kind == ImageKind::kPython) {
    recipe.version_package = "python3";
    recipe.packages = {"python3", "python3-pip", "python3-venv"};
    recipe.env = {std::string("PATH=") + kDefaultPath, "LANG=C.UTF-8"};
    recipe.cmd = {"python3"};
  } else {
    // What the official golang image adds for cgo and fetching modules.
    recipe.version_package = "golang-go";
    recipe.packages = {"golang-go", "ca-certificates", "git", "gcc", "libc6-dev",
                       "make",      "pkg-config"};
    recipe.env = {std::string("PATH=/go/bin:/usr/lib/go/bin:") + kDefaultPath, "GOPATH=/go"};
    recipe.cmd = {"bash"};
    recipe.working_dir = "/go";
    recipe.world_writable_dirs = {"/go", "/go/src", "/go/bin"};
  }
  std::string base = repo + ":" + parsed.version + (parsed.slim ? "-slim" : "");
  AddTag(&recipe, typed);
  AddTag(&recipe, base);
  AddTag(&recipe, base + "-" + known->codename);
  return recipe;
}

// Drops the registry and "library/" prefixes Docker Hub names may carry.
std::string_view ShortName(std::string_view name) {
  for (std::string_view prefix :
       {"docker.io/library/", "index.docker.io/library/", "docker.io/", "library/"}) {
    if (name.starts_with(prefix)) return name.substr(prefix.size());
  }
  return name;
}

}  // namespace

const std::vector<KnownRelease>& KnownReleases() {
  static const std::vector<KnownRelease> releases = {
      {11, "bullseye", "3.9", "1.15"},
      {12, "bookworm", "3.11", "1.19"},
      {13, "trixie", "3.13", "1.24"},
  };
  return releases;
}

bool UpstreamIsVersion(std::string_view upstream, std::string_view version) {
  if (version.empty() || !upstream.starts_with(version)) return false;
  return upstream.size() == version.size() ||
         !(upstream[version.size()] >= '0' && upstream[version.size()] <= '9');
}

Result<Recipe> RecipeForImage(std::string_view image_name) {
  std::string typed(image_name);
  std::string_view name = ShortName(image_name);
  if (name.find('@') != std::string_view::npos) {
    return Status::NotFound(typed + ": distill bootstraps images by tag, not by digest");
  }
  size_t colon = name.find(':');
  std::string repo(name.substr(0, colon));
  if (repo != "debian" && repo != "python" && repo != "golang") {
    return Status::NotFound(typed +
                            ": distill can only bootstrap debian, python and golang images");
  }
  if (colon == std::string_view::npos || colon + 1 == name.size()) {
    return Status::NotFound(typed + ": name a tag to bootstrap, e.g. " + repo + ":" +
                            (repo == "debian"   ? "bookworm-slim"
                             : repo == "python" ? "3.11-slim"
                                                : "1.19"));
  }
  std::string_view tag = name.substr(colon + 1);
  typed = repo + ":" + std::string(tag);
  if (repo == "debian") return DebianRecipe(typed, tag);
  return LanguageRecipe(typed, repo, tag,
                        repo == "python" ? ImageKind::kPython : ImageKind::kGolang);
}

}  // namespace distill::bootstrap
