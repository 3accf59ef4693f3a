// The Plan: what the frontend hands the solver. It is a DAG of stages, each a
// base plus steps with every argument already expanded, so the solver never
// needs to know Dockerfile syntax (DESIGN.md: the solver knows nothing of
// Dockerfiles). Steps carry their typed command (dockerfile::Command, expanded)
// and where they came from, for error messages and image history.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dockerfile/instructions.h"

namespace distill::frontend {

// An ordered list of NAME=VALUE pairs (order matters for image config Env).
using EnvList = std::vector<std::pair<std::string, std::string>>;

// Where a step came from: "Dockerfile:12-14", plus the text as written.
struct SourceRange {
  std::string file;
  int start_line = 0;
  int end_line = 0;
  std::string text;
};

// The image config a stage builds up, in the fields the OCI config has.
struct ImageConfig {
  EnvList env;
  std::vector<std::string> cmd;
  bool cmd_set = false;  // CMD [] differs from no CMD
  std::vector<std::string> entrypoint;
  bool entrypoint_set = false;
  std::string user;
  std::string working_dir;
  std::string author;                      // MAINTAINER
  std::vector<std::string> exposed_ports;  // "80/tcp", sorted, unique
  std::vector<std::string> volumes;        // sorted, unique
  std::map<std::string, std::string> labels;
  std::string stop_signal;
  std::optional<dockerfile::HealthcheckCommand> healthcheck;
  std::vector<std::string> shell;    // empty: the default ["/bin/sh", "-c"]
  std::vector<std::string> onbuild;  // trigger expressions, as written

  // Looks up an env var; nullptr when unset.
  const std::string* GetEnv(const std::string& name) const;
  void SetEnv(const std::string& name, const std::string& value);
  // SHELL in effect: `shell`, or the default.
  std::vector<std::string> EffectiveShell() const;
};

enum class BaseKind { kScratch, kImage, kStage };

struct StageBase {
  BaseKind kind = BaseKind::kScratch;
  std::string image;  // kImage: the expanded reference ("golang:1.22")
  int stage = -1;     // kStage: index of the earlier stage
};

// One step of a stage: an instruction with its arguments expanded.
struct Step {
  dockerfile::Command command;  // typed and expanded (RUN/CMD/ENTRYPOINT stay raw)
  SourceRange location;
  bool from_onbuild = false;  // injected from the base's ONBUILD triggers
  // Whether the step changes the filesystem (RUN, COPY, ADD, WORKDIR creates
  // the directory); the others only change the config.
  bool changes_filesystem = false;
  // The state the step runs in (for RUN, COPY, ADD; recorded for all):
  EnvList env;         // image config env + visible build args (ENV wins)
  EnvList build_args;  // ARG values visible here (not proxy args): for cache keys/history
  EnvList proxy_env;   // proxy build args passed to RUN but kept out of keys/history
  std::string working_dir;
  std::string user;
  std::vector<std::string> shell;
  // Stage this step reads from (COPY --from, RUN --mount from): index or -1.
  std::vector<int> reads_stages;
  std::vector<std::string> reads_images;  // COPY --from=<image reference>
};

struct Stage {
  int index = 0;
  std::string name;  // lower case; empty for unnamed stages
  SourceRange location;
  std::string base_as_written;  // the FROM argument before expansion
  StageBase base;
  std::string platform;  // expanded --platform, or "" for the target platform
  std::vector<Step> steps;
  std::vector<int> deps;                // stages this one needs (base and --from), sorted, unique
  std::vector<std::string> image_deps;  // external images read by --from / mount from
  // The config the stage's image gets: its base's config (for a stage base) with
  // every step applied. For an image base it starts from what the resolver gave,
  // or empty when there was none (base_config_resolved false).
  ImageConfig config;
  bool base_config_resolved = false;
  bool needed = false;
  std::string skip_reason;  // why the stage does not run (when !needed)
  int wave = 0;             // 0 = no deps; a stage's wave is 1 + the max wave of its deps

  // "build" or "stage 2" (for messages).
  std::string DisplayName() const;
};

struct Plan {
  std::string filename;
  std::string target_platform;  // "linux/amd64"
  std::string build_platform;
  std::vector<Stage> stages;  // in file order
  int target = -1;            // index of the stage whose image is the result
  std::vector<int> order;     // needed stages in a valid run order (deps first)
  EnvList global_args;        // ARGs before the first FROM, with their values
  std::vector<std::string> warnings;
};

}  // namespace distill::frontend
