// BuildBackend: the solver's Backend over the real pieces — base images from
// the local store, RUN in the exec sandbox over a snapshot overlay, COPY/ADD
// and WORKDIR into a mounted snapshot, every change committed as a layer.
//
// Thread-safety: thread-safe; each solver thread works through its own Store
// and SnapshotStore (StorePool).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "builder/secrets.h"
#include "builder/store_pool.h"
#include "context/build_context.h"
#include "context/copy_request.h"
#include "context/file_digester.h"
#include "exec/process_spec.h"
#include "snapshot/snapshot_store.h"
#include "solver/backend.h"

namespace distill::builder {

struct BackendOptions {
  StorePool* pool = nullptr;
  // The build context (COPY sources, RUN --mount=type=bind without from=);
  // may be null for a build that reads none.
  const context::BuildContext* context = nullptr;
  context::FileDigester* digester = nullptr;  // required with `context`
  // `build --network`: what RUN steps without --network get.
  exec::NetworkMode default_network = exec::NetworkMode::kHost;
  SecretValues secrets;
  // SOURCE_DATE_EPOCH: layer mtimes are clamped to it.
  std::optional<int64_t> source_date_epoch;
  std::string hostname = "distill";
};

class BuildBackend : public solver::Backend {
 public:
  explicit BuildBackend(BackendOptions options) : options_(std::move(options)) {}

  Result<solver::BaseImage> ResolveBase(const std::string& image_ref,
                                        const std::string& platform) override;
  Result<std::vector<oci::Digest>> InputDigests(const solver::StepRequest& request) override;
  Result<solver::StepOutcome> Execute(const solver::StepRequest& request,
                                      const solver::OutputFn& output,
                                      solver::CancelToken* cancel) override;

 private:
  Result<solver::StepOutcome> ExecuteRun(const solver::StepRequest& request,
                                         const solver::OutputFn& output,
                                         solver::CancelToken* cancel);
  Result<solver::StepOutcome> ExecuteWorkdir(const solver::StepRequest& request);
  Result<solver::StepOutcome> ExecuteCopy(const solver::StepRequest& request);
  // The cache-key input of a step reading `copy`'s sources from a finished
  // stage: the digest of the selected files (stage_digest_memo.h says why).
  Result<oci::Digest> StageSourcesDigest(const solver::ImageState& stage,
                                         const context::CopyRequest& copy);
  // A writable overlay over `state`'s layers (unpacked when needed).
  Result<snapshot::ActiveSnapshot> Mount(StoreHandles* h, const solver::ImageState& state);
  // Commits `active` as the step's layer (none when nothing changed).
  Result<solver::StepOutcome> CommitStep(StoreHandles* h, snapshot::ActiveSnapshot&& active,
                                         std::vector<std::string> placeholders);
  // The finished state of the stage a step reads by name or index (`from`).
  Result<const solver::StageResult*> SourceStage(const solver::StepRequest& request,
                                                 const std::string& from);

  BackendOptions options_;
};

// The base image `image_ref` as the store holds it, for the solver. Errors:
// "image not found in the store (make it with `distill import` or, later,
// `distill pull`)".
Result<solver::BaseImage> ReadBaseImage(store::Store& store, const std::string& image_ref);

}  // namespace distill::builder
