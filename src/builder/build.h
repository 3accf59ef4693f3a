// Build: the whole of `distill build` below the CLI — Dockerfile text and a
// context directory in, an image in the store (and optional outputs) out.
// Parse → plan (with base configs read from the store) → solve over the real
// backend and the store's build cache → write the image and tag it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "builder/cache_artifact_spec.h"
#include "builder/cache_import.h"
#include "builder/secrets.h"
#include "exec/cancel.h"
#include "exec/process_spec.h"
#include "oci/digest.h"
#include "solver/progress.h"
#include "solver/solver.h"
#include "store/store.h"
#include "util/status.h"

namespace distill::builder {

struct BuildRequest {
  std::string store_root;
  std::string context_dir;      // a directory
  std::string dockerfile_name;  // for messages ("Dockerfile", "-")
  std::string dockerfile_text;
  std::string dockerfile_path;  // on disk, for <Dockerfile>.dockerignore; "" for stdin
  std::string target;
  std::map<std::string, std::string> build_args;
  std::string platform;
  std::vector<std::string> tags;
  std::map<std::string, std::string> labels;
  bool no_cache = false;
  std::vector<std::string> no_cache_filter;
  exec::NetworkMode network = exec::NetworkMode::kHost;
  SecretValues secrets;
  int jobs = 0;
  std::optional<int64_t> source_date_epoch;
  solver::ProgressSink* progress = nullptr;
  // Cancelled from a signal handler (CancelOnInterrupt): stops the build.
  exec::CancelToken* interrupt = nullptr;
  // Makes a base image the store does not hold yet (e.g. from Debian packages:
  // debian:bookworm-slim, gcr.io/distroless/static-debian12) and stores it.
  // Called while planning, once per missing FROM name the target needs; a
  // kNotFound answer means "not a name I can make" and the build reports the
  // image as missing. Unset: bases come from the store only.
  std::function<Result<oci::Digest>(store::Store& store, const std::string& name)> make_base;
  // Called for each FROM image before the store is looked at (--pull=always:
  // base_sources.h); kNotFound keeps whatever the store has.
  std::function<Result<oci::Digest>(store::Store& store, const std::string& name)> refresh_base;
  // --cache-from: caches imported lazily (cache_import.h); --cache-to: where
  // the build's cache records go once the image is written (cache_export.h).
  std::vector<CacheLocation> cache_from;
  std::vector<CacheLocation> cache_to;
  CacheWarningFn warn;  // cache problems that do not stop the build
};

// One --cache-to written.
struct CacheExportResult {
  std::string location;  // the option as given
  oci::Digest manifest;
  size_t records = 0;
};

struct BuildOutcome {
  oci::Digest image;  // the manifest digest (the image ID)
  solver::BuildStats stats;
  std::vector<CacheExportResult> cache_exports;
};

Result<BuildOutcome> Build(const BuildRequest& request);

// `--output` destinations: "type=oci,dest=F.tar", "type=docker,dest=F.tar",
// "type=local,dest=DIR" (the image's root file system as files).
struct OutputSpec {
  std::string type;
  std::string dest;
};
Result<OutputSpec> ParseOutputSpec(const std::string& text);

// Writes the stored image `image` to `output`.
Status ExportOutput(const std::string& store_root, const oci::Digest& image,
                    const OutputSpec& output);

}  // namespace distill::builder
