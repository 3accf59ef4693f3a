#include "transport/registry_image.h"

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "oci/index.h"
#include "oci/manifest.h"
#include "oci/media_types.h"
#include "store/image_store.h"

namespace distill::transport {
namespace {

// Runs `work(i)` for i in [0, n) on up to `parallel` threads; the first error
// stops the rest from starting and is returned.
Status ForEachParallel(size_t n, int parallel, const std::function<Status(size_t)>& work) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  Status first;
  auto worker = [&] {
    for (;;) {
      size_t i = next++;
      if (i >= n || failed) return;
      Status st = work(i);
      if (!st.ok()) {
        std::lock_guard<std::mutex> lock(mu);
        if (first.ok()) first = st;
        failed = true;
      }
    }
  };
  size_t threads = std::min<size_t>(n, static_cast<size_t>(std::max(1, parallel)));
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  return first;
}

void Log(RegistryClient& client, const std::string& line) {
  if (client.options().log) client.options().log(line);
}

Result<oci::Reference> WithDigest(const oci::Reference& ref, const oci::Digest& digest) {
  return oci::Reference::Parse(ref.name() + "@" + digest.str());
}

}  // namespace

Result<PulledImage> PullImage(store::Store& store, RegistryClient& client,
                              const oci::Reference& ref, const PullOptions& options) {
  DISTILL_ASSIGN_OR_RETURN(FetchedManifest top, client.FetchManifest(ref));
  PulledImage out;
  out.top_digest = top.digest;
  FetchedManifest chosen = top;
  oci::Platform want = options.platform ? *options.platform : oci::HostPlatform();
  std::string source = ref.String();
  if (oci::IsIndexMediaType(top.media_type)) {
    DISTILL_ASSIGN_OR_RETURN(oci::Index index, oci::ParseIndex(top.bytes, top.media_type, source));
    auto entry = oci::SelectPlatform(index, want);
    if (!entry.ok()) return entry.status().Prefixed(source);
    DISTILL_ASSIGN_OR_RETURN(oci::Reference child, WithDigest(ref, entry->digest));
    DISTILL_ASSIGN_OR_RETURN(chosen, client.FetchManifest(child));
    if (oci::IsIndexMediaType(chosen.media_type)) {
      return Status::Invalid(source + ": the " + want.str() +
                             " entry of the index is another index (nested indexes are not "
                             "supported)");
    }
  }
  if (!oci::IsManifestMediaType(chosen.media_type)) {
    return Status::Invalid(source + " is not a container image (media type " + chosen.media_type +
                           ")");
  }
  DISTILL_ASSIGN_OR_RETURN(oci::Manifest manifest,
                           oci::ParseManifest(chosen.bytes, chosen.media_type, source));
  if (!oci::IsConfigMediaType(manifest.config.media_type)) {
    return Status::Invalid(source + " is an artifact (config media type " +
                           manifest.config.media_type + "), not a container image");
  }
  std::vector<oci::Descriptor> blobs = {manifest.config};
  for (const auto& l : manifest.layers) blobs.push_back(l);
  std::vector<oci::Descriptor> missing;
  std::set<oci::Digest> seen;
  for (const auto& b : blobs) {
    if (!seen.insert(b.digest).second) continue;
    if (!store.blobs().Exists(b.digest)) missing.push_back(b);
  }
  Log(client, "pulling " + source + " (" + chosen.digest.str() +
                  "): " + std::to_string(missing.size()) + " of " + std::to_string(seen.size()) +
                  " blobs to fetch");
  store::BlobStore& blob_store = store.blobs();  // thread-safe, unlike the Store
  Status fetched = ForEachParallel(missing.size(), options.parallel, [&](size_t i) {
    const oci::Descriptor& b = missing[i];
    DISTILL_ASSIGN_OR_RETURN(auto writer, blob_store.NewWriter());
    DISTILL_RETURN_IF_ERROR(client.FetchBlob(ref, b, writer.get()));
    auto committed = writer->Commit(b.digest, static_cast<uint64_t>(b.size));
    if (!committed.ok()) return committed.status().Prefixed(source + ": blob " + b.digest.str());
    return Status::Ok();
  });
  DISTILL_RETURN_IF_ERROR(fetched);
  out.blobs_fetched = static_cast<int>(missing.size());
  DISTILL_ASSIGN_OR_RETURN(oci::Digest stored, blob_store.Put(chosen.bytes, chosen.digest));
  // The image must read back as one (config parses, one diffID per layer) before it is named.
  DISTILL_ASSIGN_OR_RETURN(store::StoredImage image,
                           store::ReadImageByDigest(store, stored, source));
  DISTILL_RETURN_IF_ERROR(store::LayersOf(image).status());
  auto refs = store::ManifestRefs(image.manifest);
  DISTILL_RETURN_IF_ERROR(store.RecordManifest(stored, refs));
  out.manifest = stored;
  if (!ref.tag().empty()) {
    out.name = ref.WithTag(ref.tag()).String();
    DISTILL_RETURN_IF_ERROR(store.Tag(out.name, stored, refs));
  }
  return out;
}

