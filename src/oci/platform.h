// Platform: the os/architecture/variant an image runs on, and the rules for
// comparing platforms the way containerd's `platforms` package does, so an
// image index resolves to the same manifest here as under Docker.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "oci/json_fields.h"
#include "util/status.h"

namespace distill::oci {

struct Platform {
  std::string os;                                     // "linux"
  std::string architecture;                           // GOARCH spelling: "amd64", "arm64", "arm"
  std::string variant;                                // "v7", "v8"; empty when there is none
  std::string os_version;                             // "os.version" (Windows builds)
  std::vector<std::string> os_features;               // "os.features"
  nlohmann::json unknown = nlohmann::json::object();  // members kept for writing back

  // "linux/arm64/v8" (os/architecture[/variant]).
  std::string str() const;
  friend bool operator==(const Platform& a, const Platform& b) {
    return a.os == b.os && a.architecture == b.architecture && a.variant == b.variant &&
           a.os_version == b.os_version && a.os_features == b.os_features && a.unknown == b.unknown;
  }
};

// The platform this binary was compiled for, with the variant spelled out
// (linux/arm64/v8, linux/arm/v7, linux/amd64).
Platform HostPlatform();

// Canonical spelling: os lowercased (macos → darwin); x86_64/x86-64 → amd64,
// aarch64 → arm64, i386…i686 → 386, armhf → arm/v7, armel → arm/v6; variants
// "7" → "v7"; the default variants dropped (arm64/v8 → arm64, amd64/v1 → amd64,
// arm with no variant → arm/v7).
Platform Normalize(const Platform& p);

// Parses "os", "arch", "os/arch" or "os/arch/variant" and normalizes it. A
// lone os takes the host's architecture; a lone architecture the host's os.
Result<Platform> ParsePlatform(std::string_view spec);

// True when an image built for `have` is exactly the platform `want` names,
// after normalization (so linux/arm64/v8 matches linux/aarch64).
bool PlatformMatches(const Platform& want, const Platform& have);

// How well `have` serves a host of platform `want`: 0 is an exact match,
// higher numbers are worse but still runnable (linux/arm/v6 on an arm/v7 host,
// linux/386 on amd64, arm/v7 on arm64). -1 when it cannot run at all.
int PlatformRank(const Platform& want, const Platform& have);

// JSON form used in descriptors and configs.
nlohmann::json PlatformToJson(const Platform& p);
Result<Platform> PlatformFromJson(const JsonFields& fields);

}  // namespace distill::oci
