#include "oci/json_fields.h"

#include <algorithm>

namespace distill::oci {
namespace {

std::string TypeName(const nlohmann::json& v) {
  return v.type_name();
}

}  // namespace

Result<JsonFields> JsonFields::Of(const nlohmann::json& value, std::string document,
                                  std::string path) {
  if (!value.is_object()) {
    return Status::Invalid(document + ": " + (path.empty() ? "" : path + ": ") +
                           "want a JSON object, got " + TypeName(value));
  }
  return JsonFields(value, std::move(document), std::move(path));
}

Result<JsonFields> JsonFields::Child(std::string_view key) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return Error(key, "required field is missing");
  return Of(*v, document_, PathOf(key));
}

std::string JsonFields::PathOf(std::string_view key) const {
  if (path_.empty()) return std::string(key);
  if (key.starts_with('[')) return path_ + std::string(key);
  return path_ + "." + std::string(key);
}

Status JsonFields::Error(std::string_view key, std::string_view problem) const {
  return Status::Invalid(document_ + ": " + PathOf(key) + ": " + std::string(problem));
}

const nlohmann::json* JsonFields::Find(std::string_view key) const {
  auto it = value_->find(key);
  if (it == value_->end() || it->is_null()) return nullptr;
  return &*it;
}

Status JsonFields::String(std::string_view key, std::string* out, bool required) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return required ? Error(key, "required field is missing") : Status::Ok();
  if (!v->is_string()) return Error(key, "want a string, got " + TypeName(*v));
  *out = v->get<std::string>();
  return Status::Ok();
}

Status JsonFields::Int64(std::string_view key, int64_t* out, bool required) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return required ? Error(key, "required field is missing") : Status::Ok();
  if (v->is_number_unsigned()) {
    uint64_t u = v->get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) return Error(key, "number out of range");
    *out = static_cast<int64_t>(u);
    return Status::Ok();
  }
  if (!v->is_number_integer()) return Error(key, "want an integer, got " + TypeName(*v));
  *out = v->get<int64_t>();
  return Status::Ok();
}

Status JsonFields::Bool(std::string_view key, bool* out) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return Status::Ok();
  if (!v->is_boolean()) return Error(key, "want true or false, got " + TypeName(*v));
  *out = v->get<bool>();
  return Status::Ok();
}

Status JsonFields::StringList(std::string_view key, std::vector<std::string>* out) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return Status::Ok();
  if (!v->is_array()) return Error(key, "want an array of strings, got " + TypeName(*v));
  std::vector<std::string> items;
  for (size_t i = 0; i < v->size(); ++i) {
    const auto& item = (*v)[i];
    if (!item.is_string()) {
      return Error(std::string(key) + "[" + std::to_string(i) + "]",
                   "want a string, got " + TypeName(item));
    }
    items.push_back(item.get<std::string>());
  }
  *out = std::move(items);
  return Status::Ok();
}

Status JsonFields::StringMap(std::string_view key, std::map<std::string, std::string>* out) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return Status::Ok();
  if (!v->is_object()) return Error(key, "want an object of strings, got " + TypeName(*v));
  std::map<std::string, std::string> items;
  for (const auto& [k, item] : v->items()) {
    if (!item.is_string()) {
      return Error(std::string(key) + "." + k, "want a string, got " + TypeName(item));
    }
    items[k] = item.get<std::string>();
  }
  *out = std::move(items);
  return Status::Ok();
}

Status JsonFields::KeySet(std::string_view key, std::set<std::string>* out) const {
  const nlohmann::json* v = Find(key);
  if (v == nullptr) return Status::Ok();
  if (!v->is_object()) return Error(key, "want an object, got " + TypeName(*v));
  std::set<std::string> items;
  for (const auto& [k, item] : v->items()) {
    if (!item.is_object() && !item.is_null()) {
      return Error(std::string(key) + "." + k, "want {}, got " + TypeName(item));
    }
    items.insert(k);
  }
  *out = std::move(items);
  return Status::Ok();
}

Status JsonFields::DigestField(std::string_view key, Digest* out, bool required) const {
  std::string text;
  DISTILL_RETURN_IF_ERROR(String(key, &text, required));
  if (text.empty() && !required) return Status::Ok();
  auto digest = Digest::Parse(text);
  if (!digest.ok()) return Error(key, digest.status().message());
  *out = *digest;
  return Status::Ok();
}

nlohmann::json JsonFields::Unknown(std::initializer_list<std::string_view> known) const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [k, v] : value_->items()) {
    if (std::find(known.begin(), known.end(), k) == known.end()) out[k] = v;
  }
  return out;
}

void PutIfNotEmpty(nlohmann::json& obj, std::string_view key, const std::string& value) {
  if (!value.empty()) obj[std::string(key)] = value;
}

void PutIfNotEmpty(nlohmann::json& obj, std::string_view key,
                   const std::vector<std::string>& value) {
  if (!value.empty()) obj[std::string(key)] = value;
}

void PutIfNotEmpty(nlohmann::json& obj, std::string_view key,
                   const std::map<std::string, std::string>& value) {
  if (!value.empty()) obj[std::string(key)] = value;
}

void PutKeySetIfNotEmpty(nlohmann::json& obj, std::string_view key,
                         const std::set<std::string>& value) {
  if (value.empty()) return;
  nlohmann::json set = nlohmann::json::object();
  for (const auto& k : value) set[k] = nlohmann::json::object();
  obj[std::string(key)] = std::move(set);
}

nlohmann::json ObjectFrom(const nlohmann::json& unknown) {
  return unknown.is_object() ? unknown : nlohmann::json::object();
}

}  // namespace distill::oci
