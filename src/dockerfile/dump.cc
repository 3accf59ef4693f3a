#include "dockerfile/dump.h"

#include "dockerfile/go_text.h"

namespace distill::dockerfile {

using syntax::GoQuote;

std::string DumpInstruction(const Instruction& inst) {
  std::string out = inst.keyword;
  if (!inst.flags.empty()) {
    out += " [";
    for (size_t i = 0; i < inst.flags.size(); ++i) {
      if (i > 0) out += ' ';
      out += GoQuote(inst.flags[i]);
    }
    out += ']';
  }
  for (const std::string& arg : inst.args) {
    out += ' ';
    out += GoQuote(arg);
  }
  if (inst.nested) out += " (" + DumpInstruction(*inst.nested) + ")";
  return out;
}

std::string DumpForConformance(const Dockerfile& df) {
  std::string out;
  for (const Instruction& inst : df.instructions) out += "(" + DumpInstruction(inst) + ")\n";
  return out;
}

}  // namespace distill::dockerfile
