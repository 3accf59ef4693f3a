// The conformance dump of a parsed Dockerfile: one s-expression per
// instruction, as the reference parser's tests print it (see
// shared/conformance/README.md). `distill debug parse` prints it.
#pragma once

#include <string>

#include "dockerfile/ast.h"

namespace distill::dockerfile {

// `(keyword ["--flag" ...] "arg" ... (nested))` lines, each ending in '\n';
// strings quoted as Go's strconv.Quote does.
std::string DumpForConformance(const Dockerfile& df);
// One instruction without the surrounding parentheses.
std::string DumpInstruction(const Instruction& inst);

}  // namespace distill::dockerfile
