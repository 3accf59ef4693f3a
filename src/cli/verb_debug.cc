#include "cli/verbs.h"

namespace distill::cli {

// `distill debug ...`: developer views of internal stages (the parser dump).
void RegisterDebugVerbs(CLI::App& app, Context& ctx) {
  (void)ctx;
  auto* debug = app.add_subcommand("debug", "Developer tools: show internal representations");
  debug->require_subcommand(1);
}

}  // namespace distill::cli
