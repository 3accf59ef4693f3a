// Splitting byte strings into characters for the Dockerfile syntax layer.
//
// The reference implementation (Go) walks words rune by rune. We walk them by
// "units": one well-formed UTF-8 sequence, or one byte when the bytes are not
// valid UTF-8. Unlike Go we keep invalid bytes as they are instead of turning
// them into U+FFFD, so odd file names survive expansion unchanged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace distill::dockerfile::utf8 {

// Code point reported for a byte that does not start a valid sequence.
inline constexpr uint32_t kInvalid = 0xFFFD;

struct Unit {
  size_t length = 0;        // bytes the unit spans (1..4); 0 only at end of input
  uint32_t code_point = 0;  // decoded value, kInvalid for a stray byte
};

// Decodes the unit starting at s[pos]; pos must be < s.size().
Unit DecodeAt(std::string_view s, size_t pos);

// Unicode White_Space as Go's unicode.IsSpace sees it (used for word splitting).
bool IsSpace(uint32_t cp);

// Approximates Go's unicode.IsLetter || unicode.IsDigit for variable names:
// exact for ASCII; outside ASCII every code point counts except spaces and the
// punctuation, symbol, combining-mark and private-use blocks. Good enough for
// names like $KOREAN_이름 without carrying Unicode tables.
bool IsNameChar(uint32_t cp);

}  // namespace distill::dockerfile::utf8
