// Here-documents in RUN/COPY/ADD lines (`RUN <<EOF`, `COPY <<-"A" <<B /dst`):
// finding the markers in an instruction's line. Reading the bodies is the
// parser's job (they are the lines that follow). Internal to the parser.
#pragma once

#include <string_view>
#include <vector>

#include "dockerfile/ast.h"

namespace distill::dockerfile::syntax {

// The heredoc markers of `line`, in order, with empty content. As in the
// reference: the line is split into shell words (quotes and backslash escapes
// kept); each word of the form [digits]<<[-]WORD (no further '<') is a marker;
// WORD with its quotes removed is the delimiter, and any quoting in WORD turns
// expansion off. A line whose quotes do not close has no markers.
std::vector<Heredoc> HeredocMarkers(std::string_view line);

// Whether an instruction reads heredoc bodies: RUN, COPY, ADD in shell form,
// also as an ONBUILD trigger.
bool CanContainHeredoc(const Instruction& inst);

}  // namespace distill::dockerfile::syntax
