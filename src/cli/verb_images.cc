// The store verbs: images, tag, rmi, inspect, history, prune, fsck. Each opens
// the store, calls one function of images/, and prints its result; errors are
// one "distill: ..." line naming the image, and exit status 1.
#include <unistd.h>

#include <ctime>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/verbs.h"
#include "images/history.h"
#include "images/image_list.h"
#include "images/image_view.h"
#include "images/inspect.h"
#include "images/maintenance.h"
#include "runtime/lifecycle.h"
#include "store/image_store.h"
#include "store/store.h"

namespace distill::cli {

namespace {

int64_t Now() {
  return static_cast<int64_t>(std::time(nullptr));
}

// Runs `body` with an open store; reports a failure to open or a failed body.
void WithStore(Context& ctx, const std::function<Status(store::Store&)>& body) {
  auto opened = OpenStore(ctx);
  if (!Report(opened.status(), ctx)) return;
  Status st = body(**opened);
  Report(st, ctx);
}

void RegisterImages(CLI::App& app, Context& ctx) {
  struct Flags {
    bool quiet = false, digests = false, all = false, no_trunc = false;
    std::string format = "table";
  };
  auto flags = std::make_shared<Flags>();
  auto* verb = app.add_subcommand("images", "List the images in the store");
  verb->add_flag("-q,--quiet", flags->quiet, "only show image IDs");
  verb->add_flag("--digests", flags->digests, "show digests");
  verb->add_flag("-a,--all", flags->all, "also show untagged images that an index references");
  verb->add_flag("--no-trunc", flags->no_trunc, "do not truncate IDs");
  verb->add_option("--format", flags->format, "table, or json for a JSON array")
      ->check(CLI::IsMember({"table", "json"}));
  verb->footer(
      "\nIMAGE ID is the manifest digest, as Docker shows it with the containerd image store\n"
      "(classic Docker shows the config digest); any unique prefix of it names the image.\n"
      "SIZE is the compressed size of the stored blobs (config + layers), not the unpacked\n"
      "size classic Docker shows.\n"
      "\nExample:\n"
      "  distill images\n"
      "  distill images -q\n"
      "  distill images --format json");
  verb->callback([flags, &ctx] {
    WithStore(ctx, [&](store::Store& store) -> Status {
      DISTILL_ASSIGN_OR_RETURN(auto rows, images::ListImageSummaries(store, {.all = flags->all}));
      for (const auto& row : rows) {
        if (!row.problem.empty()) std::cerr << "distill: warning: " << row.problem << "\n";
      }
      if (flags->quiet) {
        std::cout << images::FormatImageIds(rows, flags->no_trunc);
      } else if (flags->format == "json") {
        std::cout << images::ImagesToJson(rows, Now()).dump(2) << "\n";
      } else {
        std::cout << images::FormatImagesTable(
            rows, Now(), {.digests = flags->digests, .no_trunc = flags->no_trunc});
      }
      return Status::Ok();
    });
  });
}

void RegisterTag(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<std::pair<std::string, std::string>>();
  auto* verb = app.add_subcommand("tag", "Create a tag TARGET that refers to image SOURCE");
  verb->add_option("SOURCE", args->first, "image name, ID (prefix) or digest")->required();
  verb->add_option("TARGET", args->second, "new name, e.g. registry.example/app:v1")->required();
  SetExamples(verb,
              "  distill tag python:3.9 myregistry:5000/python:3.9\n"
              "  distill tag 0123456789ab app:latest");
  verb->callback([args, &ctx] {
    WithStore(ctx, [&](store::Store& store) -> Status {
      return images::TagImage(store, args->first, args->second).status();
    });
  });
}

// Refuses to remove an image a container (running or not) was created from, as
// Docker does without -f: the container's root file system is that image.
Status CheckNoContainerUses(store::Store& store, const std::string& image) {
  auto digest = store::ResolveImage(store, image);
  if (!digest.ok()) return Status::Ok();  // RemoveImage reports the unknown image
  // Removing one of several tags only untags: the image itself stays.
  auto tagged = store.ListImages();
  if (!tagged.ok()) return tagged.status();
  int tags = 0;
  for (const auto& record : *tagged) tags += record.digest == *digest ? 1 : 0;
  const bool by_id = image.rfind("sha256:", 0) == 0 || digest->hex().rfind(image, 0) == 0;
  if (tags > 1 && !by_id) return Status::Ok();
  auto containers = runtime::ListContainers(store.root(), /*all=*/true);
  if (!containers.ok()) return containers.status();
  for (const auto& c : *containers) {
    if (c.spec.image_digest == digest->str()) {
      return Status::Invalid("conflict: unable to remove image " + image + ": container " +
                             c.spec.name + " (" + c.spec.id.substr(0, 12) +
                             ") uses it; remove the container first (distill rm) or use -f");
    }
  }
  return Status::Ok();
}

void RegisterRmi(CLI::App& app, Context& ctx) {
  struct Flags {
    bool force = false;
    std::vector<std::string> images;
  };
  auto flags = std::make_shared<Flags>();
  auto* verb = app.add_subcommand("rmi", "Remove images (their blobs go at the next prune)");
  verb->add_flag(
      "-f,--force", flags->force,
      "remove an image by ID even when several tags, an index or a container refer to it");
  verb->add_option("IMAGE", flags->images, "image names, IDs or digests")->required();
  SetExamples(verb,
              "  distill rmi python:3.9\n"
              "  distill rmi -f 0123456789ab");
  verb->callback([flags, &ctx] {
    auto opened = OpenStore(ctx);
    if (!Report(opened.status(), ctx)) return;
    // Every image is tried; each failure is reported and the exit status is 1.
    for (const auto& image : flags->images) {
      if (!flags->force) {
        Status in_use = CheckNoContainerUses(**opened, image);
        if (!in_use.ok()) {
          Report(in_use, ctx);
          continue;
        }
      }
      auto lines = images::RemoveImage(**opened, image, flags->force);
      if (!lines.ok()) {
        Report(lines.status(), ctx);
        continue;
      }
      for (const auto& line : *lines) std::cout << line << "\n";
    }
  });
}

void RegisterInspect(CLI::App& app, Context& ctx) {
  struct Flags {
    std::string format = "json";
    std::string type = "image";
    std::vector<std::string> images;
  };
  auto flags = std::make_shared<Flags>();
  auto* verb = app.add_subcommand(
      "inspect", "Show images as JSON (docker image inspect's shape, plus the manifest)");
  verb->add_option("--format", flags->format, "json (the only format)")
      ->check(CLI::IsMember({"json"}));
  verb->add_option("--type", flags->type,
                   "image (docker-like summary) or manifest (the manifests as stored)")
      ->check(CLI::IsMember({"image", "manifest"}));
  verb->add_option("IMAGE", flags->images, "image names, IDs or digests")->required();
  SetExamples(verb,
              "  distill inspect python:3.9\n"
              "  distill inspect --type manifest 0123456789ab");
  verb->callback([flags, &ctx] {
    auto opened = OpenStore(ctx);
    if (!Report(opened.status(), ctx)) return;
    store::Store& store = **opened;
    auto out = nlohmann::ordered_json::array();
    // As docker does: print what was found, report the rest, exit 1 if any failed.
    for (const auto& name : flags->images) {
      Status st = [&]() -> Status {
        DISTILL_ASSIGN_OR_RETURN(oci::Digest digest, store::ResolveImage(store, name));
        DISTILL_ASSIGN_OR_RETURN(auto image, images::LoadImage(store, digest, name));
        if (flags->type == "manifest") {
          out.push_back(nlohmann::ordered_json::parse(image.manifest_bytes));
          return Status::Ok();
        }
        DISTILL_ASSIGN_OR_RETURN(auto tags, store.metadata().TagsOf(digest));
        out.push_back(images::InspectImage(image, tags));
        return Status::Ok();
      }();
      Report(st, ctx);
    }
    std::cout << out.dump(4) << "\n";
  });
}

void RegisterHistory(CLI::App& app, Context& ctx) {
  struct Flags {
    bool no_trunc = false, quiet = false;
    std::string image;
  };
  auto flags = std::make_shared<Flags>();
  auto* verb = app.add_subcommand("history", "Show the steps that made an image, newest first");
  verb->add_flag("--no-trunc", flags->no_trunc, "do not truncate IDs and commands");
  verb->add_flag("-q,--quiet", flags->quiet, "only show image IDs");
  verb->add_option("IMAGE", flags->image, "image name, ID or digest")->required();
  verb->footer(
      "\nSIZE is the compressed size of each step's layer as stored.\n"
      "\nExample:\n"
      "  distill history python:3.9\n"
      "  distill history --no-trunc app");
  verb->callback([flags, &ctx] {
    WithStore(ctx, [&](store::Store& store) -> Status {
      DISTILL_ASSIGN_OR_RETURN(oci::Digest digest, store::ResolveImage(store, flags->image));
      DISTILL_ASSIGN_OR_RETURN(auto image, images::LoadImage(store, digest, flags->image));
      DISTILL_ASSIGN_OR_RETURN(auto rows, images::HistoryRows(image, flags->image));
      std::cout << images::FormatHistory(rows, Now(),
                                         {.no_trunc = flags->no_trunc, .quiet = flags->quiet});
      return Status::Ok();
    });
  });
}

// docker's prune confirmation: anything but y/Y (including no input) declines.
bool Confirm(const std::string& question) {
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y";
}

void RegisterPrune(CLI::App& app, Context& ctx) {
  auto force = std::make_shared<bool>(false);
  auto all = std::make_shared<bool>(false);
  auto* verb = app.add_subcommand(
      "prune", "Remove blobs no image needs and leftovers of interrupted writes");
  verb->add_flag("-f,--force", *force, "do not ask for confirmation");
  verb->add_flag("-a,--all", *all, "also drop the build cache (cached step results)");
  SetExamples(verb,
              "  distill prune -f\n"
              "  distill rmi app && distill prune -f");
  verb->callback([force, all, &ctx] {
    if (!*force && !Confirm("WARNING! This will remove all blobs that no tagged image uses.\n"
                            "Are you sure you want to continue?")) {
      std::cerr << "distill: prune cancelled\n";
      ctx.exit_code = 1;
      return;
    }
    WithStore(ctx, [&](store::Store& store) -> Status {
      if (*all) {
        DISTILL_ASSIGN_OR_RETURN(int dropped, store.metadata().DeleteCacheRecords());
        std::cout << "Dropped " << dropped << " build cache records\n";
      }
      // Detached containers do not hold the store open while they run: their
      // root filesystems' chains are read under prune's lock and kept.
      DISTILL_ASSIGN_OR_RETURN(auto result, images::PruneStore(store, [&store] {
                                 return runtime::RootfsChainsInUse(store.root());
                               }));
      std::cout << images::FormatPrune(result);
      return Status::Ok();
    });
  });
}

void RegisterFsck(CLI::App& app, Context& ctx) {
  auto repair = std::make_shared<bool>(false);
  auto* verb =
      app.add_subcommand("fsck", "Check blobs against their digests and tags against their blobs");
  verb->add_flag("--repair", *repair,
                 "delete corrupt and stray blobs, and drop tags that can no longer be served");
  SetExamples(verb,
              "  distill fsck\n"
              "  distill fsck --repair");
  verb->callback([repair, &ctx] {
    WithStore(ctx, [&](store::Store& store) -> Status {
      DISTILL_ASSIGN_OR_RETURN(auto report, store.Fsck(*repair));
      std::cout << images::FormatFsck(report);
      if (images::FsckProblemsRemain(report)) ctx.exit_code = 1;
      return Status::Ok();
    });
  });
}

}  // namespace

void RegisterImageVerbs(CLI::App& app, Context& ctx) {
  RegisterImages(app, ctx);
  RegisterTag(app, ctx);
  RegisterRmi(app, ctx);
  RegisterInspect(app, ctx);
  RegisterHistory(app, ctx);
  RegisterPrune(app, ctx);
  RegisterFsck(app, ctx);
}

}  // namespace distill::cli
