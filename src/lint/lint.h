// `distill lint`: checks a Dockerfile for mistakes and habits that make images
// larger, less secure or fail at run time. Rule IDs follow Docker's build checks
// where one exists (FromAsCasing, UndefinedVar, ...), hadolint's DL codes
// otherwise (DL3015, ...), plus distill's own (ShellFormWithoutShell, ...).
// The `# check=` directive and LintOptions::skip turn rules off.
//
// `distill build --check` can call LintDockerfile on the Dockerfile it parsed
// and print FormatFindings (finding.h).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/ast.h"
#include "frontend/build_plan.h"
#include "lint/finding.h"
#include "util/status.h"

namespace distill::lint {

// The build argument that overrides the `# check=` directive, as in Docker:
// --build-arg BUILDKIT_DOCKERFILE_CHECK=skip=DL3007;error=true
inline constexpr std::string_view kCheckBuildArg = "BUILDKIT_DOCKERFILE_CHECK";

struct LintOptions {
  std::string target;                             // stage name; "" = the last stage
  std::map<std::string, std::string> build_args;  // --build-arg values
  std::vector<std::string> skip;                  // rule IDs to skip; "all" skips every rule
  // Optional: the config of an external base image. With it, UndefinedVar knows
  // the base's ENV and DL3002 its USER; without it (offline lint), UndefinedVar
  // on an image base only reports global ARGs not re-declared in the stage, and
  // DL3002 assumes root unless the tag says "nonroot". Errors are ignored.
  frontend::ImageConfigResolver resolve_image_config;
};

// One rule's description, for --help and tests.
struct RuleInfo {
  const char* id;
  Severity severity;
  const char* summary;
};
const std::vector<RuleInfo>& AllRules();

// Errors: a bad `# check=` directive, an instruction that does not type-check
// (ParseCommands), no FROM, or an unknown --target — each naming file and line.
Result<LintReport> LintDockerfile(const dockerfile::Dockerfile& dockerfile,
                                  const LintOptions& options);

// Parses `source` (named `filename` in findings) and lints it.
Result<LintReport> LintSource(std::string_view source, const std::string& filename,
                              const LintOptions& options);

}  // namespace distill::lint
