// Names of distroless images, as users write them in FROM lines:
// gcr.io/distroless/FLAVOUR-debianN[:VARIANT], e.g.
// "gcr.io/distroless/python3-debian12:nonroot". Google also publishes
// per-architecture tags ("latest-amd64", "nonroot-arm64"), accepted here too.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "distroless/flavour.h"

namespace distill::distroless {

struct DistrolessName {
  Flavour flavour = Flavour::kStatic;
  int debian_release = 12;
  Variant variant = Variant::kLatest;
  std::string arch;  // from a "-amd64" tag suffix; empty: not given
};

// nullopt when `name` is not a distroless image name at all (another image);
// an error when it is one but names something distill cannot make
// (unknown flavour, variant or release).
Result<std::optional<DistrolessName>> ParseDistrolessName(std::string_view name);

}  // namespace distill::distroless
