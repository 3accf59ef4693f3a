#include "oci/canonical_json.h"

#include <cstdint>

namespace distill::oci {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void AppendUnicodeEscape(uint32_t code_unit, std::string* out) {
  out->append("\\u");
  for (int shift = 12; shift >= 0; shift -= 4) out->push_back(kHex[(code_unit >> shift) & 0xf]);
}

// Length of the UTF-8 sequence starting at s[i] and its code point, or 0 if
// the bytes there are not valid UTF-8 (overlong forms and surrogates included).
size_t DecodeUtf8(std::string_view s, size_t i, uint32_t* cp) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  size_t len;
  uint32_t min;
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  } else if ((b0 & 0xe0) == 0xc0) {
    len = 2, min = 0x80, *cp = b0 & 0x1f;
  } else if ((b0 & 0xf0) == 0xe0) {
    len = 3, min = 0x800, *cp = b0 & 0x0f;
  } else if ((b0 & 0xf8) == 0xf0) {
    len = 4, min = 0x10000, *cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
    *cp = (*cp << 6) | (byte(i + k) & 0x3f);
  }
  if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff)) return 0;
  return len;
}

Status AppendString(std::string_view s, std::string* out) {
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    uint32_t cp = 0;
    size_t len = DecodeUtf8(s, i, &cp);
    if (len == 0) {
      return Status::Invalid("string \"" + std::string(s.substr(0, 40)) +
                             "\" is not valid UTF-8 (byte " + std::to_string(i) + ")");
    }
    switch (cp) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '<':
      case '>':
      case '&':
      case 0x2028:
      case 0x2029:
        AppendUnicodeEscape(cp, out);
        break;
      default:
        if (cp < 0x20) {
          AppendUnicodeEscape(cp, out);
        } else {
          out->append(s.substr(i, len));
        }
    }
    i += len;
  }
  out->push_back('"');
  return Status::Ok();
}

Status Append(const nlohmann::json& v, std::string* out) {
  using Type = nlohmann::json::value_t;
  switch (v.type()) {
    case Type::null:
      out->append("null");
      return Status::Ok();
    case Type::boolean:
      out->append(v.get<bool>() ? "true" : "false");
      return Status::Ok();
    case Type::number_integer:
      out->append(std::to_string(v.get<int64_t>()));
      return Status::Ok();
    case Type::number_unsigned:
      out->append(std::to_string(v.get<uint64_t>()));
      return Status::Ok();
    case Type::number_float:
      out->append(v.dump());
      return Status::Ok();
    case Type::string:
      return AppendString(v.get_ref<const std::string&>(), out);
    case Type::array: {
      out->push_back('[');
      bool first = true;
      for (const auto& item : v) {
        if (!first) out->push_back(',');
        first = false;
        DISTILL_RETURN_IF_ERROR(Append(item, out));
      }
      out->push_back(']');
      return Status::Ok();
    }
    case Type::object: {
      // nlohmann::json keeps objects in a std::map<std::string, ...>: iteration
      // is already in byte order of the keys, which is the order we want.
      out->push_back('{');
      bool first = true;
      for (const auto& [key, item] : v.items()) {
        if (!first) out->push_back(',');
        first = false;
        DISTILL_RETURN_IF_ERROR(AppendString(key, out));
        out->push_back(':');
        DISTILL_RETURN_IF_ERROR(Append(item, out));
      }
      out->push_back('}');
      return Status::Ok();
    }
    case Type::binary:
    case Type::discarded:
      break;
  }
  return Status::Invalid("value of JSON type \"" + std::string(v.type_name()) +
                         "\" cannot be written as JSON");
}

}  // namespace

Result<std::string> CanonicalJson(const nlohmann::json& value) {
  std::string out;
  DISTILL_RETURN_IF_ERROR(Append(value, &out));
  return out;
}

Result<nlohmann::json> ParseJson(std::string_view bytes, std::string_view source) {
  try {
    return nlohmann::json::parse(bytes.begin(), bytes.end());
  } catch (const nlohmann::json::parse_error& e) {
    // what() starts with the library's "[json.exception.parse_error.101] ".
    std::string_view what = e.what();
    if (size_t end = what.find("] "); end != std::string_view::npos) what.remove_prefix(end + 2);
    return Status::Corrupt(std::string(source) + ": invalid JSON at byte " +
                           std::to_string(e.byte) + ": " + std::string(what));
  }
}

}  // namespace distill::oci
