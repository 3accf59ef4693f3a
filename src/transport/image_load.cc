#include "transport/image_load.h"

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "archive/decompress.h"
#include "archive/hashing_writer.h"
#include "archive/tar_reader.h"
#include "archive/verifying_reader.h"
#include "oci/canonical_json.h"
#include "oci/index.h"
#include "oci/platform.h"
#include "oci/reference.h"
#include "store/image_store.h"
#include "transport/image_export.h"
#include "util/file_system.h"

namespace distill::transport {
namespace {

constexpr uint64_t kMaxDocumentSize = 8 << 20;

struct StoredFile {
  oci::Digest digest;
  uint64_t size = 0;
};

// What a source gives the interpreter: its small root documents and a way to get
// the blob behind a path (or digest) into the store.
struct Source {
  std::string name;  // the path, for errors
  std::map<std::string, std::string> documents;
  // Makes sure blobs/<alg>/<hex> (or another file of the source) is in the store.
  std::function<Result<StoredFile>(const std::string& path)> store_file;
};

std::string BlobPath(const oci::Digest& d) {
  return "blobs/" + d.algorithm() + "/" + d.hex();
}

std::optional<oci::Digest> DigestOfBlobPath(std::string_view path) {
  if (path.rfind("blobs/", 0) != 0) return std::nullopt;
  std::string_view rest = path.substr(6);
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto d = oci::Digest::Parse(std::string(rest.substr(0, slash)) + ":" +
                              std::string(rest.substr(slash + 1)));
  if (!d.ok()) return std::nullopt;
  return *d;
}

std::string CleanPath(std::string p) {
  while (p.rfind("./", 0) == 0) p = p.substr(2);
  while (!p.empty() && p[0] == '/') p = p.substr(1);
  return p;
}

// Streams `in` into the store; with `expected`, the blob must match it.
Result<StoredFile> PutStream(store::Store& store, Reader* in,
                             const std::optional<oci::Digest>& expected, const std::string& what) {
  DISTILL_ASSIGN_OR_RETURN(auto writer, store.blobs().NewWriter());
  std::vector<char> buf(1 << 20);
  while (true) {
    DISTILL_ASSIGN_OR_RETURN(size_t n, in->Read(buf.data(), buf.size()));
    if (n == 0) break;
    DISTILL_RETURN_IF_ERROR(writer->Write(buf.data(), n));
  }
  uint64_t size = writer->size();
  auto digest = writer->Commit(expected);
  if (!digest.ok()) return digest.status().Prefixed(what);
  return StoredFile{*digest, size};
}

// ---- sources ------------------------------------------------------------------------

Result<Source> ReadTarSource(store::Store& store, const std::string& path) {
  Source src;
  src.name = path;
  DISTILL_ASSIGN_OR_RETURN(auto file, DefaultFileSystem()->OpenForRead(AbsolutePath(path)));
  auto plain = archive::NewDecompressor(file.get(), path);
  archive::TarReader tar(plain.get(), path);
  auto files = std::make_shared<std::map<std::string, StoredFile>>();
  archive::TarEntry e;
  while (true) {
    DISTILL_ASSIGN_OR_RETURN(bool more, tar.Next(&e));
    if (!more) break;
    if (e.type != archive::TarEntryType::kFile) continue;
    std::string name = CleanPath(e.path);
    auto blob_digest = DigestOfBlobPath(name);
    // Small JSON documents are kept for interpretation; everything else (layers in
    // any layout) streams into the blob store.
    bool json = name.size() >= 5 && name.compare(name.size() - 5, 5, ".json") == 0;
    size_t slash = name.rfind('/');
    std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
    bool document = !blob_digest && e.size <= kMaxDocumentSize &&
                    (json || base == "oci-layout" || base == "repositories" || base == "json" ||
                     base == "VERSION");
    if (document) {
      std::string data(e.size, '\0');
      size_t got = 0;
      while (got < data.size()) {
        DISTILL_ASSIGN_OR_RETURN(size_t n, tar.ReadContent(data.data() + got, data.size() - got));
        if (n == 0) break;
        got += n;
      }
      src.documents[name] = std::move(data);
      continue;
    }
    auto stored = PutStream(store, tar.content(), blob_digest, path + ": " + name);
    if (!stored.ok()) return stored.status();
    (*files)[name] = *stored;
  }
  src.store_file = [files, &store, path](const std::string& name) -> Result<StoredFile> {
    std::string clean = CleanPath(name);
    auto it = files->find(clean);
    if (it != files->end()) return it->second;
    // Small blobs (configs, manifests) were read as documents: publish them now.
    return Status::NotFound(path + ": " + clean + " missing");
  };
  return src;
}

Result<Source> ReadDirectorySource(store::Store& store, const std::string& dir) {
  Source src;
  src.name = dir;
  std::string root = AbsolutePath(dir);
  FileSystem* fs = DefaultFileSystem();
  for (const char* doc : {"index.json", "manifest.json", "oci-layout"}) {
    std::string p = JoinPath(root, doc);
    if (!fs->Exists(p)) continue;
    DISTILL_ASSIGN_OR_RETURN(src.documents[doc], fs->ReadFile(p));
  }
  src.store_file = [&store, root, dir, fs](const std::string& name) -> Result<StoredFile> {
    std::string clean = CleanPath(name);
    if (clean.find("..") != std::string::npos) {
      return Status::Invalid(dir + ": path " + clean + " leaves the layout");
    }
    auto d = DigestOfBlobPath(clean);
    if (d && store.blobs().Exists(*d)) {
      DISTILL_ASSIGN_OR_RETURN(uint64_t size, store.blobs().Stat(*d));
      return StoredFile{*d, size};
    }
    auto in = fs->OpenForRead(JoinPath(root, clean));
    if (!in.ok()) return Status::NotFound(dir + ": " + clean + " missing");
    return PutStream(store, in->get(), d, dir + ": " + clean);
  };
  return src;
}

// ---- interpretation -------------------------------------------------------------------

// A candidate image, verified before anything is tagged.
struct Candidate {
  // OCI: the manifest is stored as is. Docker: a manifest is written from these.
  std::optional<oci::Digest> manifest;
  std::string config_bytes;
  std::vector<oci::Descriptor> layers;
  std::vector<std::string> names;
};

Result<StoredFile> BlobOf(Source& src, const oci::Digest& d, const std::string& what) {
  auto f = src.store_file(BlobPath(d));
  if (!f.ok()) {
    return Status::NotFound(src.name + ": " + what + " " + BlobPath(d) + " missing");
  }
  return f;
}

// Publishes the documents that are blobs (small configs and manifests live there).
Status PublishDocumentBlobs(store::Store& store, Source& src) {
  for (const auto& [name, data] : src.documents) {
    auto d = DigestOfBlobPath(name);
    if (!d) continue;
    auto put = store.blobs().Put(data, *d);
    if (!put.ok()) return put.status().Prefixed(src.name + ": " + name);
  }
  auto fallback = src.store_file;
  src.store_file = [fallback, &store, &src](const std::string& name) -> Result<StoredFile> {
    auto d = DigestOfBlobPath(CleanPath(name));
    if (d && src.documents.count(CleanPath(name))) {
      return StoredFile{*d, src.documents[CleanPath(name)].size()};
    }
    (void)store;
    return fallback(name);
  };
  return Status::Ok();
}

Result<oci::Digest> DiffIdOf(store::Store& store, const oci::Descriptor& layer) {
  DISTILL_ASSIGN_OR_RETURN(auto tar, store::OpenLayerTar(store, layer));
  archive::HashingWriter hash(nullptr);
  std::vector<char> buf(1 << 20);
  while (true) {
    DISTILL_ASSIGN_OR_RETURN(size_t n, tar->Read(buf.data(), buf.size()));
    if (n == 0) break;
    DISTILL_RETURN_IF_ERROR(hash.Write(buf.data(), n));
  }
  DISTILL_RETURN_IF_ERROR(hash.Close());
  return hash.digest();
}

// Compression of a stored blob, by its magic bytes.
Result<archive::CompressionFormat> FormatOf(store::Store& store, const oci::Digest& d) {
  DISTILL_ASSIGN_OR_RETURN(auto r, store.blobs().Open(d));
  std::array<char, archive::kMaxMagicSize> magic{};
  size_t got = 0;
  while (got < magic.size()) {
    DISTILL_ASSIGN_OR_RETURN(size_t n, r->Read(magic.data() + got, magic.size() - got));
    if (n == 0) break;
    got += n;
  }
  return archive::DetectCompression(std::string_view(magic.data(), got));
}

Status VerifyCandidate(store::Store& store, const Source& src, const Candidate& c) {
  DISTILL_ASSIGN_OR_RETURN(oci::ImageConfig config,
                           oci::ParseImageConfig(c.config_bytes, src.name));
  if (config.rootfs.diff_ids.size() != c.layers.size()) {
    return Status::Corrupt(src.name + ": image has " + std::to_string(c.layers.size()) +
                           " layers but its config lists " +
                           std::to_string(config.rootfs.diff_ids.size()) + " diff_ids");
  }
  for (size_t i = 0; i < c.layers.size(); ++i) {
    auto diff_id = DiffIdOf(store, c.layers[i]);
    if (!diff_id.ok()) return diff_id.status().Prefixed(src.name);
    if (*diff_id != config.rootfs.diff_ids[i]) {
      return Status::Corrupt(src.name + ": layer " + BlobPath(c.layers[i].digest) +
                             ": diffID mismatch: content is " + diff_id->str() + ", config says " +
                             config.rootfs.diff_ids[i].str());
    }
  }
  return Status::Ok();
}

// Names an index entry carries: the full name, or a ref.name that is one.
std::vector<std::string> NamesOf(const oci::Descriptor& d) {
  auto full = d.annotations.find(kImageNameAnnotation);
  if (full != d.annotations.end()) return {full->second};
  auto ref = d.annotations.find(kRefNameAnnotation);
  if (ref != d.annotations.end() && ref->second.find_first_of("/:") != std::string::npos) {
    return {ref->second};
  }
  return {};
}

Result<std::vector<Candidate>> FromIndex(store::Store& store, Source& src) {
  std::string where = src.name + ": index.json";
  DISTILL_ASSIGN_OR_RETURN(oci::Index index,
                           oci::ParseIndex(src.documents["index.json"], "", where));
  std::vector<Candidate> out;
  for (const auto& entry : index.manifests) {
    oci::Descriptor desc = entry;
    if (oci::IsIndexMediaType(desc.media_type)) {
      DISTILL_RETURN_IF_ERROR(BlobOf(src, desc.digest, "index").status());
      DISTILL_ASSIGN_OR_RETURN(std::string bytes, store.blobs().ReadAll(desc.digest));
      DISTILL_RETURN_IF_ERROR(oci::VerifyBlob(bytes, desc, where));
      DISTILL_ASSIGN_OR_RETURN(oci::Index child, oci::ParseIndex(bytes, "", where));
      DISTILL_ASSIGN_OR_RETURN(desc, oci::SelectPlatform(child, oci::HostPlatform()));
    }
    if (!oci::IsManifestMediaType(desc.media_type)) continue;  // artifacts, attestations
    DISTILL_RETURN_IF_ERROR(BlobOf(src, desc.digest, "manifest").status());
    DISTILL_ASSIGN_OR_RETURN(std::string bytes, store.blobs().ReadAll(desc.digest));
    DISTILL_RETURN_IF_ERROR(oci::VerifyBlob(bytes, desc, where + " manifest"));
    DISTILL_ASSIGN_OR_RETURN(oci::Manifest m, oci::ParseManifest(bytes, "", where));
    Candidate c;
    c.manifest = desc.digest;
    DISTILL_RETURN_IF_ERROR(BlobOf(src, m.config.digest, "config").status());
    DISTILL_ASSIGN_OR_RETURN(c.config_bytes, store.blobs().ReadAll(m.config.digest));
    DISTILL_RETURN_IF_ERROR(oci::VerifyBlob(c.config_bytes, m.config, where + " config"));
    for (const auto& l : m.layers) {
      DISTILL_ASSIGN_OR_RETURN(StoredFile f, BlobOf(src, l.digest, "layer"));
      if (f.size != static_cast<uint64_t>(l.size)) {
        return Status::Corrupt(where + ": layer " + BlobPath(l.digest) + " has " +
                               std::to_string(f.size) + " bytes, manifest says " +
                               std::to_string(l.size));
      }
    }
    c.layers = m.layers;
    c.names = NamesOf(entry);
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<Candidate>> FromDockerManifest(store::Store& store, Source& src) {
  std::string where = src.name + ": manifest.json";
  DISTILL_ASSIGN_OR_RETURN(nlohmann::json doc,
                           oci::ParseJson(src.documents["manifest.json"], where));
  if (!doc.is_array()) return Status::Corrupt(where + ": not a JSON array");
  std::vector<Candidate> out;
  for (const auto& entry : doc) {
    if (!entry.is_object() || !entry.contains("Config") || !entry["Config"].is_string() ||
        !entry.contains("Layers") || !entry["Layers"].is_array()) {
      return Status::Corrupt(where + ": each entry needs Config (string) and Layers (array)");
    }
    Candidate c;
    std::string config_path = CleanPath(entry["Config"].get<std::string>());
    auto doc_it = src.documents.find(config_path);
    if (doc_it != src.documents.end()) {
      c.config_bytes = doc_it->second;
    } else {
      auto f = src.store_file(config_path);
      if (!f.ok()) return Status::NotFound(where + ": config " + config_path + " missing");
      DISTILL_ASSIGN_OR_RETURN(c.config_bytes, store.blobs().ReadAll(f->digest));
    }
    for (const auto& layer : entry["Layers"]) {
      if (!layer.is_string()) return Status::Corrupt(where + ": Layers must be strings");
      std::string lp = CleanPath(layer.get<std::string>());
      auto f = src.store_file(lp);
      if (!f.ok()) return Status::NotFound(where + ": layer " + lp + " missing");
      DISTILL_ASSIGN_OR_RETURN(auto format, FormatOf(store, f->digest));
      oci::Descriptor d;
      d.digest = f->digest;
      d.size = static_cast<int64_t>(f->size);
      switch (format) {
        case archive::CompressionFormat::kNone:
          d.media_type = oci::media_type::kOciLayerTar;
          break;
        case archive::CompressionFormat::kGzip:
          d.media_type = oci::media_type::kOciLayerTarGzip;
          break;
        case archive::CompressionFormat::kZstd:
          d.media_type = oci::media_type::kOciLayerTarZstd;
          break;
        default:
          return Status::Invalid(where + ": layer " + lp + " is " +
                                 std::string(archive::CompressionFormatName(format)) +
                                 "-compressed, which image layers cannot be");
      }
      c.layers.push_back(d);
    }
    if (entry.contains("RepoTags") && entry["RepoTags"].is_array()) {
      for (const auto& t : entry["RepoTags"]) {
        if (t.is_string()) c.names.push_back(t.get<std::string>());
      }
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace

Result<std::vector<LoadedImage>> LoadImages(store::Store& store, const std::string& path,
                                            const LoadOptions& options) {
  auto info = DefaultFileSystem()->Stat(AbsolutePath(path));
  if (!info.ok()) return Status::NotFound(path + ": no such file or directory");
  Source src;
  if (info->is_directory) {
    DISTILL_ASSIGN_OR_RETURN(src, ReadDirectorySource(store, path));
  } else {
    DISTILL_ASSIGN_OR_RETURN(src, ReadTarSource(store, path));
    DISTILL_RETURN_IF_ERROR(PublishDocumentBlobs(store, src));
  }
  std::vector<Candidate> candidates;
  if (src.documents.count("index.json")) {
    DISTILL_ASSIGN_OR_RETURN(candidates, FromIndex(store, src));
    // Docker's archives name images in manifest.json; index entries may carry only a tag.
    if (src.documents.count("manifest.json")) {
      DISTILL_ASSIGN_OR_RETURN(auto docker, FromDockerManifest(store, src));
      for (auto& c : candidates) {
        if (!c.names.empty()) continue;
        for (const auto& d : docker) {
          if (oci::Digest::Of(d.config_bytes) == oci::Digest::Of(c.config_bytes)) c.names = d.names;
        }
      }
    }
  } else if (src.documents.count("manifest.json")) {
    DISTILL_ASSIGN_OR_RETURN(candidates, FromDockerManifest(store, src));
  } else {
    return Status::Invalid(path +
                           ": neither index.json nor manifest.json: not an OCI layout, "
                           "oci-archive or docker-archive");
  }
  if (candidates.empty()) return Status::Invalid(path + ": contains no image");
  for (auto& c : candidates) {
    if (!options.name.empty() && (c.names.empty() || candidates.size() == 1)) {
      c.names.push_back(options.name);
    }
    for (auto& n : c.names) {
      DISTILL_ASSIGN_OR_RETURN(n, store::NormalizeImageName(n));
    }
    DISTILL_RETURN_IF_ERROR(VerifyCandidate(store, src, c));
  }
  // Everything checked: now record and tag.
  std::vector<LoadedImage> loaded;
  for (const auto& c : candidates) {
    LoadedImage li;
    li.names = c.names;
    if (c.manifest) {
      li.manifest = *c.manifest;
      DISTILL_ASSIGN_OR_RETURN(store::StoredImage img,
                               store::ReadImageByDigest(store, *c.manifest, path));
      auto refs = store::ManifestRefs(img.manifest);
      DISTILL_RETURN_IF_ERROR(store.RecordManifest(li.manifest, refs));
      for (const auto& n : c.names) DISTILL_RETURN_IF_ERROR(store.Tag(n, li.manifest, refs));
    } else {
      store::WriteImageOptions wo;
      wo.tags = c.names;
      DISTILL_ASSIGN_OR_RETURN(li.manifest, store::WriteImage(store, c.config_bytes, c.layers, wo));
    }
    loaded.push_back(std::move(li));
  }
  return loaded;
}

}  // namespace distill::transport
