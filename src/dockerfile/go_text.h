// Text primitives with the exact semantics of the Go standard library functions
// the reference Dockerfile parser is built on (unicode/utf8 decoding,
// unicode.IsSpace, strings.TrimSpace, strconv.Quote). Matching them byte for
// byte is what lets the conformance dump agree with the reference on odd input
// such as invalid UTF-8 or Unicode spaces.
#pragma once

#include <string>
#include <string_view>

namespace distill::dockerfile::syntax {

inline constexpr char32_t kRuneError = 0xFFFD;

struct DecodedRune {
  char32_t rune = kRuneError;
  size_t width = 0;  // bytes consumed; 1 for an invalid sequence (rune = kRuneError)
};

// Decodes the first rune of `s` as Go's utf8.DecodeRuneInString does: an
// invalid or truncated sequence, a surrogate or an overlong form yields
// {kRuneError, 1}. `s` must not be empty.
DecodedRune DecodeRune(std::string_view s);
// The last rune of `s` (Go's utf8.DecodeLastRuneInString). `s` must not be empty.
DecodedRune DecodeLastRune(std::string_view s);

// Appends the UTF-8 encoding of `r` (invalid runes become U+FFFD, as in Go).
void AppendRune(std::string& out, char32_t r);

// Go's unicode.IsSpace: ASCII \t \n \v \f \r and space, U+0085, U+00A0 and the
// other White_Space code points.
bool IsSpaceRune(char32_t r);
// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols, and U+0020.
bool IsPrintRune(char32_t r);

// strings.TrimSpace / TrimLeftFunc(unicode.IsSpace) / TrimRightFunc(...).
std::string_view TrimSpace(std::string_view s);
std::string_view TrimLeftSpace(std::string_view s);
std::string_view TrimRightSpace(std::string_view s);

// strconv.Quote: a double-quoted Go string literal (\" \\ \a \b \f \n \r \t \v,
// \xNN for invalid UTF-8 bytes and control bytes, \uNNNN / \UNNNNNNNN for other
// non-printable runes; printable Unicode kept as is).
std::string GoQuote(std::string_view s);

}  // namespace distill::dockerfile::syntax
