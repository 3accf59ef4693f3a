// Choosing a renderer for `--progress=auto|plain|tty|json|quiet`: auto is tty
// on a terminal and plain elsewhere (CI logs, pipes), as docker build does.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "solver/progress.h"
#include "solver/tty_progress.h"
#include "util/status.h"

namespace distill::solver {

enum class ProgressMode { kAuto, kPlain, kTty, kJson, kQuiet };

// Errors name the flag and the accepted values.
Result<ProgressMode> ParseProgressMode(const std::string& text);

// A sink for `mode` writing to `out`. `clock` must outlive the sink (the tty
// renderer reads it on Tick). kQuiet gives a sink that drops every event.
std::unique_ptr<ProgressSink> MakeProgressSink(ProgressMode mode, std::ostream* out,
                                               bool out_is_terminal, const Clock* clock,
                                               TtyProgressOptions tty_options = {});

}  // namespace distill::solver
