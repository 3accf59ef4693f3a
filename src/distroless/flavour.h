// The distroless recipes: which Debian packages make each flavour of image,
// per Debian release, and how each variant is configured. These are the facts
// of Google's distroless images (GoogleContainerTools/distroless), as data.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace distill::distroless {

enum class Flavour { kStatic, kBaseNossl, kBase, kCc, kPython3 };
enum class Variant { kLatest, kNonroot, kDebug, kDebugNonroot };

// "static", "base-nossl", "base", "cc", "python3".
Result<Flavour> ParseFlavour(std::string_view name);
std::string_view FlavourName(Flavour flavour);
// "latest", "nonroot", "debug", "debug-nonroot".
Result<Variant> ParseVariant(std::string_view name);
std::string_view VariantName(Variant variant);

const std::vector<Flavour>& AllFlavours();
const std::vector<Variant>& AllVariants();
// Debian releases distroless images are made for here.
const std::vector<int>& SupportedDebianReleases();

bool IsNonroot(Variant variant);
bool IsDebug(Variant variant);

// What to install for one flavour on one release.
struct Recipe {
  // Roots given to the resolver (their dependency closure is installed).
  std::vector<std::string> roots;
  // Packages never installed: the package manager and maintainer-script
  // machinery a distroless image leaves out. Dependencies only they meet are
  // dropped.
  std::vector<std::string> exclude;
  // The package whose certificates become /etc/ssl/certs/ca-certificates.crt
  // (read, never installed).
  std::string ca_certificates_package = "ca-certificates";
  // python3 only: "python3.11" (the interpreter's name in /usr/bin).
  std::string python;
  // Debian releases with /bin, /sbin, /lib* as symlinks into /usr.
  bool merged_usr = false;
};

// The recipe, or an error saying why the flavour does not exist for the
// release (e.g. python3 on Debian 11).
Result<Recipe> RecipeFor(Flavour flavour, int debian_release);

// The package providing busybox for the debug variants.
inline constexpr const char* kBusyboxPackage = "busybox-static";

// The tag distill gives a build by default:
// "gcr.io/distroless/static-debian12:nonroot" ("...:latest" for kLatest).
std::string DefaultImageName(Flavour flavour, int debian_release, Variant variant);

}  // namespace distill::distroless
