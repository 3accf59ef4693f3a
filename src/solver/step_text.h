// How a step is written down outside the solver's own cache: the argv a RUN
// executes, the history `created_by` line Docker/BuildKit tools show, and the
// short text of a step in progress output and errors.
#pragma once

#include <string>
#include <vector>

#include "frontend/plan.h"

namespace distill::solver {

// The argv a RUN step executes: exec form as written; shell form through the
// SHELL in effect (step.shell, e.g. ["/bin/sh", "-c", "make"]). Empty for
// steps that are not RUN.
std::vector<std::string> RunArgv(const frontend::Step& step);

// The history `created_by` text, in the shape BuildKit's Dockerfile frontend
// writes, so `docker history` reads the same:
//   RUN /bin/sh -c make # buildkit          (build args used: "RUN |1 V=2 /bin/sh -c make")
//   COPY --chown=app src/ /app # buildkit   ADD ... # buildkit
//   WORKDIR /app   ENV A=b   LABEL k=v   USER app   CMD ["/bin/sh" "-c" "run"]
//   EXPOSE map[80/tcp:{}]   VOLUME [/data]   SHELL [/bin/bash -c]   STOPSIGNAL SIGTERM
// HEALTHCHECK is written as "HEALTHCHECK " + the Go-quoted Test array (BuildKit
// prints its internal struct there, which nobody parses).
std::string HistoryCreatedBy(const frontend::Step& step);

// Value of the history `comment` of every entry distill writes.
inline constexpr const char* kHistoryComment = "distill.dockerfile.v1";

// First line of the instruction as written ("RUN make"), blanks collapsed.
std::string StepSummary(const frontend::Step& step);

// "Dockerfile:12" (or "Dockerfile:12-14") for error messages.
std::string StepLocation(const frontend::Step& step);

// Go's %q of a string (strconv.Quote): used where BuildKit formats with %q.
std::string GoQuote(const std::string& s);

}  // namespace distill::solver
