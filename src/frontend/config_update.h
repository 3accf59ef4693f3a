// How a metadata step changes the image config (ENV, LABEL, CMD, ...). Kept
// apart from planning so the solver can replay a stage's steps onto the real
// config of an external base image once it has pulled it.
#pragma once

#include "dockerfile/instructions.h"
#include "frontend/plan.h"
#include "util/status.h"

namespace distill::frontend {

// Per-stage state that affects how later steps apply: CMD set in this stage
// survives a later ENTRYPOINT, an inherited one does not.
struct ConfigUpdateState {
  bool cmd_set_in_stage = false;
};

// Applies one expanded command's effect to `config`. RUN, COPY, ADD, ARG and
// FROM leave the config as it is. WORKDIR must already be absolute.
void ApplyToConfig(const dockerfile::Command& command, ImageConfig* config,
                   ConfigUpdateState* state);

}  // namespace distill::frontend
