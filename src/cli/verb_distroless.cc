// distroless build / list: Google's distroless base images made from Debian's
// signed packages, straight into the store.
#include <chrono>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "cli/verbs.h"
#include "distroless/builder.h"
#include "distroless/flavour.h"
#include "store/store.h"

namespace distill::cli {
namespace {

std::string HumanSize(uint64_t bytes) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1);
  if (bytes >= (1u << 20)) {
    out << static_cast<double>(bytes) / (1 << 20) << " MiB";
  } else {
    out << static_cast<double>(bytes) / 1024 << " KiB";
  }
  return out.str();
}

void RegisterBuild(CLI::App* parent, Context& ctx) {
  struct Args {
    std::string flavour;
    int debian = 12;
    std::string variant = "latest";
    bool all_variants = false;
    std::string arch = "amd64";
    std::string mirror;
    std::vector<std::string> tags;
  };
  auto args = std::make_shared<Args>();  // CLI11 binds by reference; the callback owns it
  auto* verb = parent->add_subcommand(
      "build", "Build a distroless base image (static, base-nossl, base, cc, python3)");
  verb->add_option("FLAVOUR", args->flavour, "static, base-nossl, base, cc or python3")->required();
  verb->add_option("--debian", args->debian, "Debian release: 11, 12 (default) or 13");
  verb->add_option("--variant", args->variant, "latest (default), nonroot, debug, debug-nonroot");
  verb->add_flag("--all-variants", args->all_variants, "build all four variants");
  verb->add_option("--arch", args->arch, "Debian architecture (default amd64)");
  verb->add_option("--mirror", args->mirror, "Debian archive URL (default: the host's apt mirror)");
  verb->add_option("-t,--tag", args->tags,
                   "name for the image (default gcr.io/distroless/FLAVOUR-debianN:VARIANT)");
  SetExamples(verb,
              "  distill distroless build static\n"
              "  distill distroless build python3 --debian 13 --variant nonroot\n"
              "  distill distroless build cc --all-variants");
  verb->callback([&ctx, args] {
    distroless::BuildRequest request;
    auto flavour = distroless::ParseFlavour(args->flavour);
    if (!Report(flavour.status(), ctx)) return;
    request.flavour = *flavour;
    request.debian_release = args->debian;
    if (args->all_variants) {
      request.variants = distroless::AllVariants();
    } else {
      auto variant = distroless::ParseVariant(args->variant);
      if (!Report(variant.status(), ctx)) return;
      request.variants = {*variant};
    }
    request.arch = args->arch;
    request.mirror = args->mirror;
    request.tags = args->tags;
    auto store = OpenStore(ctx);
    if (!Report(store.status(), ctx)) return;
    auto started = std::chrono::steady_clock::now();
    auto built = distroless::BuildDistroless(
        **store, request, [](const std::string& line) { std::cerr << line << "\n"; });
    if (!Report(built.status(), ctx)) return;
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    for (const auto& image : *built) {
      std::cout << image.manifest.str() << "  " << HumanSize(image.compressed_size) << "  ";
      for (size_t i = 0; i < image.tags.size(); ++i) std::cout << (i ? ", " : "") << image.tags[i];
      std::cout << "\n";
    }
    std::cerr << "built " << built->size() << " image(s) from " << built->front().packages
              << " packages in " << std::fixed << std::setprecision(1) << seconds << "s\n";
  });
}

void RegisterList(CLI::App* parent) {
  auto* verb = parent->add_subcommand("list", "List the distroless flavours for each release");
  verb->callback([] {
    std::cout << std::left << std::setw(12) << "FLAVOUR";
    for (int release : distroless::SupportedDebianReleases()) {
      std::cout << std::setw(10) << ("debian" + std::to_string(release));
    }
    std::cout << "VARIANTS\n";
    for (auto flavour : distroless::AllFlavours()) {
      std::cout << std::setw(12) << distroless::FlavourName(flavour);
      for (int release : distroless::SupportedDebianReleases()) {
        std::cout << std::setw(10) << (distroless::RecipeFor(flavour, release).ok() ? "yes" : "-");
      }
      std::cout << "latest, nonroot, debug, debug-nonroot\n";
    }
  });
}

}  // namespace

void RegisterDistrolessVerbs(CLI::App& app, Context& ctx) {
  auto* verb = app.add_subcommand("distroless",
                                  "Distroless base images made from Debian packages (build, list)");
  verb->require_subcommand(1);
  SetExamples(verb,
              "  distill distroless list\n  distill distroless build static --variant nonroot");
  RegisterBuild(verb, ctx);
  RegisterList(verb);
}

}  // namespace distill::cli
