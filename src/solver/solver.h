// Solve: builds the stages a Plan needs, as a DAG. A stage starts as soon as
// every stage it needs has finished (not wave by wave), at most `jobs` stages
// at once, each on its own worker thread; the steps of a stage run one after
// another. Stages outside plan.order never run.
//
// Each step gets a cache key (cache_key.h) chained from its parent's; a step
// that changes the filesystem is looked up in the CacheStore and only executed
// on a miss (then recorded). Within one build a key runs at most once: a stage
// reaching a key another stage is executing waits for that result (shown as
// CACHED). Metadata steps (ENV, LABEL, CMD, ...) chain keys and update the
// config but never reach the Backend.
//
// Base images: the frontend's step env is used when it knew the base's config
// (Stage::base_config_resolved); otherwise the env is rebuilt from the config
// ResolveBase returns (StepEnv). A base's ONBUILD triggers only run when the
// frontend resolved the base at plan time (PlanOptions::resolve_image_config).
//
// The first failure cancels the build's CancelToken, waits for the running
// steps to return, and is what Solve returns: "Dockerfile:12: RUN make: exit
// code 2". Cancelling SolveOptions::cancel (Ctrl-C) does the same, with a
// kCancelled status.
//
// Thread-safety: Solve may be called concurrently for different builds; the
// Backend, CacheStore and ProgressSink must be thread-safe (backend.h).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "frontend/plan.h"
#include "solver/backend.h"
#include "solver/cancel_token.h"
#include "solver/image_state.h"
#include "solver/progress.h"
#include "util/status.h"

namespace distill::solver {

struct SolveOptions {
  int jobs = 0;           // stages built at once; 0 = the number of cores
  bool no_cache = false;  // --no-cache: never look up (results are still recorded)
  // --no-cache-filter: stages (by name or index) whose steps skip lookups.
  std::vector<std::string> no_cache_filter;
  ProgressSink* progress = nullptr;  // optional
  const Clock* clock = nullptr;      // optional; default: steady clock
  CancelToken* cancel = nullptr;     // optional; cancelling it stops the build
};

struct StepTiming {
  int stage = -1;
  int step_index = 0;
  std::string label;
  bool cached = false;
  int64_t duration_ns = 0;  // 0 for cached steps
  // The step's cache key: what `--cache-to` exports the step's record under.
  std::string key;
};

struct BuildStats {
  int steps_executed = 0;
  int steps_cached = 0;
  std::vector<StepTiming> steps;  // in the order they finished
};

struct BuildResult {
  ImageState image;                   // the target stage's final state
  std::string final_key;              // the target stage's final cache key
  std::map<int, StageResult> stages;  // every stage that ran, by index
  BuildStats stats;
};

Result<BuildResult> Solve(const frontend::Plan& plan, Backend* backend, CacheStore* cache,
                          const SolveOptions& options);

// The env a step runs with: the frontend's when it knew the base's config,
// otherwise the build args overlaid with `config` (the stage's real config at
// that point), ENV winning, plus the default PATH for RUN when none is set.
frontend::EnvList StepEnv(const frontend::Stage& stage, const frontend::Step& step,
                          const frontend::ImageConfig& config);

// "[build 2/4] RUN make"; the stage prefix is left out for one-stage files.
std::string StepLabel(const frontend::Plan& plan, const frontend::Stage& stage, int step_index);

// PATH for scratch stages and RUN steps without one (as Docker sets it).
inline constexpr const char* kDefaultPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

}  // namespace distill::solver
