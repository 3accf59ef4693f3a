// The per-line pieces of the reference Dockerfile parser: splitting a logical
// line into keyword, --flags and argument text, and the argument rule each
// keyword uses (its "dispatch table": exec-form JSON or shell form, key=value
// pairs, whitespace-separated words, ...). Internal to the parser.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/ast.h"
#include "util/status.h"

namespace distill::dockerfile::syntax {

// A logical line split as the reference's splitCommand does.
struct KeywordLine {
  std::string keyword;             // lower case
  std::string keyword_as_written;  // for messages
  std::vector<std::string> flags;  // "--name=value" / "--name", quotes and escapes removed
  std::string args;                // what follows the flags, trimmed
};
KeywordLine SplitCommand(std::string_view line);

// Splits `rest` into words at Unicode whitespace, keeping quotes and escapes
// (the escape character and the one after it) in the words.
std::vector<std::string> ParseWords(std::string_view rest, char escape);

// Splits at runs of [\t\v\f\r ] (the reference's whitespace regexp).
std::vector<std::string> SplitWhitespace(std::string_view s, size_t max_parts = 0);

// Whether `keyword` (lower case) is an instruction the syntax layer knows.
bool IsKnownKeyword(std::string_view keyword);

// Fills `inst->args` / `json` / `nested` from `cmd` per the keyword's rule. The
// returned message (no location) is empty on success.
std::string ParseArguments(const KeywordLine& cmd, char escape, Instruction* inst);

// Builds an instruction from one logical line (continuations already joined).
// Errors are plain messages; the caller adds "file:line: ".
Result<Instruction> InstructionFromLine(std::string_view line, char escape);

}  // namespace distill::dockerfile::syntax
