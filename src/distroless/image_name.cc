#include "distroless/image_name.h"

#include <algorithm>

namespace distill::distroless {

Result<std::optional<DistrolessName>> ParseDistrolessName(std::string_view name) {
  constexpr std::string_view kPrefix = "gcr.io/distroless/";
  if (name.substr(0, kPrefix.size()) != kPrefix) return std::optional<DistrolessName>();
  std::string_view rest = name.substr(kPrefix.size());
  if (rest.find('@') != std::string_view::npos) {
    return Status::Invalid(std::string(name) +
                           ": distill builds distroless images from Debian packages and cannot "
                           "match a pinned digest; use a tag");
  }
  std::string_view repo = rest.substr(0, rest.find(':'));
  std::string_view tag = repo.size() < rest.size() ? rest.substr(repo.size() + 1) : "latest";
  size_t dash = repo.rfind("-debian");
  if (dash == std::string_view::npos || dash + 7 == repo.size()) {
    return Status::Invalid(std::string(name) +
                           ": distroless image names look like "
                           "gcr.io/distroless/FLAVOUR-debianN[:VARIANT]");
  }
  std::string_view number = repo.substr(dash + 7);
  if (!std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      number.size() > 3) {
    return Status::Invalid(std::string(name) + ": \"" + std::string(number) +
                           "\" is not a Debian release number");
  }
  DistrolessName parsed;
  auto flavour = ParseFlavour(repo.substr(0, dash));
  if (!flavour.ok()) return flavour.status().Prefixed(std::string(name));
  parsed.flavour = *flavour;
  parsed.debian_release = std::stoi(std::string(number));
  for (std::string_view arch : {"amd64", "arm64", "arm", "s390x", "ppc64le", "riscv64"}) {
    std::string suffix = "-" + std::string(arch);
    if (tag.size() > suffix.size() && tag.substr(tag.size() - suffix.size()) == suffix) {
      parsed.arch = arch;
      tag = tag.substr(0, tag.size() - suffix.size());
      break;
    }
  }
  auto variant = ParseVariant(tag);
  if (!variant.ok()) return variant.status().Prefixed(std::string(name));
  parsed.variant = *variant;
  auto recipe = RecipeFor(parsed.flavour, parsed.debian_release);
  if (!recipe.ok()) return recipe.status().Prefixed(std::string(name));
  return std::optional<DistrolessName>(parsed);
}

}  // namespace distill::distroless
