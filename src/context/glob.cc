#include "context/glob.h"

#include <cstdint>
#include <optional>

namespace distill::context {
namespace {

// Decodes one UTF-8 character at s[*i] (a lone byte when not valid UTF-8) and
// advances *i, as Go's utf8.DecodeRuneInString does (invalid → one byte).
uint32_t DecodeChar(std::string_view s, size_t* i) {
  unsigned char c = static_cast<unsigned char>(s[*i]);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (len <= 1 || *i + len > s.size()) {
    ++*i;
    return c;
  }
  uint32_t cp = c & (0xFF >> (len + 1));
  for (size_t k = 1; k < len; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[*i + k]);
    if ((cc & 0xC0) != 0x80) {
      ++*i;
      return c;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  *i += len;
  return cp;
}

// Reads one class bound (with `\` escapes). nullopt when malformed.
std::optional<uint32_t> ClassChar(std::string_view p, size_t* i) {
  if (*i >= p.size() || p[*i] == '-' || p[*i] == ']') return std::nullopt;
  if (p[*i] == '\\') {
    ++*i;
    if (*i >= p.size()) return std::nullopt;
  }
  return DecodeChar(p, i);
}

// Parses the class starting after '[' at p[*i]; sets *matches for `c` (when
// given) and leaves *i after the closing ']'. False when malformed.
bool ParseClass(std::string_view p, size_t* i, std::optional<uint32_t> c, bool* matches) {
  bool negated = false;
  if (*i < p.size() && p[*i] == '^') {
    negated = true;
    ++*i;
  }
  bool in = false;
  int ranges = 0;
  for (;;) {
    if (*i < p.size() && p[*i] == ']' && ranges > 0) {
      ++*i;
      break;
    }
    auto lo = ClassChar(p, i);
    if (!lo) return false;
    uint32_t hi = *lo;
    if (*i < p.size() && p[*i] == '-') {
      ++*i;
      auto h = ClassChar(p, i);
      if (!h) return false;
      hi = *h;
    }
    if (c && *lo <= *c && *c <= hi) in = true;
    ++ranges;
  }
  *matches = in != negated;
  return true;
}

bool ValidPattern(std::string_view p) {
  for (size_t i = 0; i < p.size();) {
    if (p[i] == '\\') {
      if (i + 1 >= p.size()) return false;
      i += 2;
    } else if (p[i] == '[') {
      ++i;
      bool unused;
      if (!ParseClass(p, &i, std::nullopt, &unused)) return false;
    } else {
      ++i;
    }
  }
  return true;
}

// Backtracking matcher over a validated pattern.
bool MatchFrom(std::string_view p, size_t pi, std::string_view n, size_t ni) {
  while (pi < p.size()) {
    char pc = p[pi];
    if (pc == '*') {
      while (pi < p.size() && p[pi] == '*') ++pi;
      for (size_t k = ni;; ++k) {
        if (MatchFrom(p, pi, n, k)) return true;
        if (k >= n.size() || n[k] == '/') return false;
      }
    }
    if (ni >= n.size()) return false;
    if (pc == '?') {
      if (n[ni] == '/') return false;
      DecodeChar(n, &ni);
      ++pi;
      continue;
    }
    if (pc == '[') {
      ++pi;
      uint32_t c = DecodeChar(n, &ni);
      bool matches = false;
      ParseClass(p, &pi, c, &matches);
      if (!matches) return false;
      continue;
    }
    if (pc == '\\') ++pi;
    if (p[pi] != n[ni]) return false;
    ++pi;
    ++ni;
  }
  return ni == n.size();
}

}  // namespace

Result<bool> GlobMatch(std::string_view pattern, std::string_view name) {
  if (!ValidPattern(pattern)) {
    return Status::Invalid("syntax error in pattern \"" + std::string(pattern) + "\"");
  }
  return MatchFrom(pattern, 0, name, 0);
}

bool HasGlobMeta(std::string_view s) {
  return s.find_first_of("*?[\\") != std::string_view::npos;
}

}  // namespace distill::context
