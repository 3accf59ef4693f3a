// Images between the store and a registry: pull (manifest, platform choice
// from an index, blobs streamed into the blob store in parallel, then record
// and tag) and push (blobs the registry lacks, mounted from another repository
// of the same registry when the store knows one that has them, then the
// manifest). One image model: what a pull stores is what image_load stores.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oci/descriptor.h"
#include "oci/platform.h"
#include "oci/reference.h"
#include "store/store.h"
#include "transport/registry_client.h"
#include "util/status.h"

namespace distill::transport {

struct PullOptions {
  std::optional<oci::Platform> platform;  // default: the host's
  int parallel = 4;                       // blob downloads at once
};

struct PulledImage {
  oci::Digest manifest;    // the platform manifest stored (the image ID)
  oci::Digest top_digest;  // what the reference resolved to (index or manifest)
  std::string name;        // the tag given to it; empty for a pull by digest only
  int blobs_fetched = 0;   // blobs downloaded (the rest were already stored)
};

// Pulls `ref` into `store` and tags it as `ref` (normalised). Nothing is tagged
// unless every blob arrived and matched its digest.
Result<PulledImage> PullImage(store::Store& store, RegistryClient& client,
                              const oci::Reference& ref, const PullOptions& options = {});

// PullImage with a client over the default config and credentials; `name` as
// typed ("alpine:3.20"). Progress lines go to `log`.
Result<PulledImage> PullImageByName(store::Store& store, std::string_view name,
                                    const PullOptions& options,
                                    std::function<void(const std::string&)> log);

struct PushOptions {
  int parallel = 4;  // blob uploads at once
};

// Pushes the stored image `image` (name or ID) to `dest`. Returns the pushed
// manifest's descriptor (its digest is what `distill push` prints).
Result<oci::Descriptor> PushImage(store::Store& store, RegistryClient& client,
                                  std::string_view image, const oci::Reference& dest,
                                  const PushOptions& options = {});

// The general form, for artifacts (build cache exports): uploads `blobs` (all
// in the store) that the registry lacks, then PUTs `manifest_bytes` as
// `media_type` under `dest`.
Result<oci::Descriptor> PushManifestAndBlobs(store::Store& store, RegistryClient& client,
                                             const oci::Reference& dest,
                                             const std::string& manifest_bytes,
                                             const std::string& media_type,
                                             const std::vector<oci::Descriptor>& blobs,
                                             const PushOptions& options = {});

}  // namespace distill::transport
