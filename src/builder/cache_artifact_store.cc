#include "builder/cache_artifact_store.h"

#include <mutex>
#include <vector>

#include "builder/cache_artifact.h"
#include "oci/index.h"
#include "transport/image_export.h"
#include "transport/layout_sink.h"
#include "util/file_system.h"

namespace distill::builder {

namespace {

// The tag the cache manifest carries in index.json.
constexpr char kCacheTag[] = "cache";

class CacheDirectory : public CacheArtifactStore {
 public:
  explicit CacheDirectory(std::string dir) : dir_(std::move(dir)), fs_(DefaultFileSystem()) {}

  std::string Describe() const override { return "cache directory " + dir_; }

  Status PutBlob(const oci::Descriptor& d, const BlobOpener& open) override {
    DISTILL_ASSIGN_OR_RETURN(transport::LayoutSink * sink, Sink());
    DISTILL_ASSIGN_OR_RETURN(auto content, open());
    return sink->AddBlob(d.digest, static_cast<uint64_t>(d.size), content.get())
        .Prefixed(Describe());
  }

  Status FetchBlob(const oci::Descriptor& d, Writer* out) override {
    const std::string path = BlobPath(d.digest);
    if (!fs_->Exists(path)) {
      return Status::NotFound(Describe() + " has no blob " + d.digest.str() +
                              " (the cache is incomplete; export it again with --cache-to)");
    }
    DISTILL_ASSIGN_OR_RETURN(auto in, fs_->OpenForRead(path));
    std::vector<char> buf(256 << 10);
    uint64_t copied = 0;
    while (copied <= static_cast<uint64_t>(d.size)) {
      DISTILL_ASSIGN_OR_RETURN(size_t n, in->Read(buf.data(), buf.size()));
      if (n == 0) break;
      copied += n;
      DISTILL_RETURN_IF_ERROR(out->Write(buf.data(), n));
    }
    return Status::Ok();
  }

  Status PutManifest(const oci::Descriptor& d, std::string_view bytes) override {
    DISTILL_ASSIGN_OR_RETURN(transport::LayoutSink * sink, Sink());
    StringReader manifest{std::string(bytes)};
    DISTILL_RETURN_IF_ERROR(sink->AddBlob(d.digest, bytes.size(), &manifest).Prefixed(Describe()));
    oci::Index index;
    oci::Descriptor entry = d;
    entry.artifact_type = std::string(kCacheArtifactType);
    entry.annotations[transport::kRefNameAnnotation] = kCacheTag;
    index.manifests.push_back(std::move(entry));
    DISTILL_ASSIGN_OR_RETURN(std::string index_json, oci::SerializeIndex(index));
    DISTILL_RETURN_IF_ERROR(sink->AddFile("oci-layout", R"({"imageLayoutVersion":"1.0.0"})"));
    // index.json last: until it is renamed in, the previous cache stays whole.
    DISTILL_RETURN_IF_ERROR(sink->AddFile("index.json", index_json));
    return sink->Commit().Prefixed(Describe());
  }

  Result<std::optional<ManifestBytes>> GetManifest() override {
    const std::string index_path = JoinPath(dir_, "index.json");
    if (!fs_->Exists(index_path)) return std::optional<ManifestBytes>();
    DISTILL_ASSIGN_OR_RETURN(std::string index_json, fs_->ReadFile(index_path));
    DISTILL_ASSIGN_OR_RETURN(oci::Index index, oci::ParseIndex(index_json, "", index_path));
    const oci::Descriptor* found = nullptr;
    for (const oci::Descriptor& d : index.manifests) {
      auto tag = d.annotations.find(transport::kRefNameAnnotation);
      if (d.artifact_type == kCacheArtifactType ||
          (tag != d.annotations.end() && tag->second == kCacheTag)) {
        found = &d;
        break;
      }
    }
    if (found == nullptr) {
      return Status::Invalid(index_path + " names no distill build cache (want an entry with " +
                             "artifactType " + std::string(kCacheArtifactType) + ")");
    }
    const std::string path = BlobPath(found->digest);
    if (!fs_->Exists(path)) {
      return Status::NotFound(Describe() + ": the cache manifest " + found->digest.str() +
                              " is missing (export the cache again)");
    }
    DISTILL_ASSIGN_OR_RETURN(std::string bytes, fs_->ReadFile(path));
    return std::optional<ManifestBytes>(ManifestBytes{found->digest, found->media_type, bytes});
  }

 private:
  std::string BlobPath(const oci::Digest& d) const {
    return JoinPath(dir_, "blobs/" + d.algorithm() + "/" + d.hex());
  }
  // The directory is created on the first write only: reading never makes it.
  Result<transport::LayoutSink*> Sink() {
    std::lock_guard<std::mutex> lock(mu_);
    if (!sink_) {
      auto sink = transport::NewDirectorySink(dir_);
      if (!sink.ok()) return sink.status().Prefixed(Describe());
      sink_ = std::move(sink).value();
    }
    return sink_.get();
  }

  std::string dir_;
  FileSystem* fs_;
  std::mutex mu_;
  std::unique_ptr<transport::LayoutSink> sink_;
};

}  // namespace

Result<std::unique_ptr<CacheArtifactStore>> OpenCacheDirectory(const std::string& dir) {
  if (dir.empty()) return Status::Invalid("the cache directory is empty");
  return std::unique_ptr<CacheArtifactStore>(
      std::make_unique<CacheDirectory>(transport::AbsolutePath(dir)));
}

}  // namespace distill::builder
