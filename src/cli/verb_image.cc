// image build: a custom base image from a recipe file (src/recipe/), made
// from Debian packages the way distroless and bootstrap images are.
#include <chrono>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "cli/verbs.h"
#include "recipe/image_recipe.h"
#include "recipe/recipe_build.h"
#include "store/store.h"
#include "store/store_root.h"
#include "util/file_system.h"

namespace distill::cli {
namespace {

Result<recipe::RecipeBuildResult> BuildRecipeFile(const Context& ctx, const std::string& file,
                                                  const recipe::RecipeBuildOptions& options) {
  DISTILL_ASSIGN_OR_RETURN(recipe::ImageRecipe parsed, recipe::LoadImageRecipe(file));
  DISTILL_ASSIGN_OR_RETURN(std::string root, store::DefaultStoreRoot(ctx.root));
  DISTILL_ASSIGN_OR_RETURN(auto store, store::Store::Open(root, DefaultFileSystem()));
  return recipe::BuildImageRecipe(*store, parsed, options);
}

}  // namespace

void RegisterImageRecipeVerbs(CLI::App& app, Context& ctx) {
  auto* image = app.add_subcommand("image", "Custom base images from recipe files (build)");
  image->require_subcommand(1);
  struct Args {
    std::string file;
    std::vector<std::string> tags;
    std::string mirror;
  };
  auto args = std::make_shared<Args>();  // CLI11 binds by reference; the callback owns it
  auto* build = image->add_subcommand(
      "build", "Build the image a recipe file (YAML, \"version: 1\") describes");
  build
      ->add_option("RECIPE", args->file, "the recipe file; its files' src paths are relative to it")
      ->required();
  build->add_option("-t,--tag", args->tags,
                    "another name for the image (besides the recipe's tags)");
  build->add_option("--mirror", args->mirror,
                    "Debian archive URL (default: the host's apt mirror)");
  SetExamples(build,
              "  distill image build examples/recipes/hello-cc.yaml\n"
              "  distill image build base.yaml -t registry.example/team/base:2\n"
              "  distill run --rm $(distill image build app.yaml | cut -d' ' -f1)");
  SetExamples(image, "  distill image build examples/recipes/hello-cc.yaml");
  build->callback([&ctx, args] {
    recipe::RecipeBuildOptions options;
    options.mirror = args->mirror;
    options.extra_tags = args->tags;
    options.progress = [](const std::string& line) { std::cerr << line << "\n"; };
    auto started = std::chrono::steady_clock::now();
    auto built = BuildRecipeFile(ctx, args->file, options);
    if (!Report(built.status(), ctx)) return;
    double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << built->manifest.str() << "  ";
    for (size_t i = 0; i < built->tags.size(); ++i) std::cout << (i ? ", " : "") << built->tags[i];
    std::cout << "\n";
    std::cerr << "built " << args->file << ": " << built->layers << " layers, " << std::fixed
              << std::setprecision(1) << static_cast<double>(built->compressed_size) / (1 << 20)
              << " MiB compressed, in " << seconds << "s\n";
  });
}

}  // namespace distill::cli
