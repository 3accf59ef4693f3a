// CopyRequest: one COPY or ADD as the build context module needs it — the
// instruction's sources and flags plus the WORKDIR its destination is relative
// to. The digest (sources_digest.h) and the copy (copy_into.h) both read it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dockerfile/instructions.h"
#include "util/status.h"

namespace distill::context {

struct CopyRequest {
  bool is_add = false;
  std::vector<std::string> sources;                 // paths or filepath.Match globs; ADD: also URLs
  std::vector<dockerfile::HeredocSource> heredocs;  // content already expanded
  std::string dest;                                 // as written (trailing '/' matters)
  std::string workdir = "/";                        // a relative dest is taken from here
  std::string chown;                                // "user[:group]", names or ids
  std::string chmod;                                // octal, e.g. "0755"
  std::vector<std::string> excludes;                // --exclude patterns (.dockerignore syntax)
  bool parents = false;                             // --parents
  // --link is accepted: it changes only how the solver stacks the resulting
  // layer (independent of the layers below), never what is copied.
  bool link = false;
  std::string checksum;  // ADD --checksum=sha256:<hex> for URL sources
  // Prefixes errors, e.g. "Dockerfile:7: COPY". Defaults to the verb.
  std::string where;
};

// Builds a request from a typed instruction.
CopyRequest CopyRequestFrom(const dockerfile::CopyCommand& cmd, const std::string& workdir);

// Every field of `request` that can change what it copies, as canonical text
// (for remembering results keyed by a request; `where` is left out).
std::string CopyRequestFingerprint(const CopyRequest& request);

// The verb for errors when `where` is empty: "COPY" or "ADD".
std::string RequestWhere(const CopyRequest& request);

// --chmod: octal permission bits (up to 07777). Symbolic modes ("u+x"), which
// newer BuildKit accepts, are refused with a clear message. nullopt when empty.
Result<std::optional<uint32_t>> ParseChmod(std::string_view chmod);

// http:// or https:// (ADD downloads these).
bool IsRemoteUrl(std::string_view source);
// A git repository reference (git@host:..., git://, ssh://, a URL ending in .git
// or with a .git#ref fragment).
bool IsGitUrl(std::string_view source);

// The destination as an absolute path in the rootfs, cleaned, and whether it
// names a directory by syntax (trailing '/', "." or "/." at the end).
struct Destination {
  std::string path;
  bool ends_with_slash = false;
};
Destination ResolveDestination(const CopyRequest& request);

}  // namespace distill::context
