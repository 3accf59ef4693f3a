// Media types of the OCI image spec and of Docker's image manifest v2 schema 2,
// and the mapping between the two families. distill writes OCI by default and
// Docker only on request (for `docker load` and old registries).
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace distill::oci {

namespace media_type {

// OCI image spec v1.1.
inline constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view kOciLayout = "application/vnd.oci.layout.header.v1+json";
inline constexpr std::string_view kOciEmpty = "application/vnd.oci.empty.v1+json";
inline constexpr std::string_view kOciLayerTar = "application/vnd.oci.image.layer.v1.tar";
inline constexpr std::string_view kOciLayerTarGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr std::string_view kOciLayerTarZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
// Non-distributable layers are deprecated by the spec but still read.
inline constexpr std::string_view kOciLayerNondistributableTar =
    "application/vnd.oci.image.layer.nondistributable.v1.tar";
inline constexpr std::string_view kOciLayerNondistributableTarGzip =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
inline constexpr std::string_view kOciLayerNondistributableTarZstd =
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";

// Docker image manifest v2, schema 2.
inline constexpr std::string_view kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr std::string_view kDockerManifestList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr std::string_view kDockerConfig = "application/vnd.docker.container.image.v1+json";
inline constexpr std::string_view kDockerLayerTarGzip =
    "application/vnd.docker.image.rootfs.diff.tar.gzip";
// Uncompressed variants, as containerd names them (rare in registries).
inline constexpr std::string_view kDockerLayerTar = "application/vnd.docker.image.rootfs.diff.tar";
inline constexpr std::string_view kDockerForeignLayerTar =
    "application/vnd.docker.image.rootfs.foreign.diff.tar";
inline constexpr std::string_view kDockerForeignLayerTarGzip =
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
// Schema 1 is only recognised, to be refused with a clear message.
inline constexpr std::string_view kDockerManifestSchema1 =
    "application/vnd.docker.distribution.manifest.v1+json";
inline constexpr std::string_view kDockerManifestSchema1Signed =
    "application/vnd.docker.distribution.manifest.v1+prettyjws";

}  // namespace media_type

// Which spec a document or blob type belongs to.
enum class MediaFamily { kOci, kDocker };

std::string_view MediaFamilyName(MediaFamily family);

// Kinds of things a media type can name.
bool IsManifestMediaType(std::string_view media_type);  // OCI or Docker image manifest
bool IsIndexMediaType(std::string_view media_type);     // OCI index or Docker manifest list
bool IsConfigMediaType(std::string_view media_type);    // OCI or Docker image config
bool IsLayerMediaType(std::string_view media_type);     // any OCI or Docker layer type
bool IsDockerMediaType(std::string_view media_type);
bool IsDockerSchema1MediaType(std::string_view media_type);
// One of the constants above.
bool IsKnownMediaType(std::string_view media_type);

// Compression a layer media type says its blob has.
enum class LayerCompression { kNone, kGzip, kZstd };
// Fails for media types that are not layers.
Result<LayerCompression> LayerCompressionOf(std::string_view media_type);

// Syntax check of RFC 6838 "type/subtype" (parameters are not allowed in a
// descriptor's mediaType). Unknown but well-formed types are passed through.
bool IsWellFormedMediaType(std::string_view media_type);

// The strip of a Content-Type header down to its media type: no parameters,
// no surrounding spaces, lowercase.
std::string MediaTypeFromContentType(std::string_view content_type);

// Maps a manifest, index, config or layer media type to the other family.
// Types that already belong to `to`, and types neither family defines
// (artifacts), are returned unchanged. Fails for types the target family
// cannot express (zstd layers in Docker, for example).
Result<std::string> ConvertMediaType(std::string_view media_type, MediaFamily to);

}  // namespace distill::oci
