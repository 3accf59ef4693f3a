// The image inspection verbs: analyze (cost and attack surface), diff and sbom.
// Each opens the store, calls one function of inspect/, and prints its result.
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/verbs.h"
#include "inspect/analyze.h"
#include "inspect/analyze_html.h"
#include "inspect/diff.h"
#include "inspect/packages.h"
#include "inspect/sbom.h"
#include "store/image_store.h"
#include "store/store.h"
#include "util/file_system.h"

namespace distill::cli {

namespace {

void RegisterAnalyze(CLI::App& app, Context& ctx) {
  struct Flags {
    std::string image, format = "text", fail_on, html;
  };
  auto flags = std::make_shared<Flags>();
  auto* verb = app.add_subcommand(
      "analyze", "Show what an image costs (layers, largest files, waste) and its attack surface");
  verb->add_option("IMAGE", flags->image, "image name or ID")->required();
  verb->add_option("--format", flags->format, "text, or json")
      ->check(CLI::IsMember({"text", "json"}));
  verb->add_option("--fail-on", flags->fail_on,
                   "exit 1 when any of these categories is found (comma-separated): shell, "
                   "package-manager, compiler, setuid, world-writable, root, secrets");
  verb->add_option("--html", flags->html,
                   "also write the report as a self-contained web page (layer bars, treemap of "
                   "the filesystem, findings) to FILE");
  SetExamples(verb,
              "  distill analyze myapp:latest\n"
              "  distill analyze myapp:latest --html report.html\n"
              "  distill analyze myapp:latest --format json\n"
              "  distill analyze myapp:latest --fail-on shell,package-manager,root");
  verb->callback([flags, &ctx] {
    Status st = [&]() -> Status {
      DISTILL_ASSIGN_OR_RETURN(auto fail_on, inspect::ParseFailOn(flags->fail_on));
      DISTILL_ASSIGN_OR_RETURN(auto store, OpenStore(ctx));
      DISTILL_ASSIGN_OR_RETURN(auto report, inspect::AnalyzeImage(*store, flags->image));
      if (flags->format == "json") {
        // File names need not be UTF-8: replace what is not rather than fail.
        std::cout << inspect::ReportToJson(report).dump(2, ' ', false,
                                                        nlohmann::json::error_handler_t::replace)
                  << "\n";
      } else {
        std::cout << inspect::FormatReportText(report);
      }
      if (!flags->html.empty()) {
        // Atomic: a reader (or a browser reloading) never sees half a page.
        DISTILL_RETURN_IF_ERROR(DefaultFileSystem()->WriteFileAtomically(
            flags->html, inspect::RenderReportHtml(report)));
        std::cerr << "HTML report: " << flags->html << "\n";
      }
      if (inspect::ShouldFail(report.findings, fail_on)) {
        std::cerr << "distill: " << flags->image << ": --fail-on matched: " << report.verdict
                  << "\n";
        ctx.exit_code = 1;
      }
      return Status::Ok();
    }();
    Report(st, ctx);
  });
}

void RegisterDiff(CLI::App& app, Context& ctx) {
  struct Flags {
    std::string a, b, format = "text";
  };
  auto flags = std::make_shared<Flags>();
  auto* verb = app.add_subcommand(
      "diff", "Compare two images: size, layers, packages, files and attack surface");
  verb->add_option("IMAGE_A", flags->a, "the old image")->required();
  verb->add_option("IMAGE_B", flags->b, "the new image")->required();
  verb->add_option("--format", flags->format, "text, or json")
      ->check(CLI::IsMember({"text", "json"}));
  SetExamples(verb,
              "  distill diff myapp:1.0 myapp:1.1\n  distill diff debian:12 myapp --format json");
  verb->callback([flags, &ctx] {
    Status st = [&]() -> Status {
      DISTILL_ASSIGN_OR_RETURN(auto store, OpenStore(ctx));
      DISTILL_ASSIGN_OR_RETURN(auto diff, inspect::DiffImages(*store, flags->a, flags->b));
      if (flags->format == "json") {
        std::cout << inspect::DiffToJson(diff).dump(2) << "\n";
      } else {
        std::cout << inspect::FormatDiffText(diff);
      }
      return Status::Ok();
    }();
    Report(st, ctx);
  });
}

void RegisterSbom(CLI::App& app, Context& ctx) {
  struct Flags {
    std::string image, format = "spdx-json", output;
  };
  auto flags = std::make_shared<Flags>();
  auto* verb = app.add_subcommand(
      "sbom", "List an image's packages (dpkg, Python) as an SPDX or CycloneDX document");
  verb->add_option("IMAGE", flags->image, "image name or ID")->required();
  verb->add_option("--format", flags->format, "spdx-json (SPDX 2.3) or cyclonedx-json (1.5)")
      ->check(CLI::IsMember({"spdx-json", "cyclonedx-json"}));
  verb->add_option("-o,--output", flags->output, "write to FILE instead of stdout");
  SetExamples(verb,
              "  distill sbom myapp:latest\n"
              "  distill sbom myapp:latest --format cyclonedx-json -o bom.json");
  verb->callback([flags, &ctx] {
    Status st = [&]() -> Status {
      DISTILL_ASSIGN_OR_RETURN(auto store, OpenStore(ctx));
      DISTILL_ASSIGN_OR_RETURN(auto image, store::ReadImage(*store, flags->image));
      DISTILL_ASSIGN_OR_RETURN(auto packages, inspect::ImagePackages(*store, image, flags->image));
      inspect::SbomSubject subject{flags->image, image.manifest_digest.str()};
      inspect::SbomOptions options{static_cast<int64_t>(std::time(nullptr)), inspect::RandomUuid()};
      nlohmann::json doc = flags->format == "spdx-json"
                               ? inspect::ToSpdx(subject, packages, options)
                               : inspect::ToCycloneDx(subject, packages, options);
      std::string text = doc.dump(2) + "\n";
      if (flags->output.empty()) {
        std::cout << text;
        return Status::Ok();
      }
      std::ofstream out(flags->output, std::ios::binary | std::ios::trunc);
      out << text;
      out.close();
      if (!out) return Status::Io(flags->output + ": cannot write the SBOM");
      return Status::Ok();
    }();
    Report(st, ctx);
  });
}

}  // namespace

void RegisterInspectToolVerbs(CLI::App& app, Context& ctx) {
  RegisterAnalyze(app, ctx);
  RegisterDiff(app, ctx);
  RegisterSbom(app, ctx);
}

}  // namespace distill::cli
