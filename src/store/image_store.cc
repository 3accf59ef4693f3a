#include "store/image_store.h"

#include <utility>

#include "archive/decompress.h"
#include "archive/verifying_reader.h"
#include "oci/reference.h"

namespace distill::store {
namespace {

bool LooksLikeDigest(std::string_view s) {
  return s.rfind("sha256:", 0) == 0;
}

// A VerifyingReader that owns the stream it checks.
class OwningVerifyingReader : public Reader {
 public:
  OwningVerifyingReader(std::unique_ptr<Reader> source, const oci::Descriptor& d, std::string name)
      : source_(std::move(source)),
        verifier_(source_.get(), d.digest, std::move(name), static_cast<uint64_t>(d.size)) {}
  Result<size_t> Read(void* buf, size_t len) override { return verifier_.Read(buf, len); }

 private:
  std::unique_ptr<Reader> source_;
  archive::VerifyingReader verifier_;
};

// A decompressor that owns its source.
class OwningDecompressor : public Reader {
 public:
  OwningDecompressor(std::unique_ptr<Reader> source, std::string name)
      : source_(std::move(source)), decompressor_(archive::NewDecompressor(source_.get(), name)) {}
  Result<size_t> Read(void* buf, size_t len) override { return decompressor_->Read(buf, len); }

