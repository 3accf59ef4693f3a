#include "transport/image_export.h"

#include <unistd.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "archive/verifying_reader.h"
#include "oci/canonical_json.h"
#include "oci/index.h"
#include "oci/media_types.h"
#include "oci/reference.h"
#include "store/image_store.h"
#include "transport/layout_sink.h"

namespace distill::transport {
namespace {

constexpr char kOciLayoutFile[] = R"({"imageLayoutVersion":"1.0.0"})";

struct NamedImage {
  std::optional<oci::Reference> name;  // absent for an image given by ID
  store::StoredImage image;
};

std::string BlobPath(const oci::Digest& d) {
  return "blobs/" + d.algorithm() + "/" + d.hex();
}

// Copies one store blob into the sink, verified against `d` on the way.
Status CopyBlob(store::Store& store, const oci::Descriptor& d, LayoutSink* sink) {
  DISTILL_ASSIGN_OR_RETURN(auto raw, store.blobs().Open(d.digest));
  archive::VerifyingReader verified(raw.get(), d.digest, "blob " + d.digest.str(),
                                    static_cast<uint64_t>(d.size));
  DISTILL_RETURN_IF_ERROR(sink->AddBlob(d.digest, static_cast<uint64_t>(d.size), &verified));
  // The sink stops after `size` bytes (or skips a blob it has): reading on to the
  // end makes the verifier check the digest either way.
  std::vector<char> buf(1 << 16);
  while (!verified.verified()) {
    DISTILL_ASSIGN_OR_RETURN(size_t n, verified.Read(buf.data(), buf.size()));
    if (n == 0 && !verified.verified()) {
      return Status::Corrupt("blob " + d.digest.str() + " does not match its digest");
    }
  }
  return Status::Ok();
}

Status CopyImageBlobs(store::Store& store, const store::StoredImage& image, LayoutSink* sink) {
  for (const auto& layer : image.manifest.layers)
    DISTILL_RETURN_IF_ERROR(CopyBlob(store, layer, sink));
  DISTILL_RETURN_IF_ERROR(CopyBlob(store, image.manifest.config, sink));
  oci::Descriptor m = oci::DescriptorOf(
      image.manifest.media_type.empty() ? oci::media_type::kOciManifest : image.manifest.media_type,
      image.manifest_bytes);
  return CopyBlob(store, m, sink);
}

oci::Descriptor IndexEntry(const NamedImage& n) {
  const auto& img = n.image;
  oci::Descriptor d = oci::DescriptorOf(
      img.manifest.media_type.empty() ? oci::media_type::kOciManifest : img.manifest.media_type,
      img.manifest_bytes);
  if (n.name) {
    d.annotations[kImageNameAnnotation] = n.name->String();
    d.annotations[kRefNameAnnotation] = n.name->tag();
  }
  return d;
}

Result<NamedImage> Lookup(store::Store& store, const std::string& image) {
  NamedImage n;
  DISTILL_ASSIGN_OR_RETURN(n.image, store::ReadImage(store, image));
  auto ref = oci::Reference::Parse(image);
  // A name that resolved as a tag keeps it; an ID or digest has no name to record.
  if (ref.ok() && !ref->digest() && image.rfind("sha256:", 0) != 0) {
    auto tagged = store.metadata().LookupTag(ref->String());
    if (tagged.ok() && *tagged) n.name = *ref;
  }
  return n;
}

Result<std::string> IndexJson(const std::vector<oci::Descriptor>& entries) {
  oci::Index index;
  index.manifests = entries;
  return oci::SerializeIndex(index);
}

// manifest.json and repositories, as docker save writes them.
Result<std::pair<std::string, std::string>> DockerFiles(const std::vector<NamedImage>& images) {
  nlohmann::json manifest = nlohmann::json::array();
  nlohmann::json repositories = nlohmann::json::object();
  std::map<oci::Digest, size_t> entry_of;
  for (const auto& n : images) {
    const auto& img = n.image;
    auto it = entry_of.find(img.manifest_digest);
    if (it == entry_of.end()) {
      nlohmann::json layers = nlohmann::json::array();
      for (const auto& l : img.manifest.layers) layers.push_back(BlobPath(l.digest));
      nlohmann::json e = {{"Config", BlobPath(img.config_digest)},
                          {"RepoTags", nlohmann::json::array()},
                          {"Layers", layers}};
      it = entry_of.emplace(img.manifest_digest, manifest.size()).first;
      manifest.push_back(e);
    }
    if (n.name) {
      manifest[it->second]["RepoTags"].push_back(n.name->FamiliarString());
      if (!img.config.rootfs.diff_ids.empty()) {
        repositories[n.name->FamiliarName()][n.name->tag()] =
            img.config.rootfs.diff_ids.back().hex();
      }
    }
  }
  DISTILL_ASSIGN_OR_RETURN(std::string m, oci::CanonicalJson(manifest));
  DISTILL_ASSIGN_OR_RETURN(std::string r, oci::CanonicalJson(repositories));
  return std::make_pair(m, r);
}

}  // namespace

std::string AbsolutePath(const std::string& path) {
  if (!path.empty() && path[0] == '/') return path;
  char buf[4096];
  if (::getcwd(buf, sizeof buf) == nullptr) return path;
  std::string p = path;
  while (p.rfind("./", 0) == 0) p = p.substr(2);
  if (p.empty() || p == ".") return buf;
  return JoinPath(buf, p);
}

Result<ArchiveFormat> ParseArchiveFormat(std::string_view name) {
  if (name == "docker-archive" || name == "docker") return ArchiveFormat::kDockerArchive;
  if (name == "oci-archive" || name == "oci") return ArchiveFormat::kOciArchive;
  return Status::Invalid("unknown archive format \"" + std::string(name) +
                         "\": use docker-archive or oci-archive");
}

Status SaveArchive(store::Store& store, const std::vector<std::string>& images,
                   ArchiveFormat format, const std::string& path) {
  if (images.empty()) return Status::Invalid("no image to save");
  std::vector<NamedImage> named;
  for (const auto& i : images) {
    DISTILL_ASSIGN_OR_RETURN(NamedImage n, Lookup(store, i));
    named.push_back(std::move(n));
  }
  std::string out = AbsolutePath(path);
  DISTILL_ASSIGN_OR_RETURN(auto sink, NewTarSink(out));
  std::vector<oci::Descriptor> entries;
  for (const auto& n : named) {
    DISTILL_RETURN_IF_ERROR(CopyImageBlobs(store, n.image, sink.get()).Prefixed(path));
    entries.push_back(IndexEntry(n));
  }
  DISTILL_ASSIGN_OR_RETURN(std::string index, IndexJson(entries));
  DISTILL_RETURN_IF_ERROR(sink->AddFile("index.json", index));
  if (format == ArchiveFormat::kDockerArchive) {
    DISTILL_ASSIGN_OR_RETURN(auto docker, DockerFiles(named));
    DISTILL_RETURN_IF_ERROR(sink->AddFile("manifest.json", docker.first));
    DISTILL_RETURN_IF_ERROR(sink->AddFile("oci-layout", kOciLayoutFile));
    DISTILL_RETURN_IF_ERROR(sink->AddFile("repositories", docker.second));
  } else {
    DISTILL_RETURN_IF_ERROR(sink->AddFile("oci-layout", kOciLayoutFile));
  }
  return sink->Commit();
}

Status ExportOciLayout(store::Store& store, const std::string& image, const std::string& dir) {
  DISTILL_ASSIGN_OR_RETURN(NamedImage n, Lookup(store, image));
  std::string out = AbsolutePath(dir);
  DISTILL_ASSIGN_OR_RETURN(auto sink, NewDirectorySink(out));
  DISTILL_RETURN_IF_ERROR(CopyImageBlobs(store, n.image, sink.get()).Prefixed(dir));
  oci::Descriptor entry = IndexEntry(n);
  std::vector<oci::Descriptor> entries;
  DISTILL_ASSIGN_OR_RETURN(auto existing, sink->ExistingFile("index.json"));
  if (existing) {
    DISTILL_ASSIGN_OR_RETURN(oci::Index old,
                             oci::ParseIndex(*existing, "", JoinPath(dir, "index.json")));
    for (auto& d : old.manifests) {
      auto ref = d.annotations.find(kRefNameAnnotation);
      auto mine = entry.annotations.find(kRefNameAnnotation);
      if (ref != d.annotations.end() && mine != entry.annotations.end() &&
          ref->second == mine->second) {
        continue;  // the same tag now names the new image
      }
      if (d == entry) continue;
      entries.push_back(std::move(d));
    }
  }
  entries.push_back(entry);
  DISTILL_RETURN_IF_ERROR(sink->AddFile("oci-layout", kOciLayoutFile));
  DISTILL_ASSIGN_OR_RETURN(std::string index, IndexJson(entries));
  DISTILL_RETURN_IF_ERROR(sink->AddFile("index.json", index));
  return sink->Commit();
}

}  // namespace distill::transport
