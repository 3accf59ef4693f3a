// The Dockerfile checks `distill build` runs (lint/build_checks.h has the
// rules of the game, Docker's): `--check` instead of a build, and a lint
// before every normal build.
#pragma once

#include <string>

#include "frontend/build_plan.h"
#include "util/status.h"

namespace distill::cli {

// `build --check`: prints the findings (text, or a JSON array when `json`) to
// stdout and returns the exit status (1 with any warning or error).
Result<int> CheckDockerfile(const std::string& text, const std::string& name,
                            const frontend::PlanOptions& options, bool json);

// Before a build: the summary to print once it is done ("" when clean), or the
// error that stops it (error-severity findings; `# check=error=true`). A
// Dockerfile the linter cannot read is left to the build, which reports why;
// a bad `# check=` directive or BUILDKIT_DOCKERFILE_CHECK is an error here.
Result<std::string> LintBeforeBuild(const std::string& text, const std::string& name,
                                    const frontend::PlanOptions& options);

}  // namespace distill::cli
