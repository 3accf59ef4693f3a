// bootstrap: a Debian base image (or a python/golang image on top of one)
// made from the archive, the way the official images are.
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "bootstrap/bootstrap.h"
#include "cli/verbs.h"
#include "store/store.h"
#include "store/store_root.h"
#include "util/file_system.h"

namespace distill::cli {
namespace {

struct BootstrapArgs {
  std::string image;
  std::vector<std::string> tags;
  std::string mirror;
  std::string arch = "amd64";
  bool quiet = false;
};

Status RunBootstrap(const Context& ctx, const BootstrapArgs& args) {
  DISTILL_ASSIGN_OR_RETURN(bootstrap::Recipe recipe, bootstrap::RecipeForImage(args.image));
  DISTILL_ASSIGN_OR_RETURN(std::string root, store::DefaultStoreRoot(ctx.root));
  DISTILL_ASSIGN_OR_RETURN(auto s, store::Store::Open(root, DefaultFileSystem()));
  bootstrap::BootstrapOptions options;
  options.mirror = args.mirror;
  options.arch = args.arch;
  options.extra_tags = args.tags;
  auto start = std::chrono::steady_clock::now();
  if (!args.quiet) {
    options.progress = [&](std::string_view line) {
      auto secs =
          std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start)
              .count();
      std::cerr << "[" << secs << "s] " << line << "\n";
    };
  }
  DISTILL_ASSIGN_OR_RETURN(bootstrap::BootstrapResult result,
                           bootstrap::BootstrapImage(*s, recipe, options));
  if (!args.quiet) {
    std::cerr << "["
              << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                                  start)
                     .count()
              << "s] " << result.package_count << " packages, layer " << result.layer_size / 1024
              << " KiB (" << result.unpacked_size / 1024 << " KiB unpacked), tagged";
    for (const auto& t : result.tags) std::cerr << " " << t;
    std::cerr << "\n";
  }
  std::cout << result.manifest.str() << "\n";
  return Status::Ok();
}

}  // namespace

void RegisterBootstrapVerb(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<BootstrapArgs>();  // CLI11 binds by reference; the callback owns it
  auto* verb = app.add_subcommand(
      "bootstrap",
      "Make a Debian base image (debian, python, golang) from the Debian archive, as root");
  verb->add_option("IMAGE", args->image,
                   "debian:<release>[-slim], python:3.X[-slim], golang:1.X "
                   "(release: bullseye/11, bookworm/12, trixie/13)")
      ->required();
  verb->add_option("-t,--tag", args->tags, "more names for the image");
  verb->add_option("--mirror", args->mirror,
                   "Debian archive URL (default: the one the host's apt uses)");
  verb->add_option("--arch", args->arch, "architecture (must be the host's; default amd64)");
  verb->add_flag("-q,--quiet", args->quiet, "no progress; print only the image digest");
  SetExamples(verb,
              "  distill bootstrap debian:bookworm-slim\n"
              "  distill bootstrap python:3.11-slim -t mypython\n"
              "  distill bootstrap golang:1.19 --mirror http://deb.debian.org/debian");
  verb->callback([&ctx, args] { Report(RunBootstrap(ctx, *args), ctx); });
}

}  // namespace distill::cli
