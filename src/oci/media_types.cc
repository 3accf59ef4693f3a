#include "oci/media_types.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace distill::oci {
namespace {

namespace mt = media_type;

// OCI ↔ Docker pairs. Both directions read this one table, so the mapping is
// symmetric by construction.
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kOciDockerPairs = {{
    {mt::kOciManifest, mt::kDockerManifest},
    {mt::kOciIndex, mt::kDockerManifestList},
    {mt::kOciConfig, mt::kDockerConfig},
    {mt::kOciLayerTar, mt::kDockerLayerTar},
    {mt::kOciLayerTarGzip, mt::kDockerLayerTarGzip},
    {mt::kOciLayerNondistributableTar, mt::kDockerForeignLayerTar},
    {mt::kOciLayerNondistributableTarGzip, mt::kDockerForeignLayerTarGzip},
}};

constexpr std::array<std::string_view, 6> kOciLayers = {
    mt::kOciLayerTar,
    mt::kOciLayerTarGzip,
    mt::kOciLayerTarZstd,
    mt::kOciLayerNondistributableTar,
    mt::kOciLayerNondistributableTarGzip,
    mt::kOciLayerNondistributableTarZstd,
};

constexpr std::array<std::string_view, 4> kDockerLayers = {
    mt::kDockerLayerTar,
    mt::kDockerLayerTarGzip,
    mt::kDockerForeignLayerTar,
    mt::kDockerForeignLayerTarGzip,
};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& set, std::string_view v) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

// RFC 6838 restricted-name characters (after the first, which must be alnum).
bool IsRestrictedNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '!' || c == '#' || c == '$' ||
         c == '&' || c == '-' || c == '^' || c == '_' || c == '.' || c == '+';
}

bool IsRestrictedName(std::string_view s) {
  if (s.empty() || s.size() > 127) return false;
  if (!std::isalnum(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), IsRestrictedNameChar);
}

}  // namespace

std::string_view MediaFamilyName(MediaFamily family) {
  return family == MediaFamily::kOci ? "OCI" : "Docker";
}

bool IsManifestMediaType(std::string_view m) {
  return m == mt::kOciManifest || m == mt::kDockerManifest;
}

bool IsIndexMediaType(std::string_view m) {
  return m == mt::kOciIndex || m == mt::kDockerManifestList;
}

bool IsConfigMediaType(std::string_view m) {
  return m == mt::kOciConfig || m == mt::kDockerConfig;
}

bool IsLayerMediaType(std::string_view m) {
  return Contains(kOciLayers, m) || Contains(kDockerLayers, m);
}

bool IsDockerSchema1MediaType(std::string_view m) {
  return m == mt::kDockerManifestSchema1 || m == mt::kDockerManifestSchema1Signed;
}

bool IsDockerMediaType(std::string_view m) {
  return m == mt::kDockerManifest || m == mt::kDockerManifestList || m == mt::kDockerConfig ||
         Contains(kDockerLayers, m) || IsDockerSchema1MediaType(m);
}

bool IsKnownMediaType(std::string_view m) {
  return IsManifestMediaType(m) || IsIndexMediaType(m) || IsConfigMediaType(m) ||
         IsLayerMediaType(m) || IsDockerSchema1MediaType(m) || m == mt::kOciLayout ||
         m == mt::kOciEmpty;
}

Result<LayerCompression> LayerCompressionOf(std::string_view m) {
  if (!IsLayerMediaType(m)) {
    return Status::Invalid("media type \"" + std::string(m) + "\" is not a layer media type");
  }
  auto ends_with = [&](std::string_view suffix) { return m.ends_with(suffix); };
  if (ends_with("+gzip") || ends_with(".gzip")) return LayerCompression::kGzip;
  if (ends_with("+zstd")) return LayerCompression::kZstd;
  return LayerCompression::kNone;
}

bool IsWellFormedMediaType(std::string_view m) {
  size_t slash = m.find('/');
  if (slash == std::string_view::npos) return false;
  return IsRestrictedName(m.substr(0, slash)) && IsRestrictedName(m.substr(slash + 1));
}

std::string MediaTypeFromContentType(std::string_view content_type) {
  std::string_view s = content_type.substr(0, content_type.find(';'));
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Result<std::string> ConvertMediaType(std::string_view m, MediaFamily to) {
  for (const auto& [oci, docker] : kOciDockerPairs) {
    if (m == oci || m == docker) return std::string(to == MediaFamily::kOci ? oci : docker);
  }
  bool is_oci_zstd = m == mt::kOciLayerTarZstd || m == mt::kOciLayerNondistributableTarZstd;
  if (is_oci_zstd && to == MediaFamily::kDocker) {
    return Status::Invalid("media type \"" + std::string(m) +
                           "\" has no Docker equivalent (Docker schema 2 has no zstd layers); "
                           "recompress the layer with gzip or write an OCI image");
  }
  if (IsDockerSchema1MediaType(m)) {
    return Status::Invalid("Docker schema 1 media type \"" + std::string(m) +
                           "\" cannot be converted; schema 1 is not supported");
  }
  return std::string(m);
}

}  // namespace distill::oci
