#include "builder/cache_artifact_spec.h"

#include <sstream>

#include "oci/reference.h"

namespace distill::builder {

namespace {

// Parses "k=v,k=v" into `location`, for the option `flag` whose keys for a
// local directory are `dir_key` (dest or src) and which may take a mode.
Result<CacheLocation> ParseSpec(const std::string& flag, const std::string& text,
                                const std::string& dir_key, bool takes_mode) {
  const std::string where = flag + " " + text;
  CacheLocation out;
  out.text = text;
  std::stringstream fields(text);
  std::string field;
  while (std::getline(fields, field, ',')) {
    size_t eq = field.find('=');
    if (eq == std::string::npos) {
      return Status::Invalid(where + ": \"" + field + "\" is not KEY=VALUE (e.g. type=local," +
                             dir_key + "=DIR)");
    }
    const std::string key = field.substr(0, eq), value = field.substr(eq + 1);
    if (key == "type") {
      out.type = value;
    } else if (key == dir_key) {
      out.dir = value;
    } else if (key == "ref") {
      out.ref = value;
    } else if (key == "mode" && takes_mode) {
      if (value == "min") {
        out.mode = CacheMode::kMin;
      } else if (value == "max") {
        out.mode = CacheMode::kMax;
      } else {
        return Status::Invalid(where + ": mode must be min or max, not \"" + value + "\"");
      }
    } else {
      return Status::Invalid(where + ": unknown key \"" + key + "\" (want type, " + dir_key +
                             ", ref" + (takes_mode ? ", mode" : "") + ")");
    }
  }
  if (out.type.empty()) {
    return Status::Invalid(where + ": missing type= (type=local or type=registry)");
  }
  if (out.type == "local") {
    if (out.dir.empty()) return Status::Invalid(where + ": type=local needs " + dir_key + "=DIR");
    if (!out.ref.empty()) return Status::Invalid(where + ": type=local takes no ref=");
  } else if (out.type == "registry") {
    if (out.ref.empty()) {
      return Status::Invalid(where + ": type=registry needs ref=HOST/REPO:TAG");
    }
    if (!out.dir.empty()) {
      return Status::Invalid(where + ": type=registry takes no " + dir_key + "=");
    }
    auto ref = oci::Reference::Parse(out.ref);
    if (!ref.ok()) return ref.status().Prefixed(where);
  } else {
    return Status::Invalid(where + ": unknown type \"" + out.type + "\" (want local or registry)");
  }
  return out;
}

}  // namespace

Result<CacheLocation> ParseCacheToSpec(const std::string& text) {
  return ParseSpec("--cache-to", text, "dest", /*takes_mode=*/true);
}

Result<CacheLocation> ParseCacheFromSpec(const std::string& text) {
  return ParseSpec("--cache-from", text, "src", /*takes_mode=*/false);
}

Result<std::unique_ptr<CacheArtifactStore>> OpenCacheArtifactStore(const CacheLocation& location) {
  if (location.type == "local") return OpenCacheDirectory(location.dir);
  if (location.type == "registry") return OpenRegistryCache(location.ref);
  return Status::Invalid(location.text + ": unknown cache type \"" + location.type + "\"");
}

}  // namespace distill::builder
