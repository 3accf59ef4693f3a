// What a user types to name an image, turned into what the store keys on.
// Tags are stored normalised ("docker.io/library/python:3.9") and shown in
// familiar form ("python:3.9"), as the docker CLI does.
#pragma once

#include <string>
#include <string_view>

#include "oci/digest.h"
#include "store/store.h"
#include "util/status.h"

namespace distill::images {

// "python:3.9" -> "docker.io/library/python:3.9", "alpine" -> ".../alpine:latest".
// Rejects malformed names (with the reference parser's reason) and names that
// carry a digest, since a tag cannot.
Result<std::string> NormalizeTagName(std::string_view name);

// A tag as typed or normalised, "name@sha256:…", "sha256:<hex>", 64 hex digits,
// or a unique hex prefix of an image ID -> the manifest digest. Names are tried
// before ID prefixes, as docker does ("abc" is first the image abc:latest).
// Errors name what was asked for: "no such image: python:3.9".
Result<oci::Digest> ResolveImageRef(store::Store& store, std::string_view text);

// A stored (normalised) tag split for display: {"python", "3.9"}. A name that
// does not parse (written by something else) is shown as is, with "<none>".
struct RepoTag {
  std::string repository;
  std::string tag;
  std::string Familiar() const { return repository + ":" + tag; }
};
RepoTag SplitStoredName(std::string_view stored_name);

}  // namespace distill::images
