#include "builder/build_backend.h"

#include "builder/root_paths.h"
#include "builder/stage_digest_memo.h"
#include "context/copy_request.h"
#include "context/sources_digest.h"
#include "snapshot/chain_id.h"
#include "solver/oci_config.h"
#include "store/image_store.h"

namespace distill::builder {

Result<solver::BaseImage> ReadBaseImage(store::Store& store, const std::string& image_ref) {
  // A digest or an image ID is looked up as is; a name is normalised first.
  std::string lookup = image_ref;
  if (image_ref.rfind("sha256:", 0) != 0) {
    auto normalised = store::NormalizeImageName(image_ref);
    if (normalised.ok()) lookup = *normalised;
  }
  auto image = store::ReadImage(store, lookup);
  if (!image.ok()) {
    if (image.status().code() == Status::Code::kNotFound) {
      return Status::NotFound(
          "image not found in the store (pull it with `distill pull`, or bring it in with "
          "`distill load` or `distill import`)");
    }
    return image.status();
  }
  DISTILL_ASSIGN_OR_RETURN(std::vector<store::ImageLayer> layers, store::LayersOf(*image));
  solver::BaseImage base;
  base.digest = image->manifest_digest;
  base.config = solver::FromOciImageConfig(image->config);
  for (store::ImageLayer& layer : layers) {
    base.layers.push_back(solver::LayerRef{std::move(layer.descriptor), std::move(layer.diff_id)});
  }
  base.history = image->config.history;
  return base;
}

Result<solver::BaseImage> BuildBackend::ResolveBase(const std::string& image_ref,
                                                    const std::string& /*platform*/) {
  DISTILL_ASSIGN_OR_RETURN(StoreHandles * h, options_.pool->ForThisThread());
  return ReadBaseImage(*h->store, image_ref);
}

Result<const solver::StageResult*> BuildBackend::SourceStage(const solver::StepRequest& request,
                                                             const std::string& from) {
  for (const auto& [index, result] : request.reads) {
    const frontend::Stage& stage = request.plan->stages[index];
    if ((!stage.name.empty() && stage.name == from) || std::to_string(index) == from) {
      return result;
    }
  }
  return Status::NotFound("--from=" + from + ": no finished stage of that name");
}

Result<std::vector<oci::Digest>> BuildBackend::InputDigests(const solver::StepRequest& request) {
  const frontend::Step& step = *request.step;
  std::vector<oci::Digest> out;
  // `from` is a stage this step reads, an image, or (empty) the build context.
  auto digest_from = [&](const std::string& from,
                         const context::CopyRequest& copy) -> Result<oci::Digest> {
    if (from.empty()) {
      if (options_.context == nullptr) return Status::Invalid("the build has no context");
      return context::SourcesDigest(*options_.context, copy, options_.digester);
    }
    auto stage = SourceStage(request, from);
    if (stage.ok()) return StageSourcesDigest((*stage)->state, copy);
    DISTILL_ASSIGN_OR_RETURN(StoreHandles * h, options_.pool->ForThisThread());
    auto image = ReadBaseImage(*h->store, from);
    if (!image.ok()) return image.status().Prefixed("--from=" + from);
    return image->digest;
  };
  if (const auto* copy = step.command.As<dockerfile::CopyCommand>()) {
    context::CopyRequest req = context::CopyRequestFrom(*copy, step.working_dir);
    DISTILL_ASSIGN_OR_RETURN(oci::Digest d, digest_from(copy->from, req));
    out.push_back(std::move(d));
  } else if (const auto* run = step.command.As<dockerfile::RunCommand>()) {
    for (const dockerfile::Mount& m : run->mounts) {
      if (m.type != dockerfile::MountType::kBind) continue;
      context::CopyRequest req;
      req.sources = {m.source.empty() ? "." : m.source};
      req.dest = "/";
      DISTILL_ASSIGN_OR_RETURN(oci::Digest d, digest_from(m.from, req));
      out.push_back(std::move(d));
    }
  }
  return out;
}

Result<oci::Digest> BuildBackend::StageSourcesDigest(const solver::ImageState& stage,
                                                     const context::CopyRequest& copy) {
  std::vector<oci::Digest> diff_ids;
  for (const solver::LayerRef& layer : stage.layers) diff_ids.push_back(layer.diff_id);
  const oci::Digest chain = snapshot::ChainId(diff_ids);
  StageDigestMemo memo(DefaultFileSystem(), JoinPath(options_.pool->root(), "cache/copy-from"));
  if (std::optional<oci::Digest> known = memo.Get(chain, copy)) return *known;

  DISTILL_ASSIGN_OR_RETURN(StoreHandles * h, options_.pool->ForThisThread());
  DISTILL_ASSIGN_OR_RETURN(snapshot::ActiveSnapshot view, Mount(h, stage));
  DISTILL_ASSIGN_OR_RETURN(context::BuildContext tree,
                           context::BuildContext::OpenStageRootfs(view.rootfs()));
  context::FileDigester files(nullptr);  // a throw-away mount: nothing to stat-cache
  DISTILL_ASSIGN_OR_RETURN(oci::Digest digest, context::SourcesDigest(tree, copy, &files));
  // A memo that cannot be written costs the next build a mount, nothing more.
  (void)memo.Put(chain, copy, digest);
  return digest;
}

Result<snapshot::ActiveSnapshot> BuildBackend::Mount(StoreHandles* h,
                                                     const solver::ImageState& state) {
  std::vector<snapshot::LayerBlob> blobs;
  for (const solver::LayerRef& layer : state.layers) {
    blobs.push_back(snapshot::LayerBlob{layer.diff_id, layer.blob.digest});
  }
  DISTILL_ASSIGN_OR_RETURN(oci::Digest chain, h->snapshots->EnsureUnpacked(blobs));
  return h->snapshots->Prepare(chain);
}

Result<solver::StepOutcome> BuildBackend::CommitStep(StoreHandles* h,
                                                     snapshot::ActiveSnapshot&& active,
                                                     std::vector<std::string> placeholders) {
  snapshot::CommitOptions options;
  options.clamp_mtime = options_.source_date_epoch;
  options.placeholder_paths = std::move(placeholders);
  DISTILL_ASSIGN_OR_RETURN(snapshot::CommittedLayer layer,
                           h->snapshots->Commit(std::move(active), options));
  solver::StepOutcome outcome;
  if (!layer.empty) outcome.layer = solver::LayerRef{layer.descriptor, layer.diff_id};
  return outcome;
}

Result<solver::StepOutcome> BuildBackend::Execute(const solver::StepRequest& request,
                                                  const solver::OutputFn& output,
                                                  solver::CancelToken* cancel) {
  const dockerfile::Command& command = request.step->command;
  if (command.As<dockerfile::RunCommand>()) return ExecuteRun(request, output, cancel);
  if (command.As<dockerfile::WorkdirCommand>()) return ExecuteWorkdir(request);
  if (command.As<dockerfile::CopyCommand>()) return ExecuteCopy(request);
  return Status::Invalid("internal: " + command.keyword + " does not change the filesystem");
}

Result<solver::StepOutcome> BuildBackend::ExecuteWorkdir(const solver::StepRequest& request) {
  const auto* wd = request.step->command.As<dockerfile::WorkdirCommand>();
  DISTILL_ASSIGN_OR_RETURN(StoreHandles * h, options_.pool->ForThisThread());
  DISTILL_ASSIGN_OR_RETURN(snapshot::ActiveSnapshot active, Mount(h, *request.parent));
  // BuildKit creates the directory owned by the USER in effect.
  const std::string user =
      request.step->user.empty() ? request.parent->config.user : request.step->user;
  DISTILL_ASSIGN_OR_RETURN(exec::ResolvedUser owner, ResolveOwner(active.rootfs(), user));
  DISTILL_RETURN_IF_ERROR(MakeDirsInRoot(active.rootfs(), wd->path, owner.uid, owner.gid));
  return CommitStep(h, std::move(active), {});
}

}  // namespace distill::builder
