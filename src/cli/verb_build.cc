#include "cli/verbs.h"

namespace distill::cli {

void RegisterBuildVerb(CLI::App& app, Context& ctx) {
  (void)app;
  (void)ctx;
}

}  // namespace distill::cli
