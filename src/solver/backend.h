// The seams between the solver and the pieces that do the work. The solver
// decides WHAT runs and in which order, and whether a result can be reused;
// a Backend resolves images, hashes inputs and runs steps; a CacheStore
// remembers results by key. A build driver implements both with the real
// executor, snapshots, build context and store; the solver's tests use fakes.
//
// Thread-safety: the solver calls every method from several threads at once
// (one per stage being built, at most SolveOptions::jobs). Implementations
// must be thread-safe.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "frontend/plan.h"
#include "oci/digest.h"
#include "solver/cancel_token.h"
#include "solver/image_state.h"
#include "util/status.h"

namespace distill::solver {

// An external image a stage starts from (FROM alpine:3.19).
struct BaseImage {
  oci::Digest digest;            // manifest digest: the stage's parent cache key
  frontend::ImageConfig config;  // its runtime config (env, cmd, user, ...)
  std::vector<LayerRef> layers;  // base first
  std::vector<oci::HistoryEntry> history;
};

// The finished state of a stage, as later stages see it (FROM <stage>, COPY --from).
struct StageResult {
  int stage = -1;
  ImageState state;
  std::string final_key;  // cache key after the stage's last step
};

// Finished stages a step may read, by stage index (only those it reads).
using StageResults = std::map<int, const StageResult*>;

// Everything a backend needs to know about one step.
struct StepRequest {
  const frontend::Plan* plan = nullptr;
  const frontend::Stage* stage = nullptr;
  const frontend::Step* step = nullptr;
  int step_index = 0;                  // in stage->steps
  std::string platform;                // the stage's platform ("linux/amd64")
  frontend::EnvList env;               // the env the step runs with, without proxy variables
  frontend::EnvList proxy_env;         // proxy variables, for RUN only (never hashed)
  const ImageState* parent = nullptr;  // the state the step applies to
  StageResults reads;                  // results of the stages it reads (--from)
};

// Called with each line a step prints (without the newline).
using OutputFn = std::function<void(const std::string& line)>;

// What running a step produced.
struct StepOutcome {
  std::optional<LayerRef> layer;  // none: the step changed no file
};

class Backend {
 public:
  virtual ~Backend() = default;

  // Resolves an external image for `platform` (pulls it, or finds it in the
  // store). Errors name the image.
  virtual Result<BaseImage> ResolveBase(const std::string& image_ref,
                                        const std::string& platform) = 0;

  // The content digests of what the step reads, for its cache key: for COPY
  // and ADD the selected sources (from the context, another stage's result or
  // an image); for RUN its bind mounts' sources. The solver calls it only for
  // those steps (NeedsInputDigest). An edit to a file must change the digest
  // of exactly the steps that select it.
  virtual Result<std::vector<oci::Digest>> InputDigests(const StepRequest& request) = 0;

  // Runs a step that changes the filesystem (RUN, COPY, ADD, WORKDIR) on top
  // of request.parent. Must return promptly with a kCancelled error once
  // `cancel` is cancelled. Errors say what went wrong ("exit code 2"); the
  // solver adds the step's location and text.
  virtual Result<StepOutcome> Execute(const StepRequest& request, const OutputFn& output,
                                      CancelToken* cancel) = 0;
};

// A remembered step result.
struct CacheRecord {
  std::optional<LayerRef> layer;
};

class CacheStore {
 public:
  virtual ~CacheStore() = default;
  // The record for `key`, or nullopt. A record whose layer blob is gone must
  // read as a miss (the implementation checks).
  virtual Result<std::optional<CacheRecord>> Lookup(const std::string& key) = 0;
  virtual Status Record(const std::string& key, const CacheRecord& record) = 0;
};

// Whether the solver asks the backend for the step's input digests.
bool NeedsInputDigest(const frontend::Step& step);

}  // namespace distill::solver
