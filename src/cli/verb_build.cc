// `distill build`: parses the flags, reads the Dockerfile (a file or stdin)
// and the context (a directory, or a tar on stdin), and calls builder::Build.
// Progress goes to stderr, the image ID to stdout. `--dry-run` prints the
// build plan instead (the stages in run order, what is skipped and why).
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "bootstrap/bootstrap.h"
#include "builder/base_sources.h"
#include "builder/build.h"
#include "builder/context_tar.h"
#include "builder/secrets.h"
#include "cli/build_lint.h"
#include "cli/verbs.h"
#include "distroless/builder.h"
#include "dockerfile/parser.h"
#include "exec/cancel.h"
#include "frontend/build_plan.h"
#include "frontend/render.h"
#include "solver/progress_mode.h"
#include "store/store_root.h"
#include "transport/registry_image.h"
#include "util/file_system.h"

namespace distill::cli {

namespace {

struct BuildFlags {
  std::string context;
  std::string file;
  std::string target;
  std::vector<std::string> build_args;
  std::vector<std::string> tags;
  std::vector<std::string> labels;
  std::vector<std::string> secrets;
  std::vector<std::string> no_cache_filter;
  std::vector<std::string> outputs;
  std::vector<std::string> cache_to;
  std::vector<std::string> cache_from;
  std::string platform;
  std::string network = "default";
  std::string iidfile;
  std::string progress = "auto";
  std::string format = "text";
  std::string base_source = "auto";
  std::string pull = "missing";
  bool push = false;
  int jobs = 0;
  bool no_cache = false;
  bool quiet = false;
  bool dry_run = false;
  bool check = false;
};

const char* GetEnv(const char* name) {
  return std::getenv(name);
}

// Reads the Dockerfile: "-" is stdin, else a path (default CONTEXT/Dockerfile).
// Returns {name for messages, path on disk ("" for stdin), text}.
struct DockerfileText {
  std::string name;
  std::string path;
  std::string text;
};

Result<DockerfileText> ReadDockerfile(const BuildFlags& flags, const std::string& context_dir) {
  if (flags.file == "-") {
    std::ostringstream text;
    text << std::cin.rdbuf();
    return DockerfileText{"Dockerfile", "", text.str()};
  }
  std::string path = flags.file.empty() ? context_dir + "/Dockerfile" : flags.file;
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
  // Messages say "Dockerfile:12" for the default name, the file's name otherwise.
  std::string name = std::filesystem::path(path).filename().string();
  return DockerfileText{name, path, text.str()};
}

Result<frontend::PlanOptions> PlanOptionsOf(const BuildFlags& flags) {
  frontend::PlanOptions options;
  options.target = flags.target;
  options.platform = flags.platform;
  DISTILL_ASSIGN_OR_RETURN(options.build_args, frontend::ParseBuildArgs(flags.build_args, GetEnv));
  return options;
}

Status RunDryRun(const BuildFlags& flags) {
  std::error_code ec;
  if (!std::filesystem::is_directory(flags.context, ec)) {
    return Status::NotFound("build context " + flags.context + " is not a directory");
  }
  DISTILL_ASSIGN_OR_RETURN(DockerfileText file, ReadDockerfile(flags, flags.context));
  DISTILL_ASSIGN_OR_RETURN(dockerfile::Dockerfile df, dockerfile::Parse(file.text, file.name));
  DISTILL_ASSIGN_OR_RETURN(frontend::PlanOptions options, PlanOptionsOf(flags));
  DISTILL_ASSIGN_OR_RETURN(frontend::Plan plan, frontend::BuildPlan(df, options));
  if (flags.format == "json") {
    std::cout << frontend::PlanToJson(plan).dump(2) << "\n";
    for (const auto& w : plan.warnings) std::cerr << w << "\n";
  } else {
    std::cout << frontend::RenderPlanText(plan);
  }
  return Status::Ok();
}

// `--check`: the Dockerfile checks instead of a build (as `docker build --check`).
Result<int> RunCheck(const BuildFlags& flags) {
  if (flags.context == "-" && flags.file.empty()) {
    return Status::Invalid("--check with the context on stdin: name the Dockerfile with -f");
  }
  std::error_code ec;
  if (flags.context != "-" && !std::filesystem::is_directory(flags.context, ec)) {
    return Status::NotFound("build context " + flags.context + " is not a directory");
  }
  DISTILL_ASSIGN_OR_RETURN(DockerfileText file, ReadDockerfile(flags, flags.context));
  DISTILL_ASSIGN_OR_RETURN(frontend::PlanOptions options, PlanOptionsOf(flags));
  return CheckDockerfile(file.text, file.name, options, flags.format == "json");
}

Result<std::optional<int64_t>> SourceDateEpoch() {
  const char* text = std::getenv("SOURCE_DATE_EPOCH");
  if (text == nullptr || *text == '\0') return std::optional<int64_t>();
  char* end = nullptr;
  errno = 0;
  long long value = std::strtoll(text, &end, 10);
  if (errno != 0 || *end != '\0' || value < 0) {
    return Status::Invalid(std::string("SOURCE_DATE_EPOCH=") + text +
                           " is not a number of seconds since 1970");
  }
  return std::optional<int64_t>(value);
}

// Makes a missing FROM image from Debian packages: distroless names
// (gcr.io/distroless/...-debianN) first, then full Debian and language bases
// (debian:*, python:*, golang:*). kNotFound for any other name.
Result<oci::Digest> MakeBaseFromDebian(store::Store& store, const std::string& name) {
  auto say = [&name](std::string_view line) {
    std::cerr << "[base " << name << "] " << line << "\n";
  };
  std::cerr << "[base " << name << "] not in the store: making it from Debian packages\n";
  auto distroless = distroless::EnsureDistrolessImage(
      store, name, [&say](const std::string& line) { say(line); });
  if (distroless.ok() || distroless.status().code() != Status::Code::kNotFound) return distroless;
  auto debian = bootstrap::EnsureDebianImage(store, name, say);
  if (!debian.ok() && debian.status().code() == Status::Code::kNotFound) {
    std::cerr << "[base " << name << "] not a name distill can make from Debian packages\n";
  }
  return debian;
}

// A FROM image from its registry (--base-source auto|registry, --pull).
Result<oci::Digest> PullBase(store::Store& store, const std::string& name,
                             const std::string& platform) {
  transport::PullOptions options;
  if (!platform.empty()) {
    DISTILL_ASSIGN_OR_RETURN(options.platform, oci::ParsePlatform(platform));
  }
  std::cerr << "[base " << name << "] pulling from its registry\n";
  auto pulled = transport::PullImageByName(store, name, options, [&name](const std::string& line) {
    std::cerr << "[base " << name << "] " << line << "\n";
  });
  if (!pulled.ok()) {
    std::cerr << "[base " << name << "] " << pulled.status().message() << "\n";
    // A registry without the image, or none reachable, is "no such base": the
    // build reports the missing image (the line above says why). Refused
    // credentials or corrupt data stop the build with their own message.
    auto code = pulled.status().code();
    if (code == Status::Code::kNotFound || code == Status::Code::kUnavailable) {
      return Status::NotFound(pulled.status().message());
    }
    return pulled.status();
  }
  return pulled->manifest;
}

// --push: every -t name, after the build.
Status PushTags(const std::string& root, const std::vector<std::string>& tags,
                const oci::Digest& image) {
  if (tags.empty()) return Status::Invalid("--push needs at least one -t REGISTRY/REPO:TAG");
  DISTILL_ASSIGN_OR_RETURN(auto store, store::Store::Open(root, DefaultFileSystem()));
  DISTILL_ASSIGN_OR_RETURN(transport::DefaultRegistryClient client,
                           transport::NewDefaultRegistryClient(
                               [](const std::string& line) { std::cerr << line << "\n"; }));
  for (const std::string& tag : tags) {
    DISTILL_ASSIGN_OR_RETURN(oci::Reference dest, oci::Reference::Parse(tag));
    DISTILL_ASSIGN_OR_RETURN(oci::Descriptor pushed,
                             transport::PushImage(*store, *client.client, image.str(), dest));
    std::cerr << "pushed " << dest.String() << "@" << pushed.digest.str() << "\n";
  }
  return Status::Ok();
}

Status RunBuild(const BuildFlags& flags, const Context& ctx) {
  if (flags.file == "-" && flags.context == "-") {
    return Status::Invalid("-f - and the context - cannot both read stdin");
  }
  DISTILL_ASSIGN_OR_RETURN(std::string root, store::DefaultStoreRoot(ctx.root));
  builder::BuildRequest request;
  request.store_root = root;
  std::optional<builder::ContextDir> stdin_context;
  if (flags.context == "-") {
    DISTILL_ASSIGN_OR_RETURN(auto dir, builder::ContextDir::FromTar(0, root + "/tmp"));
    stdin_context.emplace(std::move(dir));
    request.context_dir = stdin_context->dir();
  } else {
    std::error_code ec;
    if (!std::filesystem::is_directory(flags.context, ec)) {
      return Status::NotFound("build context " + flags.context + " is not a directory");
    }
    request.context_dir = flags.context;
  }
  DISTILL_ASSIGN_OR_RETURN(DockerfileText file, ReadDockerfile(flags, request.context_dir));
  request.dockerfile_name = file.name;
  request.dockerfile_path = file.path;
  request.dockerfile_text = std::move(file.text);
  DISTILL_ASSIGN_OR_RETURN(frontend::PlanOptions plan_options, PlanOptionsOf(flags));
  DISTILL_ASSIGN_OR_RETURN(
      std::string lint_summary,
      LintBeforeBuild(request.dockerfile_text, request.dockerfile_name, plan_options));
  plan_options.build_args.erase("BUILDKIT_DOCKERFILE_CHECK");  // for the checks only
  request.target = plan_options.target;
  request.platform = plan_options.platform;
  request.build_args = std::move(plan_options.build_args);
  request.tags = flags.tags;
  for (const std::string& label : flags.labels) {
    size_t eq = label.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::Invalid("--label " + label + ": want KEY=VALUE");
    }
    request.labels[label.substr(0, eq)] = label.substr(eq + 1);
  }
  request.no_cache = flags.no_cache;
  request.no_cache_filter = flags.no_cache_filter;
  if (flags.network == "none") {
    request.network = exec::NetworkMode::kNone;
  } else if (flags.network == "host" || flags.network == "default") {
    request.network = exec::NetworkMode::kHost;
  } else {
    return Status::Invalid("--network " + flags.network + ": want default, none or host");
  }
  DISTILL_ASSIGN_OR_RETURN(request.secrets, builder::LoadSecrets(flags.secrets, GetEnv));
  request.jobs = flags.jobs;
  DISTILL_ASSIGN_OR_RETURN(builder::BaseSource base_source,
                           builder::ParseBaseSource(flags.base_source));
  DISTILL_ASSIGN_OR_RETURN(builder::PullPolicy pull, builder::ParsePullPolicy(flags.pull));
  DISTILL_ASSIGN_OR_RETURN(
      builder::BaseMakers bases,
      builder::ComposeBaseSources(base_source, pull, MakeBaseFromDebian,
                                  [&flags](store::Store& store, const std::string& name) {
                                    return PullBase(store, name, flags.platform);
                                  }));
  request.make_base = std::move(bases.make_base);
  request.refresh_base = std::move(bases.refresh_base);
  DISTILL_ASSIGN_OR_RETURN(request.source_date_epoch, SourceDateEpoch());
  std::vector<builder::OutputSpec> outputs;
  for (const std::string& o : flags.outputs) {
    DISTILL_ASSIGN_OR_RETURN(auto spec, builder::ParseOutputSpec(o));
    outputs.push_back(std::move(spec));
  }
  for (const std::string& c : flags.cache_from) {
    DISTILL_ASSIGN_OR_RETURN(auto spec, builder::ParseCacheFromSpec(c));
    request.cache_from.push_back(std::move(spec));
  }
  for (const std::string& c : flags.cache_to) {
    DISTILL_ASSIGN_OR_RETURN(auto spec, builder::ParseCacheToSpec(c));
    request.cache_to.push_back(std::move(spec));
  }
  request.warn = [](const std::string& message) { std::cerr << "warning: " << message << "\n"; };

