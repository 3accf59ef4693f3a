// CopyInto: performs a COPY or ADD into a destination root file system, with
// Docker's semantics.
//
//  - Sources are paths or filepath.Match globs inside `source` (a build context,
//    .dockerignore applied, or another stage's rootfs for COPY --from). A
//    directory source copies its contents, not itself (unless --parents).
//  - More than one source argument, or a glob matching more than one entry,
//    requires a destination ending in '/' ("When using COPY with more than one
//    source file, the destination must be a directory and end with a /").
//  - A relative destination is taken from WORKDIR. A destination ending in '/'
//    is a directory (created when missing); a file copied onto an existing
//    directory lands inside it; otherwise the file is written at that path.
//  - Every directory the copy has to create — parents of the destination,
//    the destination directory, the kept path of --parents — is made 0755 and
//    owned by the --chown user (root without --chown). That is what Docker
//    does (BuildKit's fsutil MkdirAll and the classic builder's
//    MkdirAllAndChownNew both chown every new directory), rather than leaving
//    parents root-owned. An existing directory keeps its metadata. Copied
//    content gets the --chown owner too; without --chown, files from a build
//    context are owned by 0:0 and files from a stage keep their owner.
//  - --chown takes names (looked up in the DESTINATION rootfs's /etc/passwd and
//    /etc/group, symlinks resolved inside it) or numbers; a user without a
//    group gets the user's primary group from /etc/passwd when named, or the
//    same number when numeric.
//  - --chmod (octal only) replaces the permission bits of everything copied
//    except symlinks, directories included (BuildKit does the same).
//  - Modes, mtimes, symlinks (as symlinks, below a source directory; a source
//    argument that is itself a symlink is followed, inside the tree), hardlinks
//    between copied files, device nodes, fifos and, where the file system lets
//    us, xattrs are preserved.
//  - Every write is resolved inside the destination rootfs (openat2
//    RESOLVE_IN_ROOT): a symlink in the image pointing at /etc makes the copy
//    write to <rootfs>/etc, never to the host.
//  - --link only changes how the solver stacks the layer; it is accepted here.
//
// ADD extras: a local tar (plain, gzip, bzip2, xz, zstd — by content) is
// unpacked at the destination (as a directory, with archive::ExtractTar's
// safety rules, ownership from the archive, --chown/--chmod not applied, as in
// Docker); an http(s) URL is downloaded (file name from Content-Disposition or
// the URL path, mode 0600, mtime from Last-Modified, --checksum verified before
// anything is written; remote archives are not unpacked); git URLs are refused
// as not supported yet.
//
// Heredoc sources (`COPY <<EOF /dst`) are written as files named by their
// delimiter, mode 0644 unless --chmod, owned per --chown.
//
// Known, deliberate differences from BuildKit: a directory that already exists
// in the destination keeps its mode (BuildKit re-applies the source's); a
// symlink to a directory met below the destination is entered (inside the
// rootfs) where BuildKit refuses "cannot copy to non-directory"; sockets are
// skipped and fifos copied where BuildKit fails on both; an unknown --chown
// name is an error (as in the classic builder) where BuildKit falls back to 0.
//
// On error the destination may hold part of the copy: the caller works in a
// scratch snapshot that it discards on failure.
#pragma once

#include <string>

#include "context/build_context.h"
#include "context/copy_request.h"
#include "context/url_fetch.h"
#include "util/status.h"

namespace distill::context {

struct CopyEnv {
  // Downloads ADD URLs; null means libcurl.
  UrlFetcher* fetcher = nullptr;
};

Status CopyInto(const BuildContext& source, const CopyRequest& request,
                const std::string& dest_rootfs, const CopyEnv& env = {});

}  // namespace distill::context
