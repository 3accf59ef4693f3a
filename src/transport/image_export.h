// Exporters: images from the store into an OCI layout directory, an oci-archive
// (a tar of an OCI layout) or a docker-archive (what `docker save` writes since
// Docker 25: the OCI layout plus manifest.json and repositories, so both
// `docker load`/`podman load` and OCI tools read it).
//
// Blobs are copied as stored (no recompression), so an image saved and loaded
// again keeps its manifest, config and layer digests. Every blob is verified
// against its digest while it is copied.
#pragma once

#include <string>
#include <vector>

#include "store/store.h"
#include "util/status.h"

namespace distill::transport {

enum class ArchiveFormat { kDockerArchive, kOciArchive };

// "docker-archive" / "oci-archive".
Result<ArchiveFormat> ParseArchiveFormat(std::string_view name);

// Annotation keys of index.json entries.
inline constexpr char kRefNameAnnotation[] = "org.opencontainers.image.ref.name";
inline constexpr char kImageNameAnnotation[] = "io.containerd.image.name";

// Writes `images` (names or IDs, as `distill images` shows them) into a tar at `path`.
Status SaveArchive(store::Store& store, const std::vector<std::string>& images,
                   ArchiveFormat format, const std::string& path);

// Adds `image` to the OCI layout directory `dir` (created when missing). Its
// index.json entry carries the tag as org.opencontainers.image.ref.name (what
// `umoci --image DIR:TAG` and `skopeo oci:DIR:TAG` select by) and the full name as
// io.containerd.image.name; an entry with the same tag is replaced.
Status ExportOciLayout(store::Store& store, const std::string& image, const std::string& dir);

// `path` made absolute against the current directory.
std::string AbsolutePath(const std::string& path);

}  // namespace distill::transport