  DISTILL_ASSIGN_OR_RETURN(solver::ProgressMode mode, solver::ParseProgressMode(flags.progress));
  if (flags.quiet) mode = solver::ProgressMode::kQuiet;
  solver::SteadyClock clock;
  std::unique_ptr<solver::ProgressSink> progress =
      solver::MakeProgressSink(mode, &std::cerr, isatty(2) != 0, &clock);
  request.progress = progress.get();

  exec::CancelToken interrupt;
  DISTILL_RETURN_IF_ERROR(exec::CancelOnInterrupt(&interrupt));
  request.interrupt = &interrupt;
  Result<builder::BuildOutcome> outcome = builder::Build(request);
  (void)exec::CancelOnInterrupt(nullptr);
  if (!outcome.ok()) return outcome.status();
  for (const builder::CacheExportResult& c : outcome->cache_exports) {
    std::cerr << "cache exported to " << c.location << ": " << c.manifest.str() << " (" << c.records
              << " records)\n";
  }

  for (const builder::OutputSpec& o : outputs) {
    DISTILL_RETURN_IF_ERROR(builder::ExportOutput(root, outcome->image, o));
  }
  if (!flags.iidfile.empty()) {
    std::ofstream out(flags.iidfile, std::ios::binary | std::ios::trunc);
    out << outcome->image.str();
    if (!out) return Status::Io("--iidfile " + flags.iidfile + ": cannot write");
  }
  if (flags.push) DISTILL_RETURN_IF_ERROR(PushTags(root, flags.tags, outcome->image));
  if (!flags.quiet) std::cerr << lint_summary;
  std::cout << outcome->image.str() << "\n";
  return Status::Ok();
}

}  // namespace

