// The exec-form test of the Dockerfile syntax: is an instruction's argument text
// a JSON array of strings? Mirrors the reference (Go encoding/json Unmarshal
// into []any): the whole text must be one valid JSON value (whitespace around
// it allowed), invalid UTF-8 in strings becomes U+FFFD, lone surrogates too,
// and nesting deeper than 10000 levels counts as invalid JSON.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace distill::dockerfile::syntax {

struct JsonArrayParse {
  enum class Outcome {
    kStrings,         // a JSON array whose elements are all strings: `values`
    kNotJson,         // not JSON, or not starting with '[': the caller falls back to shell form
    kNotStringArray,  // valid JSON array with a non-string element: an error in the reference
  };
  Outcome outcome = Outcome::kNotJson;
  std::vector<std::string> values;
};

// `text` may start with Unicode whitespace (skipped, as the reference does).
JsonArrayParse ParseJsonStringArray(std::string_view text);

}  // namespace distill::dockerfile::syntax
