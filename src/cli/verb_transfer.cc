// save, load, export, import: moving images between the store and files.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/verbs.h"
#include "store/store.h"
#include "store/store_root.h"
#include "transport/image_export.h"
#include "transport/image_load.h"
#include "transport/rootfs_import.h"
#include "util/file_system.h"

namespace distill::cli {
namespace {

void RegisterSave(CLI::App& app, Context& ctx) {
  struct Args {
    std::string output;
    std::string format = "docker-archive";
    std::vector<std::string> images;
  };
  auto args = std::make_shared<Args>();  // CLI11 binds by reference; the callback owns it
  auto* verb = app.add_subcommand(
      "save", "Save images to a tar archive: docker-archive (docker/podman load) or oci-archive");
  verb->add_option("-o,--output", args->output, "the archive to write (replaced atomically)")
      ->required();
  verb->add_option("--format", args->format, "docker-archive (default) or oci-archive");
  verb->add_option("IMAGE", args->images, "images to save (names or IDs)")->required();
  SetExamples(verb,
              "  distill save -o app.tar app:1.0            # then: docker load -i app.tar\n"
              "  distill save --format oci-archive -o app.oci.tar app:1.0 app:1.1");
  verb->callback([&ctx, args] {
    auto format = transport::ParseArchiveFormat(args->format);
    if (!Report(format.status(), ctx)) return;
    auto s = OpenStore(ctx);
    if (!Report(s.status(), ctx)) return;
    Report(transport::SaveArchive(**s, args->images, *format, args->output), ctx);
  });
}

void RegisterLoad(CLI::App& app, Context& ctx) {
  struct Args {
    std::string input;
    std::string name;
  };
  auto args = std::make_shared<Args>();  // CLI11 binds by reference; the callback owns it
  auto* verb = app.add_subcommand(
      "load",
      "Load images from a docker-archive, an oci-archive (optionally compressed) or an OCI "
      "layout directory");
  verb->add_option("-i,--input", args->input, "archive file or OCI layout directory")->required();
  verb->add_option("-t,--tag", args->name,
                   "name for an image the source leaves unnamed (or the only image)");
  SetExamples(verb,
              "  distill load -i app.tar\n"
              "  distill load -i ./oci-dir -t app:1.0");
  verb->callback([&ctx, args] {
    auto s = OpenStore(ctx);
    if (!Report(s.status(), ctx)) return;
    transport::LoadOptions opts;
    opts.name = args->name;
    auto loaded = transport::LoadImages(**s, args->input, opts);
    if (!Report(loaded.status(), ctx)) return;
    for (const auto& img : *loaded) {
      if (img.names.empty()) std::cout << "Loaded image ID: " << img.manifest.str() << "\n";
      for (const auto& n : img.names) std::cout << "Loaded image: " << n << "\n";
    }
  });
}

void RegisterExport(CLI::App& app, Context& ctx) {
  struct Args {
    std::string dir;
    std::string image;
  };
  auto args = std::make_shared<Args>();  // CLI11 binds by reference; the callback owns it
  auto* verb = app.add_subcommand(
      "export", "Export an image into an OCI image layout directory (umoci, skopeo oci:DIR:TAG)");
  verb->add_option("--oci-layout", args->dir, "layout directory (created or added to)")->required();
  verb->add_option("IMAGE", args->image, "image name or ID")->required();
  SetExamples(verb,
              "  distill export --oci-layout ./layout app:1.0\n"
              "  umoci unpack --image ./layout:1.0 bundle");
  verb->callback([&ctx, args] {
    auto s = OpenStore(ctx);
    if (!Report(s.status(), ctx)) return;
    Report(transport::ExportOciLayout(**s, args->image, args->dir), ctx);
  });
}

void RegisterImport(CLI::App& app, Context& ctx) {
  struct Args {
    std::string file;
    std::string name;
    std::vector<std::string> changes;
    std::string message;
  };
  auto args = std::make_shared<Args>();  // CLI11 binds by reference; the callback owns it
  auto* verb = app.add_subcommand(
      "import", "Create a one-layer image from a root filesystem tarball (as docker import)");
  verb->add_option("FILE", args->file, "rootfs tar (.tar, .tar.gz, .tar.zst, .tar.xz) or -")
      ->required();
  verb->add_option("NAME", args->name, "name for the image (untagged when omitted)");
  verb->add_option("-c,--change", args->changes,
                   "Dockerfile instruction to apply: CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, "
                   "WORKDIR, VOLUME, STOPSIGNAL");
  verb->add_option("-m,--message", args->message, "history comment");
  SetExamples(verb,
              "  distill import rootfs.tar.gz mybase:1 --change 'CMD [\"/bin/sh\"]' "
              "--change 'ENV PATH=/bin'");
  verb->callback([&ctx, args] {
    auto s = OpenStore(ctx);
    if (!Report(s.status(), ctx)) return;
    transport::ImportOptions opts;
    opts.name = args->name;
    opts.changes = args->changes;
    opts.message = args->message;
    auto digest = transport::ImportRootfs(**s, args->file, opts);
    if (!Report(digest.status(), ctx)) return;
    std::cout << digest->str() << "\n";
  });
}

}  // namespace

void RegisterTransferVerbs(CLI::App& app, Context& ctx) {
  RegisterSave(app, ctx);
  RegisterLoad(app, ctx);
  RegisterExport(app, ctx);
  RegisterImport(app, ctx);
}

}  // namespace distill::cli
