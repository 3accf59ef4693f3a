// The Dockerfile syntax layer: bytes → Dockerfile (ast.h), with the reference
// (moby/buildkit) parser's behaviour: parser directives, comments, line
// continuations with the escape character, exec (JSON) vs shell form per
// keyword, --flags, ENV/LABEL pairs, ONBUILD triggers and heredocs. No variable
// expansion happens here.
//
// Parse never crashes or loops on arbitrary bytes, and its recursion is bounded
// (ONBUILD nests one level at most; JSON is scanned without recursion).
#pragma once

#include <string>
#include <string_view>

#include "dockerfile/ast.h"
#include "util/status.h"

namespace distill::dockerfile {

// Errors are Status::Invalid("<filename>:<line>: <message>"), the line being the
// first line of the offending instruction (or of the directive).
Result<Dockerfile> Parse(std::string_view source, const std::string& filename);

}  // namespace distill::dockerfile
