// The CacheArtifactStore of a registry repository and tag: the cache artifact
// is pushed and pulled like an image (blobs the registry lacks, then the
// manifest under the tag), through transport::RegistryClient, which verifies
// what it fetches and retries, authenticates and reports errors by registry,
// repository and status.
#include "builder/cache_artifact_store.h"
#include "oci/reference.h"
#include "transport/registry_client.h"

namespace distill::builder {

namespace {

class RegistryCache : public CacheArtifactStore {
 public:
  RegistryCache(transport::DefaultRegistryClient client, oci::Reference ref)
      : client_(std::move(client)), ref_(std::move(ref)) {}

  std::string Describe() const override { return "registry cache " + ref_.String(); }

  Status PutBlob(const oci::Descriptor& d, const BlobOpener& open) override {
    DISTILL_ASSIGN_OR_RETURN(bool exists, client_.client->BlobExists(ref_, d.digest));
    if (exists) return Status::Ok();
    return client_.client->PushBlob(ref_, d, open);
  }

  Status FetchBlob(const oci::Descriptor& d, Writer* sink) override {
    return client_.client->FetchBlob(ref_, d, sink);
  }

  Status PutManifest(const oci::Descriptor& d, std::string_view bytes) override {
    return client_.client->PushManifest(ref_, std::string(bytes), d.media_type).status();
  }

  Result<std::optional<ManifestBytes>> GetManifest() override {
    auto fetched = client_.client->FetchManifest(ref_);
    if (!fetched.ok()) {
      if (fetched.status().code() == Status::Code::kNotFound) {
        return std::optional<ManifestBytes>();
      }
      return fetched.status();
    }
    return std::optional<ManifestBytes>(
        ManifestBytes{fetched->digest, fetched->media_type, std::move(fetched->bytes)});
  }

 private:
  transport::DefaultRegistryClient client_;
  oci::Reference ref_;
};

}  // namespace

Result<std::unique_ptr<CacheArtifactStore>> OpenRegistryCache(const std::string& ref) {
  DISTILL_ASSIGN_OR_RETURN(oci::Reference parsed, oci::Reference::Parse(ref));
  DISTILL_ASSIGN_OR_RETURN(transport::DefaultRegistryClient client,
                           transport::NewDefaultRegistryClient());
  return std::unique_ptr<CacheArtifactStore>(
      std::make_unique<RegistryCache>(std::move(client), std::move(parsed)));
}

}  // namespace distill::builder