Result<PulledImage> PullImageByName(store::Store& store, std::string_view name,
                                    const PullOptions& options,
                                    std::function<void(const std::string&)> log) {
  DISTILL_ASSIGN_OR_RETURN(oci::Reference ref, oci::Reference::Parse(name));
  DISTILL_ASSIGN_OR_RETURN(DefaultRegistryClient client, NewDefaultRegistryClient(std::move(log)));
  return PullImage(store, *client.client, ref, options);
}

namespace {

// Repositories of the same registry that the store has images from, per blob:
// candidates for a cross-repository mount.
std::map<oci::Digest, std::vector<std::string>> MountSources(store::Store& store,
                                                             const oci::Reference& dest) {
  std::map<oci::Digest, std::vector<std::string>> out;
  auto images = store.ListImages();
  if (!images.ok()) return out;
  for (const auto& rec : *images) {
    auto name = oci::Reference::Parse(rec.name);
    if (!name.ok() || name->domain() != dest.domain() || name->path() == dest.path()) continue;
    auto img = store::ReadImageByDigest(store, rec.digest, rec.name);
    if (!img.ok()) continue;
    for (const auto& d : store::ManifestRefs(img->manifest)) {
      auto& list = out[d];
      if (std::find(list.begin(), list.end(), name->path()) == list.end()) {
        list.push_back(name->path());
      }
    }
  }
  return out;
}

}  // namespace

Result<oci::Descriptor> PushManifestAndBlobs(store::Store& store, RegistryClient& client,
                                             const oci::Reference& dest,
                                             const std::string& manifest_bytes,
                                             const std::string& media_type,
                                             const std::vector<oci::Descriptor>& blobs,
                                             const PushOptions& options) {
  std::vector<oci::Descriptor> unique;
  std::set<oci::Digest> seen;
  for (const auto& b : blobs) {
    if (!seen.insert(b.digest).second) continue;
    if (!store.blobs().Exists(b.digest)) {
      return Status::NotFound("cannot push to " + dest.name() + ": blob " + b.digest.str() +
                              " is not in the store (run distill fsck)");
    }
    unique.push_back(b);
  }
  auto mount_sources = MountSources(store, dest);
  std::atomic<int> uploaded{0}, mounted{0}, skipped{0};
  store::BlobStore& blob_store = store.blobs();
  Status sent = ForEachParallel(unique.size(), options.parallel, [&](size_t i) {
    const oci::Descriptor& b = unique[i];
    DISTILL_ASSIGN_OR_RETURN(bool exists, client.BlobExists(dest, b.digest));
    if (exists) {
      ++skipped;
      return Status::Ok();
    }
    auto it = mount_sources.find(b.digest);
    if (it != mount_sources.end()) {
      for (const auto& from : it->second) {
        auto m = client.MountBlob(dest, b.digest, from);
        if (m.ok() && *m) {
          ++mounted;
          return Status::Ok();
        }
      }
    }
    DISTILL_RETURN_IF_ERROR(
        client.PushBlob(dest, b, [&blob_store, &b]() { return blob_store.Open(b.digest); }));
    ++uploaded;
    return Status::Ok();
  });
  DISTILL_RETURN_IF_ERROR(sent);
  Log(client, "pushed " + dest.name() + ": " + std::to_string(uploaded) + " blobs uploaded, " +
                  std::to_string(mounted) + " mounted, " + std::to_string(skipped) +
                  " already there");
  return client.PushManifest(dest, manifest_bytes, media_type);
}

Result<oci::Descriptor> PushImage(store::Store& store, RegistryClient& client,
                                  std::string_view image, const oci::Reference& dest,
                                  const PushOptions& options) {
  DISTILL_ASSIGN_OR_RETURN(store::StoredImage img, store::ReadImage(store, image));
  std::vector<oci::Descriptor> blobs = {img.manifest.config};
  for (const auto& l : img.manifest.layers) blobs.push_back(l);
  std::string media_type = img.manifest.media_type.empty()
                               ? std::string(oci::media_type::kOciManifest)
                               : img.manifest.media_type;
  return PushManifestAndBlobs(store, client, dest, img.manifest_bytes, media_type, blobs, options);
}

}  // namespace distill::transport
