// The verbs of the distill command line. Each verb lives in its own verb_*.cc,
// registers its CLI11 subcommand here, and calls one library function: the CLI
// stays thin (DESIGN.md) and owns only argument parsing and output.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "store/store.h"
#include "util/status.h"

namespace distill::cli {

// State shared by all verbs: global flags and the exit code the chosen verb sets.
struct Context {
  std::string root;  // --root / DISTILL_ROOT; empty means the default store path
  int exit_code = 0;
};

// The store the global --root (or DISTILL_ROOT, or the default) names.
Result<std::unique_ptr<store::Store>> OpenStore(const Context& ctx);

// Prints "distill: MESSAGE" for a failed `st` and sets the exit code
// (1, or the verb's own, e.g. 125 for run); returns whether `st` was ok.
bool Report(const Status& st, Context& ctx, int exit_code = 1);

// Adds "Example:" lines to a verb's --help.
void SetExamples(CLI::App* verb, const std::string& examples);

void RegisterDebugVerbs(CLI::App& app, Context& ctx);
void RegisterBuildVerb(CLI::App& app, Context& ctx);
void RegisterTransferVerbs(CLI::App& app, Context& ctx);
void RegisterImageVerbs(CLI::App& app, Context& ctx);
void RegisterRunVerbs(CLI::App& app, Context& ctx);
void RegisterDistrolessVerbs(CLI::App& app, Context& ctx);
void RegisterBootstrapVerb(CLI::App& app, Context& ctx);
void RegisterImageRecipeVerbs(CLI::App& app, Context& ctx);
void RegisterLintVerb(CLI::App& app, Context& ctx);
void RegisterInspectToolVerbs(CLI::App& app, Context& ctx);
void RegisterRegistryVerbs(CLI::App& app, Context& ctx);

// Runs the command line; returns the process exit status (2 for usage errors).
int Main(int argc, char** argv);

}  // namespace distill::cli