void RegisterBuildVerb(CLI::App& app, Context& ctx) {
  auto* verb = app.add_subcommand("build", "Build an image from a Dockerfile");
  auto flags = std::make_shared<BuildFlags>();
  verb->add_option("CONTEXT", flags->context, "build context directory, or - for a tar on stdin")
      ->required();
  verb->add_option("-t,--tag", flags->tags, "name the image NAME[:TAG] (repeatable)")
      ->allow_extra_args(false);
  verb->add_option("-f,--file", flags->file,
                   "Dockerfile path, or - for stdin (default CONTEXT/Dockerfile)");
  verb->add_option("--target", flags->target, "stage to build (default: the last one)");
  verb->add_option("--build-arg", flags->build_args,
                   "set a build-time variable: K=V, or K to take it from the environment")
      ->allow_extra_args(false);
  verb->add_option("--label", flags->labels, "add an image label K=V (repeatable)")
      ->allow_extra_args(false);
  verb->add_flag("--no-cache", flags->no_cache, "run every step (results are still cached)");
  verb->add_option("--no-cache-filter", flags->no_cache_filter,
                   "stages (name or index) whose steps skip the cache")
      ->allow_extra_args(false);
  verb->add_option("--network", flags->network, "network of RUN steps: default, none or host");
  verb->add_option("--secret", flags->secrets,
                   "expose a secret to RUN --mount=type=secret: id=ID,src=PATH or id=ID,env=VAR")
      ->allow_extra_args(false);
  verb->add_option("--iidfile", flags->iidfile, "write the image ID to this file");
  verb->add_option("-o,--output", flags->outputs,
                   "also write the image: type=oci|docker,dest=FILE.tar or type=local,dest=DIR")
      ->allow_extra_args(false);
  verb->add_option("--cache-to", flags->cache_to,
                   "export the build cache: type=local,dest=DIR or type=registry,ref=HOST/REPO:TAG "
                   "(add ,mode=max for every stage's steps)")
      ->allow_extra_args(false);
  verb->add_option("--cache-from", flags->cache_from,
                   "use an exported build cache: type=local,src=DIR or type=registry,ref=REF "
                   "(repeatable)")
      ->allow_extra_args(false);
  verb->add_option("--progress", flags->progress, "progress output: auto, plain, tty or json");
  verb->add_flag("-q,--quiet", flags->quiet, "no progress; print only the image ID");
  verb->add_option("--jobs", flags->jobs, "stages built at once (default: the number of cores)");
  verb->add_option("--platform", flags->platform, "target platform, e.g. linux/arm64");
  verb->add_flag("--check", flags->check,
                 "run the Dockerfile checks (as distill lint) instead of building; exit 1 on "
                 "any warning or error");
  verb->add_option("--format", flags->format, "output of --dry-run and --check: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  verb->add_flag("--dry-run", flags->dry_run, "print the build plan instead of building");
  verb->add_option("--base-source", flags->base_source,
                   "where a FROM image missing from the store comes from: auto (made from "
                   "Debian packages when distill can, else pulled), debian, registry, or store "
                   "(the build fails)")
      ->check(CLI::IsMember({"auto", "debian", "registry", "store"}));
  verb->add_option("--pull", flags->pull,
                   "when FROM images come from their registry: missing (default: only images "
                   "the store lacks), always (check the registry first), never")
      ->check(CLI::IsMember({"missing", "always", "never"}));
  verb->add_flag("--push", flags->push, "push every -t name to its registry after the build");
  SetExamples(verb,
              "  distill build -t app:1.0 .\n"
              "  distill build -f app/Dockerfile.prod --target runtime --build-arg VERSION=1.2 "
              "-t app app\n"
              "  distill build --secret id=npmrc,src=$HOME/.npmrc -t web .\n"
              "  distill build --cache-from type=local,src=/ci/cache "
              "--cache-to type=local,dest=/ci/cache,mode=max -t app .\n"
              "  distill build --dry-run --format json -f - . < Dockerfile\n"
              "  distill build --check --build-arg BUILDKIT_DOCKERFILE_CHECK=error=true .");
  verb->callback([flags, &ctx] {
    if (flags->check) {
      Result<int> rc = RunCheck(*flags);
      if (!rc.ok()) std::cerr << "distill: " << rc.status().message() << "\n";
      ctx.exit_code = rc.ok() ? *rc : 1;
      return;
    }
    Status st = flags->dry_run ? RunDryRun(*flags) : RunBuild(*flags, ctx);
    if (!st.ok()) {
      std::cerr << "distill: " << st.message() << "\n";
      ctx.exit_code = 1;
    }
  });
}

}  // namespace distill::cli
