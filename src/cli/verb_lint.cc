#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/verbs.h"
#include "frontend/build_plan.h"
#include "lint/lint.h"

namespace distill::cli {
namespace {

struct LintFlags {
  std::string file = "Dockerfile";
  std::string target;
  std::vector<std::string> build_args;
  std::string format = "text";
  std::vector<std::string> skip;
  std::string fail_on = "error";
};

Result<std::string> ReadDockerfile(const std::string& path) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open file");
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return Status::Io(path + ": read error");
  return content.str();
}

const char* GetEnv(const char* name) {
  return std::getenv(name);
}

// Exit status: 0 clean (below --fail-on), 1 findings at or above it or an error.
int RunLint(const LintFlags& flags) {
  std::optional<lint::Severity> threshold;
  if (flags.fail_on != "none") {
    threshold = lint::ParseSeverity(flags.fail_on);
    if (!threshold) {
      std::cerr << "distill lint: --fail-on must be warning, error or none (got \"" << flags.fail_on
                << "\")\n";
      return 2;
    }
  }
  if (flags.format != "text" && flags.format != "json") {
    std::cerr << "distill lint: --format must be text or json (got \"" << flags.format << "\")\n";
    return 2;
  }
  lint::LintOptions options;
  options.target = flags.target;
  options.skip = flags.skip;
  auto args = frontend::ParseBuildArgs(flags.build_args, GetEnv);
  if (!args.ok()) {
    std::cerr << "distill lint: " << args.status().message() << "\n";
    return 2;
  }
  options.build_args = std::move(args).value();
  auto source = ReadDockerfile(flags.file);
  if (!source.ok()) {
    std::cerr << "distill lint: " << source.status().message() << "\n";
    return 1;
  }
  auto report = lint::LintSource(*source, flags.file, options);
  if (!report.ok()) {
    std::cerr << "distill lint: " << report.status().message() << "\n";
    return 1;
  }
  if (flags.format == "json") {
    std::cout << lint::FindingsToJson(*report).dump(2) << "\n";
  } else {
    std::cout << lint::FormatFindings(*report);
  }
  return threshold && report->HasAtOrAbove(*threshold) ? 1 : 0;
}

}  // namespace

// `distill lint`: Docker build checks and hadolint-style rules, without building.
void RegisterLintVerb(CLI::App& app, Context& ctx) {
  auto* verb = app.add_subcommand(
      "lint", "Check a Dockerfile for mistakes, bloat and insecure habits (no build)");
  auto flags = std::make_shared<LintFlags>();  // CLI11 binds by reference; the callback owns it
  verb->add_option("-f,--file", flags->file, "the Dockerfile, or - for standard input")
      ->capture_default_str();
  verb->add_option("--target", flags->target, "the stage that is the result (default: the last)");
  verb->add_option("--build-arg", flags->build_args, "K=V build argument (K alone: from env)");
  verb->add_option("--format", flags->format, "output: text or json")->capture_default_str();
  verb->add_option("--skip", flags->skip, "rule ID to skip (repeatable; 'all' skips every rule)");
  verb->add_option("--fail-on", flags->fail_on,
                   "exit 1 when a finding at or above this severity is present: warning, error "
                   "or none")
      ->capture_default_str();
  SetExamples(verb,
              "  distill lint\n"
              "  distill lint -f app/Dockerfile.prod --target runtime --fail-on warning\n"
              "  distill lint --skip DL3007 --skip JSONArgsRecommended --format json\n"
              "  Inside the Dockerfile: # check=skip=DL3015,StageNameCasing;error=true");
  verb->callback([&ctx, flags] { ctx.exit_code = RunLint(*flags); });
}

}  // namespace distill::cli
