// SourcesDigest: the cache-key input of a COPY/ADD — a digest of what the step
// will copy, computed without copying anything.
//
// It covers, in a fixed order (arguments in order, each argument's entries by
// path): the landing path of every entry (relative to the destination), its
// type, its mode as it will be written (after --chmod), its ownership as it
// will be written (the --chown text, which the destination's /etc/passwd —
// part of the parent step's key — turns into ids; otherwise 0:0 from a build
// context, the recorded ids from a stage rootfs), symlink targets, hardlink
// groups, device numbers, and the SHA-256 of file contents; plus heredoc
// sources, URL sources with their --checksum, and the flags that change the
// result (ADD, --parents, --exclude patterns).
//
// It does NOT cover mtimes (or atimes/ctimes): like BuildKit and Docker, a
// `touch` or a fresh `git clone` must not invalidate the cache; COPY still
// writes the source mtimes. Files left out by .dockerignore or --exclude never
// contribute. A URL without --checksum contributes only its text: the remote
// content is not fetched to compute the key.
//
// The same function digests a COPY --from=stage: pass a tree opened with
// BuildContext::OpenStageRootfs over that stage's root file system.
#pragma once

#include "context/build_context.h"
#include "context/copy_request.h"
#include "context/file_digester.h"
#include "oci/digest.h"
#include "util/status.h"

namespace distill::context {

// The version written into every digest input; bump it whenever the input
// format changes (cache keys are forever).
inline constexpr int kSourcesDigestVersion = 1;

Result<oci::Digest> SourcesDigest(const BuildContext& tree, const CopyRequest& request,
                                  FileDigester* files);

}  // namespace distill::context
