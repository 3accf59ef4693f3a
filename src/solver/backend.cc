#include "solver/backend.h"

namespace distill::solver {

bool NeedsInputDigest(const frontend::Step& step) {
  if (step.command.As<dockerfile::CopyCommand>()) return true;
  if (const auto* run = step.command.As<dockerfile::RunCommand>()) {
    for (const dockerfile::Mount& m : run->mounts) {
      if (m.type == dockerfile::MountType::kBind) return true;
    }
  }
  return false;
}

}  // namespace distill::solver
