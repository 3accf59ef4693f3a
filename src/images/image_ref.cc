#include "images/image_ref.h"

#include <algorithm>

#include "oci/reference.h"

namespace distill::images {

namespace {

bool IsHex(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
}

Status NoSuchImage(std::string_view text) {
  return Status::NotFound("no such image: " + std::string(text));
}

}  // namespace

Result<std::string> NormalizeTagName(std::string_view name) {
  DISTILL_ASSIGN_OR_RETURN(oci::Reference ref, oci::Reference::Parse(name));
  if (ref.digest()) {
    return Status::Invalid("\"" + std::string(name) +
                           "\": a tag name cannot carry a digest; drop the @sha256:… part");
  }
  return ref.String();
}

Result<oci::Digest> ResolveImageRef(store::Store& store, std::string_view text) {
  if (text.empty()) return Status::Invalid("empty image name");
  // Full IDs: the store accepts "sha256:<hex>" itself.
  if (text.rfind("sha256:", 0) == 0) {
    auto digest = oci::Digest::Parse(text);
    if (!digest.ok()) return Status::Invalid("\"" + std::string(text) + "\": invalid image ID");
    return store.Resolve(digest->str());
  }
  if (text.size() == 64 && IsHex(text)) return store.Resolve("sha256:" + std::string(text));

  auto ref = oci::Reference::Parse(text);
  if (ref.ok()) {
    if (ref->digest()) {
      // name@digest: the digest identifies the image; the name must be one of
      // its repositories only in docker's registry world, so do not insist.
      auto found = store.Resolve(ref->digest()->str());
      if (!found.ok() && found.status().code() == Status::Code::kNotFound) {
        return NoSuchImage(text);
      }
      return found;
    }
    auto tagged = store.metadata().LookupTag(ref->String());
    if (!tagged.ok()) return tagged.status();
    if (*tagged) return **tagged;
  }
  if (IsHex(text)) {
    auto found = store.Resolve(text);
    if (found.ok() || found.status().code() != Status::Code::kNotFound) return found;
  }
  if (!ref.ok()) return ref.status();
  return NoSuchImage(text);
}

RepoTag SplitStoredName(std::string_view stored_name) {
  auto ref = oci::Reference::Parse(stored_name);
  if (!ref.ok()) return {std::string(stored_name), "<none>"};
  return {ref->FamiliarName(), ref->tag().empty() ? "<none>" : ref->tag()};
}

}  // namespace distill::images