 private:
  std::unique_ptr<Reader> source_;
  std::unique_ptr<Reader> decompressor_;
};

std::string_view ConfigMediaType(oci::MediaFamily family) {
  return family == oci::MediaFamily::kDocker ? oci::media_type::kDockerConfig
                                             : oci::media_type::kOciConfig;
}

}  // namespace

Result<std::string> NormalizeImageName(std::string_view name) {
  DISTILL_ASSIGN_OR_RETURN(oci::Reference ref, oci::Reference::Parse(name));
  if (ref.digest()) {
    return Status::Invalid("\"" + std::string(name) +
                           "\": a tag name cannot contain a digest (@sha256:...)");
  }
  return ref.String();
}

Result<oci::Digest> ResolveImage(Store& store, std::string_view name_or_digest) {
  if (name_or_digest.empty()) return Status::Invalid("empty image name");
  if (LooksLikeDigest(name_or_digest)) return store.Resolve(name_or_digest);
  // A name as typed ("python:3.9") is looked up in its normalised form first; a
  // name that does not parse may still be an image ID prefix or a raw tag.
  auto ref = oci::Reference::Parse(name_or_digest);
  if (ref.ok()) {
    if (ref->digest()) {
      auto by_digest = store.Resolve(ref->digest()->str());
      if (by_digest.ok()) return by_digest;
      return Status::NotFound("no such image: " + std::string(name_or_digest));
    }
    auto tagged = store.metadata().LookupTag(ref->String());
    if (!tagged.ok()) return tagged.status();
    if (*tagged) return **tagged;
  }
  auto resolved = store.Resolve(name_or_digest);
  if (!resolved.ok() && resolved.status().code() == Status::Code::kNotFound) {
    return Status::NotFound("no such image: " + std::string(name_or_digest));
  }
  return resolved;
}

Result<StoredImage> ReadImageByDigest(Store& store, const oci::Digest& manifest,
                                      std::string_view name) {
  std::string image = "image " + std::string(name);
  StoredImage out;
  out.manifest_digest = manifest;
  auto manifest_bytes = store.blobs().ReadAll(manifest);
  if (!manifest_bytes.ok()) {
    return manifest_bytes.status().Prefixed(image + ": manifest " + manifest.str());
  }
  out.manifest_bytes = std::move(*manifest_bytes);
  if (oci::Digest::Of(out.manifest_bytes) != manifest) {
    return Status::Corrupt(image + ": manifest blob " + manifest.str() +
                           " does not match its digest (run distill fsck)");
  }
  DISTILL_ASSIGN_OR_RETURN(out.manifest,
                           oci::ParseManifest(out.manifest_bytes, "", image + " manifest"));
  out.config_digest = out.manifest.config.digest;
  auto config_bytes = store.blobs().ReadAll(out.config_digest);
  if (!config_bytes.ok()) {
    return config_bytes.status().Prefixed(image + ": config " + out.config_digest.str());
  }
  out.config_bytes = std::move(*config_bytes);
  DISTILL_RETURN_IF_ERROR(
      oci::VerifyBlob(out.config_bytes, out.manifest.config, image + " config"));
  DISTILL_ASSIGN_OR_RETURN(out.config, oci::ParseImageConfig(out.config_bytes, image));
  return out;
}

Result<StoredImage> ReadImage(Store& store, std::string_view name_or_digest) {
  DISTILL_ASSIGN_OR_RETURN(oci::Digest digest, ResolveImage(store, name_or_digest));
  return ReadImageByDigest(store, digest, name_or_digest);
}

Result<std::vector<ImageLayer>> LayersOf(const StoredImage& image) {
  const auto& layers = image.manifest.layers;
  const auto& diff_ids = image.config.rootfs.diff_ids;
  if (layers.size() != diff_ids.size()) {
    return Status::Corrupt("image " + image.manifest_digest.str() + ": manifest has " +
                           std::to_string(layers.size()) + " layers but config has " +
                           std::to_string(diff_ids.size()) + " rootfs.diff_ids");
  }
  std::vector<ImageLayer> out;
  out.reserve(layers.size());
  for (size_t i = 0; i < layers.size(); ++i) out.push_back({layers[i], diff_ids[i]});
  return out;
}

std::vector<oci::Digest> ManifestRefs(const oci::Manifest& manifest) {
  std::vector<oci::Digest> refs;
  refs.push_back(manifest.config.digest);
  for (const auto& l : manifest.layers) refs.push_back(l.digest);
  return refs;
}

Status TagImage(Store& store, std::string_view name, const oci::Digest& manifest) {
  DISTILL_ASSIGN_OR_RETURN(std::string normalized, NormalizeImageName(name));
  DISTILL_ASSIGN_OR_RETURN(StoredImage image, ReadImageByDigest(store, manifest, manifest.str()));
  return store.Tag(normalized, manifest, ManifestRefs(image.manifest));
}

Result<oci::Digest> WriteImage(Store& store, std::string_view config_bytes,
                               const std::vector<oci::Descriptor>& layers,
                               const WriteImageOptions& options) {
  DISTILL_ASSIGN_OR_RETURN(oci::ImageConfig config,
                           oci::ParseImageConfig(config_bytes, "being written"));
  if (config.rootfs.diff_ids.size() != layers.size()) {
    return Status::Invalid("image config has " + std::to_string(config.rootfs.diff_ids.size()) +
                           " rootfs.diff_ids but the image has " + std::to_string(layers.size()) +
                           " layers");
  }
  std::vector<std::string> names;
  for (const auto& t : options.tags) {
    DISTILL_ASSIGN_OR_RETURN(std::string n, NormalizeImageName(t));
    names.push_back(std::move(n));
  }
  oci::Manifest manifest;
  manifest.media_type = options.family == oci::MediaFamily::kDocker
                            ? std::string(oci::media_type::kDockerManifest)
                            : std::string(oci::media_type::kOciManifest);
  manifest.config = oci::DescriptorOf(ConfigMediaType(options.family), config_bytes);
  for (const auto& layer : layers) {
    if (!store.blobs().Exists(layer.digest)) {
      return Status::NotFound("layer " + layer.digest.str() + " is not in the store");
    }
    oci::Descriptor d = layer;
    DISTILL_ASSIGN_OR_RETURN(d.media_type, oci::ConvertMediaType(layer.media_type, options.family));
    manifest.layers.push_back(std::move(d));
  }
  if (options.family == oci::MediaFamily::kOci) manifest.annotations = options.annotations;
  DISTILL_ASSIGN_OR_RETURN(std::string manifest_bytes, oci::SerializeManifest(manifest));

  DISTILL_RETURN_IF_ERROR(store.blobs().Put(config_bytes).status());
  DISTILL_ASSIGN_OR_RETURN(oci::Digest digest, store.blobs().Put(manifest_bytes));
  std::vector<oci::Digest> refs = ManifestRefs(manifest);
  if (names.empty()) {
    DISTILL_RETURN_IF_ERROR(store.RecordManifest(digest, refs));
  }
  for (const auto& n : names) DISTILL_RETURN_IF_ERROR(store.Tag(n, digest, refs));
  return digest;
}

Result<oci::Digest> WriteImage(Store& store, const oci::ImageConfig& config,
                               const std::vector<oci::Descriptor>& layers,
                               const WriteImageOptions& options) {
  DISTILL_ASSIGN_OR_RETURN(std::string bytes, oci::SerializeImageConfig(config));
  return WriteImage(store, bytes, layers, options);
}

Result<std::unique_ptr<Reader>> OpenLayer(Store& store, const oci::Descriptor& layer) {
  DISTILL_ASSIGN_OR_RETURN(auto raw, store.blobs().Open(layer.digest));
  std::unique_ptr<Reader> r =
      std::make_unique<OwningVerifyingReader>(std::move(raw), layer, "layer " + layer.digest.str());
  return r;
}

Result<std::unique_ptr<Reader>> OpenLayerTar(Store& store, const oci::Descriptor& layer) {
  DISTILL_ASSIGN_OR_RETURN(auto blob, OpenLayer(store, layer));
  std::unique_ptr<Reader> r =
      std::make_unique<OwningDecompressor>(std::move(blob), "layer " + layer.digest.str());
  return r;
}

}  // namespace distill::store
