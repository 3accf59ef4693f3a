// The `build --cache-to` and `--cache-from` options: where a build cache
// artifact goes to or comes from, written as BuildKit writes them:
//
//   --cache-to   type=local,dest=DIR[,mode=min|max]
//   --cache-to   type=registry,ref=HOST/REPO:TAG[,mode=min|max]
//   --cache-from type=local,src=DIR
//   --cache-from type=registry,ref=HOST/REPO:TAG
//
// Parsing checks the text only; OpenCacheArtifactStore opens the location.
#pragma once

#include <memory>
#include <string>

#include "builder/cache_artifact_store.h"
#include "util/status.h"

namespace distill::builder {

// Which steps `--cache-to` exports (cache_export.h).
enum class CacheMode { kMin, kMax };

struct CacheLocation {
  std::string type;                  // "local" or "registry"
  std::string dir;                   // type=local: dest= (export) or src= (import)
  std::string ref;                   // type=registry
  CacheMode mode = CacheMode::kMin;  // export only
  std::string text;                  // the option as given, for messages
};

// Errors quote the option and say what is wrong (unknown type or key, a
// missing dest/src/ref, a bad mode).
Result<CacheLocation> ParseCacheToSpec(const std::string& text);
Result<CacheLocation> ParseCacheFromSpec(const std::string& text);

// The store `location` names (OpenCacheDirectory or OpenRegistryCache).
Result<std::unique_ptr<CacheArtifactStore>> OpenCacheArtifactStore(const CacheLocation& location);

}  // namespace distill::builder
