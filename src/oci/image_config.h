// Image config: the JSON the manifest's config descriptor points at (OCI image
// spec "Image Configuration", which Docker's container image v1 config is a
// superset of). Everything distill does not model — Docker's container_config,
// Hostname, docker_version and any future member — survives a read and a write
// in the `unknown` members of each object.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "oci/digest.h"
#include "util/status.h"

namespace distill::oci {

// HEALTHCHECK. Durations are nanoseconds, as Docker writes them; 0 = unset
// (inherit the default).
struct Healthcheck {
  std::vector<std::string> test;  // ["NONE"], ["CMD", ...], ["CMD-SHELL", "..."]
  int64_t interval_ns = 0;
  int64_t timeout_ns = 0;
  int64_t start_period_ns = 0;
  int64_t start_interval_ns = 0;
  int64_t retries = 0;
  nlohmann::json unknown = nlohmann::json::object();
  friend bool operator==(const Healthcheck&, const Healthcheck&) = default;
};

// The "config" member: how to run a container of the image.
struct ContainerConfig {
  std::string user;
  std::set<std::string> exposed_ports;  // "80/tcp"
  std::vector<std::string> env;         // "KEY=value", in order
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::set<std::string> volumes;
  std::string working_dir;
  std::map<std::string, std::string> labels;
  std::string stop_signal;
  std::optional<Healthcheck> healthcheck;
  bool args_escaped = false;  // Windows-only meaning; kept because Docker writes it
  std::vector<std::string> on_build;
  std::vector<std::string> shell;
  nlohmann::json unknown = nlohmann::json::object();
  friend bool operator==(const ContainerConfig&, const ContainerConfig&) = default;
};

struct HistoryEntry {
  std::string created;  // RFC 3339
  std::string created_by;
  std::string author;
  std::string comment;
  bool empty_layer = false;  // true for steps that made no layer (ENV, CMD, ...)
  nlohmann::json unknown = nlohmann::json::object();
  friend bool operator==(const HistoryEntry&, const HistoryEntry&) = default;
};

struct RootFs {
  std::string type = "layers";
  std::vector<Digest> diff_ids;  // digests of the uncompressed layer tars, base first
  nlohmann::json unknown = nlohmann::json::object();
  friend bool operator==(const RootFs&, const RootFs&) = default;
};

struct ImageConfig {
  std::string created;  // RFC 3339; empty = not written
  std::string author;
  std::string architecture;
  std::string os;
  std::string os_version;
  std::vector<std::string> os_features;
  std::string variant;
  ContainerConfig config;
  bool has_config = false;  // the "config" member was present (or should be written)
  RootFs rootfs;
  std::vector<HistoryEntry> history;
  nlohmann::json unknown = nlohmann::json::object();
  friend bool operator==(const ImageConfig&, const ImageConfig&) = default;
};

// Parses and validates an image config (architecture, os and rootfs are
// required; rootfs.type must be "layers"; diff_ids must be digests). `source`
// names it in errors. Keep `bytes` when passing the config on unchanged.
Result<ImageConfig> ParseImageConfig(std::string_view bytes, std::string_view source);

// The canonical JSON of `config`; members Go writes with omitempty are left out
// when empty, unknown members are written back as read.
Result<std::string> SerializeImageConfig(const ImageConfig& config);

}  // namespace distill::oci
