#include "dockerfile/go_text.h"

#include <algorithm>
#include <iterator>

namespace distill::dockerfile::syntax {
namespace {

struct RuneRange {
  char32_t lo;
  char32_t hi;
};

constexpr RuneRange kPrintRanges[] = {
#include "dockerfile/unicode_print_table.inc"
};

bool IsContinuationByte(unsigned char b) {
  return (b & 0xC0) == 0x80;
}

}  // namespace

DecodedRune DecodeRune(std::string_view s) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) return {b0, 1};
  if (b0 < 0xC2 || b0 > 0xF4) return {kRuneError, 1};
  const size_t need = b0 < 0xE0 ? 2 : b0 < 0xF0 ? 3 : 4;
  if (s.size() < need) return {kRuneError, 1};
  // The second byte's accepted range is narrower for a few lead bytes; that
  // is how overlong forms, surrogates and code points above U+10FFFF are
  // rejected (the same table Go's decoder uses).
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 == 0xE0) lo = 0xA0;
  if (b0 == 0xED) hi = 0x9F;
  if (b0 == 0xF0) lo = 0x90;
  if (b0 == 0xF4) hi = 0x8F;
  const auto b1 = static_cast<unsigned char>(s[1]);
  if (b1 < lo || b1 > hi) return {kRuneError, 1};
  char32_t r = 0;
  if (need == 2) {
    r = (char32_t(b0 & 0x1F) << 6) | (b1 & 0x3F);
  } else {
    const auto b2 = static_cast<unsigned char>(s[2]);
    if (!IsContinuationByte(b2)) return {kRuneError, 1};
    if (need == 3) {
      r = (char32_t(b0 & 0x0F) << 12) | (char32_t(b1 & 0x3F) << 6) | (b2 & 0x3F);
    } else {
      const auto b3 = static_cast<unsigned char>(s[3]);
      if (!IsContinuationByte(b3)) return {kRuneError, 1};
      r = (char32_t(b0 & 0x07) << 18) | (char32_t(b1 & 0x3F) << 12) | (char32_t(b2 & 0x3F) << 6) |
          (b3 & 0x3F);
    }
  }
  return {r, need};
}

DecodedRune DecodeLastRune(std::string_view s) {
  const size_t end = s.size();
  const auto last = static_cast<unsigned char>(s[end - 1]);
  if (last < 0x80) return {last, 1};
  // Back up to the start of the last rune (at most 4 bytes), then decode it;
  // if that rune does not reach the end, the last byte stands alone.
  size_t start = end - 1;
  const size_t limit = end >= 4 ? end - 4 : 0;
  while (start > limit && IsContinuationByte(static_cast<unsigned char>(s[start]))) --start;
  DecodedRune r = DecodeRune(s.substr(start));
  if (start + r.width != end) return {kRuneError, 1};
  return r;
}

void AppendRune(std::string& out, char32_t r) {
  if (r > 0x10FFFF || (r >= 0xD800 && r < 0xE000)) r = kRuneError;
  if (r < 0x80) {
    out.push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (r >> 6)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (r >> 12)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (r >> 18)));
    out.push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

bool IsSpaceRune(char32_t r) {
  switch (r) {
    case '\t':
    case '\n':
    case '\v':
    case '\f':
    case '\r':
    case ' ':
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return r >= 0x2000 && r <= 0x200A;
  }
}

bool IsPrintRune(char32_t r) {
  if (r < 0x80) return r >= 0x20 && r < 0x7F;
  auto it = std::upper_bound(std::begin(kPrintRanges), std::end(kPrintRanges), r,
                             [](char32_t v, const RuneRange& range) { return v < range.lo; });
  if (it == std::begin(kPrintRanges)) return false;
  --it;
  return r <= it->hi;
}

std::string_view TrimLeftSpace(std::string_view s) {
  while (!s.empty()) {
    DecodedRune r = DecodeRune(s);
    if (!IsSpaceRune(r.rune)) break;
    s.remove_prefix(r.width);
  }
  return s;
}

std::string_view TrimRightSpace(std::string_view s) {
  while (!s.empty()) {
    DecodedRune r = DecodeLastRune(s);
    if (!IsSpaceRune(r.rune)) break;
    s.remove_suffix(r.width);
  }
  return s;
}

std::string_view TrimSpace(std::string_view s) {
  return TrimRightSpace(TrimLeftSpace(s));
}

std::string GoQuote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  while (!s.empty()) {
    DecodedRune d = DecodeRune(s);
    const std::string_view bytes = s.substr(0, d.width);
    s.remove_prefix(d.width);
    const char32_t r = d.rune;
    if (d.width == 1 && r == kRuneError) {
      const auto b = static_cast<unsigned char>(bytes[0]);
      out += "\\x";
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 0xF]);
      continue;
    }
    if (r == '"' || r == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(r));
      continue;
    }
    if (IsPrintRune(r)) {
      out += bytes;
      continue;
    }
    switch (r) {
      case '\a':
        out += "\\a";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\v':
        out += "\\v";
        continue;
      default:
        break;
    }
    if (r < ' ' || r == 0x7F) {
      out += "\\x";
      out.push_back(kHex[r >> 4]);
      out.push_back(kHex[r & 0xF]);
    } else if (r < 0x10000) {
      out += "\\u";
      for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(r >> shift) & 0xF]);
    } else {
      out += "\\U";
      for (int shift = 28; shift >= 0; shift -= 4) out.push_back(kHex[(r >> shift) & 0xF]);
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace distill::dockerfile::syntax
