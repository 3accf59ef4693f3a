// `distill build`: for now only `--dry-run`, which prints the build plan (the
// stages in run order, what is skipped and why, every step expanded). Building
// joins once the solver exists; until then a build without --dry-run says so.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/verbs.h"
#include "dockerfile/parser.h"
#include "frontend/build_plan.h"
#include "frontend/render.h"

namespace distill::cli {

namespace {

struct BuildFlags {
  std::string context;
  std::string file;
  std::string target;
  std::vector<std::string> build_args;
  std::string platform;
  std::string format = "text";
  bool dry_run = false;
};

// Reads the Dockerfile: "-" is stdin, else a path (default CONTEXT/Dockerfile).
Result<std::pair<std::string, std::string>> ReadDockerfile(const BuildFlags& flags) {
  if (flags.file == "-") {
    std::ostringstream text;
    text << std::cin.rdbuf();
    return std::make_pair(std::string("-"), text.str());
  }
  std::string path = flags.file.empty() ? flags.context + "/Dockerfile" : flags.file;
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::Invalid("Dockerfile " + path + " is a directory (name the file with -f)");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::NotFound("cannot read Dockerfile " + path +
                            (flags.file.empty() ? " (use -f to name another file)" : ""));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::Io("error reading Dockerfile " + path);
  return std::make_pair(path, text.str());
}

Status RunDryRun(const BuildFlags& flags) {
  std::error_code ec;
  if (!std::filesystem::is_directory(flags.context, ec)) {
    return Status::NotFound("build context " + flags.context + " is not a directory");
  }
  DISTILL_ASSIGN_OR_RETURN(auto file, ReadDockerfile(flags));
  DISTILL_ASSIGN_OR_RETURN(dockerfile::Dockerfile df, dockerfile::Parse(file.second, file.first));
  frontend::PlanOptions options;
  options.target = flags.target;
  options.platform = flags.platform;
  DISTILL_ASSIGN_OR_RETURN(options.build_args,
                           frontend::ParseBuildArgs(flags.build_args, [](const char* name) {
                             return static_cast<const char*>(std::getenv(name));
                           }));
  DISTILL_ASSIGN_OR_RETURN(frontend::Plan plan, frontend::BuildPlan(df, options));
  if (flags.format == "json") {
    std::cout << frontend::PlanToJson(plan).dump(2) << "\n";
    for (const auto& w : plan.warnings) std::cerr << w << "\n";
  } else {
    std::cout << frontend::RenderPlanText(plan);
  }
  return Status::Ok();
}

}  // namespace

void RegisterBuildVerb(CLI::App& app, Context& ctx) {
  auto* verb = app.add_subcommand("build", "Build an image from a Dockerfile (today: --dry-run)");
  auto flags = std::make_shared<BuildFlags>();
  verb->add_option("CONTEXT", flags->context, "build context directory")->required();
  verb->add_option("-f,--file", flags->file,
                   "Dockerfile path, or - for stdin (default CONTEXT/Dockerfile)");
  verb->add_option("--target", flags->target, "stage to build (default: the last one)");
  verb->add_option("--build-arg", flags->build_args,
                   "set a build-time variable: K=V, or K to take it from the environment");
  verb->add_option("--platform", flags->platform, "target platform, e.g. linux/arm64");
  verb->add_option("--format", flags->format, "output of --dry-run: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  verb->add_flag("--dry-run", flags->dry_run, "print the build plan instead of building");
  SetExamples(verb,
              "  distill build --dry-run .\n"
              "  distill build --dry-run -f app/Dockerfile.prod --target runtime "
              "--build-arg VERSION=1.2 app\n"
              "  distill build --dry-run --format json -f - . < Dockerfile");
  verb->callback([flags, &ctx] {
    if (!flags->dry_run) {
      std::cerr << "distill: build: only --dry-run exists in this version (it prints the plan); "
                   "building images is not available yet\n";
      ctx.exit_code = 1;
      return;
    }
    Status st = RunDryRun(*flags);
    if (!st.ok()) {
      std::cerr << "distill: " << st.message() << "\n";
      ctx.exit_code = 1;
    }
  });
}

}  // namespace distill::cli
