// The CLOEXEC pipe from the sandbox's helper processes back to Run: framed
// messages, so a setup or exec failure reaches the parent as a precise error
// and is never confused with the program's own exit status (127 included).
// The pipe reaches EOF exactly when the sandboxed program has been exec'd.
#pragma once

#include <sys/types.h>

#include <string>

#include "util/status.h"

namespace distill::exec {

enum class FrameType : char {
  kPid = 'P',    // payload: the sandbox's pid 1, as seen from the host
  kError = 'E',  // payload: one code byte, then the message
};

struct Frame {
  FrameType type;
  std::string payload;
};

// Both are async-signal-safe enough for a forked child (no allocation in
// WriteFrame beyond the caller's strings).
void WriteFrame(int fd, FrameType type, const std::string& payload);
void WriteErrorFrame(int fd, const Status& status);

// Reads one frame; NotFound at a clean EOF.
Result<Frame> ReadFrame(int fd);
Status StatusFromErrorFrame(const Frame& frame);

}  // namespace distill::exec
