// Typed reads of JSON object fields for the document parsers of this module.
// Every error names the field by its path ("layers[2].digest") under the
// document's name, so the user learns which document and which field is wrong.
// JSON null reads as an absent field, as Go's encoding/json does.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "oci/digest.h"
#include "util/status.h"

namespace distill::oci {

// A JSON object being read, and where it is: the document ("image config
// sha256:…") and the path of this object inside it ("rootfs", "layers[2]").
class JsonFields {
 public:
  // Fails unless `value` is an object. `path` is empty for the document itself.
  static Result<JsonFields> Of(const nlohmann::json& value, std::string document,
                               std::string path = "");
  // A reader for the object member `key` (which must be present).
  Result<JsonFields> Child(std::string_view key) const;

  // Each getter leaves *out untouched when the field is absent or null, and
  // fails when it is present with the wrong type (or absent and required).
  Status String(std::string_view key, std::string* out, bool required = false) const;
  Status Int64(std::string_view key, int64_t* out, bool required = false) const;
  Status Bool(std::string_view key, bool* out) const;
  Status StringList(std::string_view key, std::vector<std::string>* out) const;
  Status StringMap(std::string_view key, std::map<std::string, std::string>* out) const;
  // {"80/tcp": {}, ...}: the keys of an object whose values are all objects.
  Status KeySet(std::string_view key, std::set<std::string>* out) const;
  Status DigestField(std::string_view key, Digest* out, bool required = false) const;
  // The member, or nullptr when absent or null.
  const nlohmann::json* Find(std::string_view key) const;

  // The members not named in `known`, to be written back unchanged.
  nlohmann::json Unknown(std::initializer_list<std::string_view> known) const;

  // "path.key", or "path[i]" when key is "[i]".
  std::string PathOf(std::string_view key) const;
  // "document: path.key: problem".
  Status Error(std::string_view key, std::string_view problem) const;
  const std::string& document() const { return document_; }
  const nlohmann::json& json() const { return *value_; }

 private:
  JsonFields(const nlohmann::json& value, std::string document, std::string path)
      : value_(&value), document_(std::move(document)), path_(std::move(path)) {}
  const nlohmann::json* value_;
  std::string document_;
  std::string path_;
};

// Helpers for writing: set a member only when it is not empty (Go's omitempty).
void PutIfNotEmpty(nlohmann::json& obj, std::string_view key, const std::string& value);
void PutIfNotEmpty(nlohmann::json& obj, std::string_view key,
                   const std::vector<std::string>& value);
void PutIfNotEmpty(nlohmann::json& obj, std::string_view key,
                   const std::map<std::string, std::string>& value);
// Writes {"k": {}, ...}.
void PutKeySetIfNotEmpty(nlohmann::json& obj, std::string_view key,
                         const std::set<std::string>& value);

// Starts a document from its preserved unknown members (or an empty object).
nlohmann::json ObjectFrom(const nlohmann::json& unknown);

}  // namespace distill::oci
