#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/verbs.h"
#include "dockerfile/dump.h"
#include "dockerfile/parser.h"

namespace distill::cli {
namespace {

// Reads FILE, or standard input for "-"; sets *error on failure.
bool ReadSource(const std::string& path, std::string* data, std::string* error) {
  if (path == "-") {
    data->assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = path + ": cannot open file";
    return false;
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) {
    *error = path + ": read error";
    return false;
  }
  *data = content.str();
  return true;
}

void RegisterDebugParse(CLI::App& debug, Context& ctx) {
  auto* verb = debug.add_subcommand(
      "parse", "Parse a Dockerfile and print its syntax tree (the reference parser's dump)");
  auto file = std::make_shared<std::string>();  // CLI11 binds by reference; the callback owns it
  verb->add_option("FILE", *file, "the Dockerfile, or - for standard input")->required();
  SetExamples(verb,
              "  distill debug parse Dockerfile\n"
              "  echo 'FROM alpine' | distill debug parse -");
  verb->callback([&ctx, file] {
    std::string source, error;
    if (!ReadSource(*file, &source, &error)) {
      std::cerr << "distill: " << error << "\n";
      ctx.exit_code = 1;
      return;
    }
    Result<dockerfile::Dockerfile> df = dockerfile::Parse(source, *file);
    if (!df.ok()) {
      std::cerr << "distill: " << df.status().message() << "\n";
      ctx.exit_code = 1;
      return;
    }
    std::cout << dockerfile::DumpForConformance(*df);
  });
}

}  // namespace

// `distill debug ...`: developer views of internal stages (the parser dump).
void RegisterDebugVerbs(CLI::App& app, Context& ctx) {
  auto* debug = app.add_subcommand("debug", "Developer tools: show internal representations");
  SetExamples(debug, "  distill debug parse Dockerfile");
  debug->require_subcommand(1);
  RegisterDebugParse(*debug, ctx);
}

}  // namespace distill::cli
