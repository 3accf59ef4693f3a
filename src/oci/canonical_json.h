// The one JSON encoding distill writes (manifests, indexes, configs, layouts),
// so the same image always yields the same bytes and therefore the same digests.
//
// The encoding:
//  - object keys sorted by their UTF-8 bytes; no insignificant whitespace;
//  - strings as UTF-8, not \u-escaped, except what JSON requires (`"`, `\`,
//    control characters) and, as Go's encoding/json does by default (which is
//    what Docker and most registries' tools write), `<`, `>`, `&`, U+2028 and
//    U+2029 as \u003c, \u003e, \u0026, \u2028, \u2029. Short escapes \b \f \n
//    \r \t for those controls, \u00XX (lowercase hex) for the rest;
//  - integers in decimal; non-integer numbers in the shortest form that
//    reads back to the same double;
//  - invalid UTF-8 in a string is an error, never replaced silently.
//
// Documents received from elsewhere are never re-encoded when they are only
// passed through: their digest is of their exact bytes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "util/status.h"

namespace distill::oci {

// Encodes `value` canonically. Fails only on invalid UTF-8 in a string or key.
Result<std::string> CanonicalJson(const nlohmann::json& value);

// Parses a JSON document; the error names `source` (a file, digest or URL) and
// the byte offset. Never throws.
Result<nlohmann::json> ParseJson(std::string_view bytes, std::string_view source);

}  // namespace distill::oci
