// BuildPlan: the semantic layer. Turns a parsed Dockerfile into a Plan: stages
// with their bases, ARG/ENV scoping and expansion (Docker/BuildKit rules), the
// --from dependency graph, --target pruning and a run order.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "dockerfile/ast.h"
#include "frontend/plan.h"
#include "util/status.h"

namespace distill::frontend {

// The config of an external base image, as the solver resolves it (registry or
// store). The frontend needs it to expand variables the base image's ENV sets,
// and to run the base's ONBUILD triggers.
using ImageConfigResolver =
    std::function<Result<ImageConfig>(const std::string& image_ref, const std::string& platform)>;

struct PlanOptions {
  std::string target;                             // stage name; "" = the last stage
  std::map<std::string, std::string> build_args;  // --build-arg values (already resolved)
  std::string platform;                           // target platform; "" = build platform
  std::string build_platform;                     // "" = this machine
  // Optional: without it, external bases start from an empty config and the
  // solver applies their config later (Stage::base_config_resolved is false).
  ImageConfigResolver resolve_image_config;
};

// Resolves `--build-arg` values: "K=V" sets K; "K" alone takes K from the process
// environment (via `getenv`) and is left out when unset there, as docker does.
Result<std::map<std::string, std::string>> ParseBuildArgs(
    const std::vector<std::string>& specs, const std::function<const char*(const char*)>& getenv);

// Build args the reference defines without an ARG: the platform ones, and the
// proxy ones (usable without declaration, kept out of history and cache keys).
bool IsPlatformArg(const std::string& name);
bool IsProxyArg(const std::string& name);

Result<Plan> BuildPlan(const dockerfile::Dockerfile& dockerfile, const PlanOptions& options);

}  // namespace distill::frontend
