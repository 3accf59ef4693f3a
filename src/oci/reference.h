// Image references ("python:3.9-slim", "ghcr.io/o/app@sha256:…") parsed and
// normalised as Docker does (the distribution/reference grammar), so a name
// means the same image here as in `docker pull`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "oci/digest.h"
#include "util/status.h"

namespace distill::oci {

class Reference {
 public:
  // Parses and normalises: a missing registry becomes docker.io (and a
  // one-component Docker Hub path gets "library/"); index.docker.io becomes
  // docker.io; a reference with neither tag nor digest gets the tag "latest".
  // The first path component is a registry when it contains '.' or ':', is
  // "localhost", or has uppercase letters. Errors read
  // "\"Foo\": invalid reference format: repository name must be lowercase".
  static Result<Reference> Parse(std::string_view text);

  static constexpr std::string_view kDefaultDomain = "docker.io";
  static constexpr std::string_view kDefaultTag = "latest";
  static constexpr size_t kMaxNameLength = 255;  // domain + "/" + path
  static constexpr size_t kMaxTagLength = 128;

  const std::string& domain() const { return domain_; }  // "docker.io", "localhost:5000"
  const std::string& path() const { return path_; }      // "library/python"
  std::string name() const { return domain_ + "/" + path_; }
  const std::string& tag() const { return tag_; }  // empty when only a digest was given
  // Set for name@sha256:…; when both are given, the digest is what identifies
  // the image and the tag is only informational.
  const std::optional<Digest>& digest() const { return digest_; }

  // "docker.io/library/python:3.9-slim", "ghcr.io/o/app:v1@sha256:…".
  std::string String() const;
  // Without docker.io/ and library/, as the docker CLI shows it: "python".
  std::string FamiliarName() const;
  // "python:3.9-slim".
  std::string FamiliarString() const;

  // The same repository with another tag (and no digest).
  Reference WithTag(std::string tag) const;

  friend bool operator==(const Reference&, const Reference&) = default;

 private:
  std::string domain_;
  std::string path_;
  std::string tag_;
  std::optional<Digest> digest_;
};

// Tag grammar: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}.
bool IsValidTag(std::string_view tag);

}  // namespace distill::oci
