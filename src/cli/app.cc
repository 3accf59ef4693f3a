#include <cstdlib>
#include <iostream>
#include <memory>

#include "cli/verbs.h"
#include "util/version.h"

namespace distill::cli {

void SetExamples(CLI::App* verb, const std::string& examples) {
  verb->footer("\nExample:\n" + examples);
}

namespace {

// The deepest subcommand the user named, so usage errors show its usage line.
CLI::App* DeepestParsed(CLI::App* app) {
  for (CLI::App* sub : app->get_subcommands()) {
    if (sub->parsed()) return DeepestParsed(sub);
  }
  return app;
}

std::string CommandPath(CLI::App* app) {
  std::string path = app->get_name();
  for (CLI::App* p = app->get_parent(); p != nullptr; p = p->get_parent()) {
    path = p->get_name() + " " + path;
  }
  return path;
}

// The "Usage: ..." line CLI11 renders for a (sub)command, taken from its help.
// The full help of one (sub)command, titled with its whole path ("distill build").
std::string HelpOf(CLI::App* app) {
  return app->get_formatter()->make_help(app, CommandPath(app), CLI::AppFormatMode::Normal);
}

std::string UsageLine(CLI::App* app) {
  std::string help = HelpOf(app);
  size_t at = help.find("Usage:");
  if (at == std::string::npos) return "Usage: " + CommandPath(app) + " [OPTIONS]";
  size_t end = help.find('\n', at);
  return help.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

void RegisterHelpVerb(CLI::App& app, Context& ctx) {
  auto* verb = app.add_subcommand("help", "Show help for distill or one of its verbs");
  // CLI11 binds options by reference; the callback owns the string with it.
  auto verb_name = std::make_shared<std::string>();
  verb->add_option("VERB", *verb_name, "the verb to describe");
  SetExamples(verb, "  distill help build");
  verb->callback([&app, &ctx, verb_name] {
    if (verb_name->empty()) {
      std::cout << HelpOf(&app);
      return;
    }
    try {
      CLI::App* sub = app.get_subcommand(*verb_name);
      std::cout << HelpOf(sub);
    } catch (const CLI::OptionNotFound&) {
      std::cerr << "distill: unknown verb \"" << *verb_name << "\"; run 'distill help'\n";
      ctx.exit_code = 2;
    }
  });
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{"distill builds small, secure OCI images from Dockerfiles, without a daemon.",
               "distill"};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", std::string("distill ") + kVersion);
  Context ctx;
  if (const char* env = std::getenv("DISTILL_ROOT")) ctx.root = env;
  app.add_option("--root", ctx.root, "store directory (default /var/lib/distill as root)")
      ->envname("DISTILL_ROOT");
  auto* version = app.add_subcommand("version", "Print the version");
  version->callback([] { std::cout << "distill " << kVersion << "\n"; });

  RegisterHelpVerb(app, ctx);
  RegisterBuildVerb(app, ctx);
  RegisterDebugVerbs(app, ctx);
  RegisterTransferVerbs(app, ctx);
  RegisterImageVerbs(app, ctx);
  RegisterRunVerbs(app, ctx);
  RegisterDistrolessVerbs(app, ctx);
  RegisterBootstrapVerb(app, ctx);
  RegisterImageRecipeVerbs(app, ctx);
  RegisterLintVerb(app, ctx);
  RegisterInspectToolVerbs(app, ctx);
  RegisterRegistryVerbs(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    CLI::App* where = DeepestParsed(&app);
    std::string path = CommandPath(where);
    std::cerr << "distill: " << e.what() << "\n"
              << UsageLine(where) << "\n"
              << "Run '" << path << " --help' for more.\n";
    return 2;
  }
  if (app.get_subcommands().empty()) {
    std::cout << HelpOf(&app);
    return 0;
  }
  return ctx.exit_code;
}

}  // namespace distill::cli
