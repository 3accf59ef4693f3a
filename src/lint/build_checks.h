// How `distill build` runs the Dockerfile checks, following Docker's build
// checks:
//  - `build --check` lints and does not build. It prints every finding with
//    why and how to fix, and fails when any is a warning or an error (Docker:
//    "if any violations are reported ... exits with a non-zero status").
//    distill's info-level advice (DL3009, DL3059, UnusedStage; Docker has no
//    such level) is shown but does not fail it.
//  - A normal build lints first. Findings at error severity — every warning
//    under `# check=error=true` — stop it before any step runs; the rest are
//    printed one line each after the build. `# check=skip=all` silences both.
#pragma once

#include <string>

#include "lint/finding.h"
#include "util/status.h"

namespace distill::lint {

// Ok, or an error naming the rules that stop the build:
// "Dockerfile: lint violation found for rules: DuplicateStageName, DL3006 (...)".
Status BuildBlockers(const LintReport& report, const std::string& file);

// One line per warning or error, "" when there is none. Printed after a
// build, or before the error when errors stop it:
//   1 error and 2 warnings found (distill build --check for why and how to fix):
//    - ShellFormWithoutShell (error): ... (line 3)
//    - JSONArgsRecommended: ... (line 7)
std::string FormatBuildWarnings(const LintReport& report);

// Exit status of `build --check`: 1 with any warning or error, else 0.
int CheckExitCode(const LintReport& report);

}  // namespace distill::lint
