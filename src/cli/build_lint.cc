#include "cli/build_lint.h"

#include <iostream>

#include "dockerfile/parser.h"
#include "lint/build_checks.h"
#include "lint/check_directive.h"
#include "lint/lint.h"

namespace distill::cli {

namespace {

lint::LintOptions LintOptionsOf(const frontend::PlanOptions& options) {
  lint::LintOptions out;
  out.target = options.target;
  out.build_args = options.build_args;
  return out;
}

}  // namespace

Result<int> CheckDockerfile(const std::string& text, const std::string& name,
                            const frontend::PlanOptions& options, bool json) {
  DISTILL_ASSIGN_OR_RETURN(lint::LintReport report,
                           lint::LintSource(text, name, LintOptionsOf(options)));
  if (json) {
    std::cout << lint::FindingsToJson(report).dump(2) << "\n";
  } else {
    std::cout << lint::FormatFindings(report);
  }
  return lint::CheckExitCode(report);
}

Result<std::string> LintBeforeBuild(const std::string& text, const std::string& name,
                                    const frontend::PlanOptions& options) {
  auto parsed = dockerfile::Parse(text, name);
  if (!parsed.ok()) return std::string();  // the build reports the parse error
  // The directive decides whether findings stop the build: a typo in it must
  // not silently turn `error=true` off.
  auto arg = options.build_args.find(std::string(lint::kCheckBuildArg));
  if (arg != options.build_args.end()) {
    auto directive = lint::ParseCheckDirective(arg->second);
    if (!directive.ok()) {
      return Status::Invalid("--build-arg " + std::string(lint::kCheckBuildArg) + ": " +
                             directive.status().message());
    }
  } else if (!parsed->directives.check.empty()) {
    auto directive = lint::ParseCheckDirective(parsed->directives.check);
    if (!directive.ok()) return Status::Invalid(name + ":1: " + directive.status().message());
  }
  auto report = lint::LintDockerfile(*parsed, LintOptionsOf(options));
  if (!report.ok()) return std::string();  // e.g. an unknown --target: the build says so
  Status blockers = lint::BuildBlockers(*report, name);
  if (!blockers.ok()) {
    std::cerr << lint::FormatBuildWarnings(*report);
    return blockers;
  }
  return lint::FormatBuildWarnings(*report);
}

}  // namespace distill::cli
