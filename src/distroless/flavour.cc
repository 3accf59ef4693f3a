#include "distroless/flavour.h"

namespace distill::distroless {
namespace {

struct FlavourNameEntry {
  Flavour flavour;
  std::string_view name;
};
constexpr FlavourNameEntry kFlavourNames[] = {
    {Flavour::kStatic, "static"}, {Flavour::kBaseNossl, "base-nossl"}, {Flavour::kBase, "base"},
    {Flavour::kCc, "cc"},         {Flavour::kPython3, "python3"},
};

struct VariantNameEntry {
  Variant variant;
  std::string_view name;
};
constexpr VariantNameEntry kVariantNames[] = {
    {Variant::kLatest, "latest"},
    {Variant::kNonroot, "nonroot"},
    {Variant::kDebug, "debug"},
    {Variant::kDebugNonroot, "debug-nonroot"},
};

// Each layer of the recipe adds to the one below it, as in distroless:
// static ⊂ base-nossl ⊂ base ⊂ cc ⊂ python3.
void AddStatic(std::vector<std::string>* roots) {
  // /etc/mime.types comes from media-types on every release: bullseye's
  // mime-support is a transitional package that would pull in mailcap and,
  // through it, perl.
  roots->insert(roots->end(), {"base-files", "netbase", "tzdata", "media-types"});
}

void AddLibssl(int release, std::vector<std::string>* roots) {
  if (release <= 11) {
    roots->push_back("libssl1.1");
  } else if (release == 12) {
    roots->push_back("libssl3");
  } else {
    roots->push_back("libssl3t64");  // the 64-bit time_t transition renamed it in trixie
  }
}

void AddCc(int release, std::vector<std::string>* roots) {
  roots->insert(roots->end(), {"libgcc-s1", "libgomp1", "libstdc++6"});
  // gcc-N-base carries the runtime's copyright; its N follows the release's default gcc.
  roots->push_back(release <= 11 ? "gcc-10-base" : release == 12 ? "gcc-12-base" : "gcc-14-base");
}

}  // namespace

Result<Flavour> ParseFlavour(std::string_view name) {
  for (const auto& e : kFlavourNames) {
    if (e.name == name) return e.flavour;
  }
  return Status::Invalid("unknown distroless flavour \"" + std::string(name) +
                         "\" (known: static, base-nossl, base, cc, python3)");
}

std::string_view FlavourName(Flavour flavour) {
  for (const auto& e : kFlavourNames) {
    if (e.flavour == flavour) return e.name;
  }
  return "?";
}

Result<Variant> ParseVariant(std::string_view name) {
  for (const auto& e : kVariantNames) {
    if (e.name == name) return e.variant;
  }
  return Status::Invalid("unknown distroless variant \"" + std::string(name) +
                         "\" (known: latest, nonroot, debug, debug-nonroot)");
}

std::string_view VariantName(Variant variant) {
  for (const auto& e : kVariantNames) {
    if (e.variant == variant) return e.name;
  }
  return "?";
}

const std::vector<Flavour>& AllFlavours() {
  static const std::vector<Flavour> all = {Flavour::kStatic, Flavour::kBaseNossl, Flavour::kBase,
                                           Flavour::kCc, Flavour::kPython3};
  return all;
}

const std::vector<Variant>& AllVariants() {
  static const std::vector<Variant> all = {Variant::kLatest, Variant::kNonroot, Variant::kDebug,
                                           Variant::kDebugNonroot};
  return all;
}

const std::vector<int>& SupportedDebianReleases() {
  static const std::vector<int> all = {11, 12, 13};
  return all;
}

bool IsNonroot(Variant variant) {
  return variant == Variant::kNonroot || variant == Variant::kDebugNonroot;
}

bool IsDebug(Variant variant) {
  return variant == Variant::kDebug || variant == Variant::kDebugNonroot;
}

Result<Recipe> RecipeFor(Flavour flavour, int debian_release) {
  if (debian_release < 11 || debian_release > 13) {
    return Status::Invalid("distroless images are made for Debian 11, 12 and 13, not Debian " +
                           std::to_string(debian_release));
  }
  Recipe recipe;
  recipe.merged_usr = debian_release >= 12;
  // Maintainer-script and packaging machinery: never in a distroless image.
  // "awk" (mawk, gawk, ...) only meets base-files' Pre-Depends, for its
  // maintainer scripts; left in, it would pull libc6 into the static image.
  recipe.exclude = {"debconf",      "cdebconf",  "debconf-2.0", "dpkg",
                    "install-info", "perl-base", "awk"};
  AddStatic(&recipe.roots);
  if (flavour == Flavour::kStatic) return recipe;
  recipe.roots.push_back("libc6");
  if (flavour == Flavour::kBaseNossl) return recipe;
  AddLibssl(debian_release, &recipe.roots);
  if (flavour == Flavour::kBase) return recipe;
  AddCc(debian_release, &recipe.roots);
  if (flavour == Flavour::kCc) return recipe;
  // Each release's one python3 (python3-debian11 is Google's 3.9 image).
  recipe.python = debian_release == 11   ? "python3.9"
                  : debian_release == 12 ? "python3.11"
                                         : "python3.13";
  recipe.roots.insert(recipe.roots.end(),
                      {recipe.python + "-minimal", "lib" + recipe.python + "-stdlib"});
  return recipe;
}

std::string DefaultImageName(Flavour flavour, int debian_release, Variant variant) {
  return "gcr.io/distroless/" + std::string(FlavourName(flavour)) + "-debian" +
         std::to_string(debian_release) + ":" + std::string(VariantName(variant));
}

}  // namespace distill::distroless
