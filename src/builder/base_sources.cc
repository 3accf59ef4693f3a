#include "builder/base_sources.h"

namespace distill::builder {

Result<BaseSource> ParseBaseSource(std::string_view text) {
  if (text == "auto") return BaseSource::kAuto;
  if (text == "debian") return BaseSource::kDebian;
  if (text == "registry") return BaseSource::kRegistry;
  if (text == "store") return BaseSource::kStore;
  return Status::Invalid("--base-source " + std::string(text) +
                         ": want auto, debian, registry or store");
}

Result<PullPolicy> ParsePullPolicy(std::string_view text) {
  if (text == "missing") return PullPolicy::kMissing;
  if (text == "always") return PullPolicy::kAlways;
  if (text == "never") return PullPolicy::kNever;
  return Status::Invalid("--pull " + std::string(text) + ": want missing, always or never");
}

Result<BaseMakers> ComposeBaseSources(BaseSource source, PullPolicy pull, BaseMaker debian,
                                      BaseMaker registry) {
  bool may_pull = (source == BaseSource::kAuto || source == BaseSource::kRegistry) &&
                  pull != PullPolicy::kNever;
  bool may_make = source == BaseSource::kAuto || source == BaseSource::kDebian;
  if (pull == PullPolicy::kAlways && !may_pull) {
    return Status::Invalid("--pull=always needs a registry: use --base-source auto or registry");
  }
  if (source == BaseSource::kRegistry && pull == PullPolicy::kNever) {
    return Status::Invalid("--base-source registry with --pull=never leaves no source");
  }
  BaseMakers out;
  if (pull == PullPolicy::kAlways) out.refresh_base = registry;
  if (may_make && may_pull && pull != PullPolicy::kAlways) {
    // Debian first for the names it can make; any other name goes to the registry.
    out.make_base = [debian, registry](store::Store& store,
                                       const std::string& name) -> Result<oci::Digest> {
      auto made = debian(store, name);
      if (made.ok() || made.status().code() != Status::Code::kNotFound) return made;
      return registry(store, name);
    };
  } else if (may_make) {
    out.make_base = debian;
  } else if (may_pull && pull != PullPolicy::kAlways) {
    out.make_base = registry;
  }
  return out;
}

}  // namespace distill::builder
