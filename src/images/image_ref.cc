#include "images/image_ref.h"

#include "oci/reference.h"

namespace distill::images {

RepoTag SplitStoredName(std::string_view stored_name) {
  auto ref = oci::Reference::Parse(stored_name);
  if (!ref.ok()) return {std::string(stored_name), "<none>"};
  return {ref->FamiliarName(), ref->tag().empty() ? "<none>" : ref->tag()};
}

}  // namespace distill::images
