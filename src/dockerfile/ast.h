// The syntax tree of a Dockerfile: what the parser (parser.h) produces and the
// typed-instruction layer (instructions.h) and the frontend consume. It mirrors
// the reference parser's node shape closely enough that the conformance dump
// (`distill debug parse`) can be reproduced byte for byte, while keeping every
// instruction's source line range for error messages ("Dockerfile:12: ...").
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace distill::dockerfile {

// A here-document attached to an instruction (`RUN <<EOF`, `COPY <<EOF /dst`).
struct Heredoc {
  std::string name;     // the delimiter word, without quotes or the leading '-'
  std::string content;  // body, with a trailing newline; tabs already stripped for <<-
  bool expand = true;   // false when the delimiter was quoted: no variable expansion
  bool chomp = false;   // <<- form (leading tabs stripped)
};

// One instruction, as the reference parser sees it.
struct Instruction {
  std::string keyword;             // lower case: "from", "run", "copy", ...
  std::vector<std::string> flags;  // "--from=builder" etc., as written, in order
  // Arguments split per the reference parser's rule for this keyword: one string
  // for shell form; the array elements for JSON form; key/value(/separator)
  // triples for ENV and LABEL; whitespace-split words for FROM, EXPOSE, ...
  std::vector<std::string> args;
  bool json = false;  // args came from a JSON array (exec form)
  // In the order their markers appear. For `ONBUILD RUN <<EOF` they sit on the
  // ONBUILD instruction (as in the reference), not on `nested`.
  std::vector<Heredoc> heredocs;
  std::unique_ptr<Instruction> nested;  // ONBUILD's trigger instruction
  // Source text with continuation lines joined (escapes and comment lines
  // removed); for `nested`, the text after ONBUILD and its flags.
  std::string original;
  int start_line = 0;  // 1-based, first line of the instruction
  int end_line = 0;    // last line (continuations, heredoc bodies)
};

// Parser directives from the top of the file (`# syntax=`, `# escape=`, `# check=`).
struct Directives {
  std::string syntax;
  char escape = '\\';
  std::string check;  // raw value of `# check=`, e.g. "skip=JSONArgsRecommended;error=true"
};

// A warning the parser can report without failing (e.g. empty continuation lines).
struct ParseWarning {
  int line = 0;
  std::string message;
};

struct Dockerfile {
  std::string filename;  // for messages: "Dockerfile", "app/Dockerfile.prod", "-"
  Directives directives;
  std::vector<Instruction> instructions;
  std::vector<ParseWarning> warnings;
};

}  // namespace distill::dockerfile
