// Which image distill can bootstrap from Debian packages, and how: the names
// `distill bootstrap` and a FROM line may use (debian:bookworm-slim,
// debian:12, python:3.11-slim, golang:1.19, ...) mapped to a recipe — the
// Debian release, the slim flag, the packages added on top of the base
// system and the image config.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "debian/sources.h"
#include "util/status.h"

namespace distill::bootstrap {

// A Debian release distill knows how to bootstrap, with the upstream versions
// of the language toolchains it ships (the Debian-packaged python3 and
// golang-go). These are checked against the Packages index at build time.
struct KnownRelease {
  int number;
  const char* codename;
  const char* python;  // "3.11"
  const char* golang;  // "1.19"
};
const std::vector<KnownRelease>& KnownReleases();

enum class ImageKind { kDebian, kPython, kGolang };

struct Recipe {
  ImageKind kind = ImageKind::kDebian;
  debian::DebianRelease release;
  bool slim = false;
  // The toolchain version ("3.11", "1.19"), empty for plain Debian.
  std::string version;
  // The Debian source package whose version must start with `version`
  // ("python3", "golang-go"); empty for plain Debian.
  std::string version_package;
  // Installed with apt-get on top of the base system.
  std::vector<std::string> packages;
  // Image config.
  std::vector<std::string> env;
  std::vector<std::string> cmd;
  std::string working_dir;
  // Directories to create in the image (e.g. GOPATH), mode 01777 like the
  // official golang image's /go.
  std::vector<std::string> world_writable_dirs;
  // The names the image gets: the one asked for first, then aliases
  // ("debian:bookworm-slim", "debian:12-slim").
  std::vector<std::string> tags;
};

// The recipe for `image_name` ("debian:12-slim", "docker.io/library/python:3.11",
// "golang:1.19-bookworm"). kNotFound when distill cannot make that image: an
// unknown repository, a missing tag, an unknown release, or a toolchain version
// no known release ships (the message lists the versions that exist).
Result<Recipe> RecipeForImage(std::string_view image_name);

// Whether a Debian upstream version ("3.11.2", "1.19~1") is the toolchain
// version `version` ("3.11", "1.19"): a prefix ending at a non-digit.
bool UpstreamIsVersion(std::string_view upstream, std::string_view version);

// The standard PATH of the Debian images.
inline constexpr const char* kDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

}  // namespace distill::bootstrap
