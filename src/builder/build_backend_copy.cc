// BuildBackend::ExecuteCopy: COPY/ADD into an overlay of the parent's layers,
// from the build context, another stage's rootfs or an image's, committed as
// the step's layer.
#include <memory>

#include "builder/build_backend.h"
#include "context/copy_into.h"
#include "context/copy_request.h"

namespace distill::builder {

Result<solver::StepOutcome> BuildBackend::ExecuteCopy(const solver::StepRequest& request) {
  const frontend::Step& step = *request.step;
  const auto* copy = step.command.As<dockerfile::CopyCommand>();
  DISTILL_ASSIGN_OR_RETURN(StoreHandles * h, options_.pool->ForThisThread());
  DISTILL_ASSIGN_OR_RETURN(snapshot::ActiveSnapshot active, Mount(h, *request.parent));

  // Where the sources come from; a stage's or image's rootfs is mounted (as a
  // throw-away overlay) for as long as the copy runs.
  std::unique_ptr<snapshot::ActiveSnapshot> source_mount;
  std::unique_ptr<context::BuildContext> source_tree;
  const context::BuildContext* tree = options_.context;
  if (!copy->from.empty()) {
    solver::ImageState state;
    auto stage = SourceStage(request, copy->from);
    if (stage.ok()) {
      state = (*stage)->state;
    } else {
      auto image = ReadBaseImage(*h->store, copy->from);
      if (!image.ok()) return image.status().Prefixed("--from=" + copy->from);
      for (const solver::LayerRef& l : image->layers) solver::AppendLayer(&state, l);
    }
    DISTILL_ASSIGN_OR_RETURN(snapshot::ActiveSnapshot view, Mount(h, state));
    source_mount = std::make_unique<snapshot::ActiveSnapshot>(std::move(view));
    DISTILL_ASSIGN_OR_RETURN(context::BuildContext opened,
                             context::BuildContext::OpenStageRootfs(source_mount->rootfs()));
    source_tree = std::make_unique<context::BuildContext>(std::move(opened));
    tree = source_tree.get();
  } else if (tree == nullptr) {
    return Status::Invalid("the build has no context to copy from");
  }
  const context::CopyRequest copy_request = context::CopyRequestFrom(*copy, step.working_dir);
  DISTILL_RETURN_IF_ERROR(context::CopyInto(*tree, copy_request, active.rootfs()));
  source_tree.reset();
  source_mount.reset();
  return CommitStep(h, std::move(active), {});
}

}  // namespace distill::builder
