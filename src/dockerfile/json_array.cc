#include "dockerfile/json_array.h"

#include "dockerfile/go_text.h"

namespace distill::dockerfile::syntax {
namespace {

// Go's encoding/json refuses documents nested deeper than this.
constexpr size_t kMaxNestingDepth = 10000;

class JsonScanner {
 public:
  explicit JsonScanner(std::string_view text) : s_(text) {}

  JsonArrayParse Run();

 private:
  void SkipWhitespace() {
    while (i_ < s_.size() &&
           (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) {
      ++i_;
    }
  }
  bool Peek(char c) const { return i_ < s_.size() && s_[i_] == c; }
  bool ScanString(std::string* out);
  bool ScanNumberOrLiteral();
  int ReadHex4(size_t at) const;  // value of 4 hex digits at `at`, or -1

  std::string_view s_;
  size_t i_ = 0;
};

int JsonScanner::ReadHex4(size_t at) const {
  if (at + 4 > s_.size()) return -1;
  int v = 0;
  for (size_t k = at; k < at + 4; ++k) {
    const char c = s_[k];
    int d;
    if (c >= '0' && c <= '9') {
      d = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      d = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      d = c - 'A' + 10;
    } else {
      return -1;
    }
    v = v * 16 + d;
  }
  return v;
}

// Scans a string starting at the opening quote; decodes it into `out` when given.
bool JsonScanner::ScanString(std::string* out) {
  ++i_;  // opening quote
  std::string scratch;
  std::string& dst = out ? *out : scratch;
  while (i_ < s_.size()) {
    const auto c = static_cast<unsigned char>(s_[i_]);
    if (c == '"') {
      ++i_;
      return true;
    }
    if (c < 0x20) return false;
    if (c == '\\') {
      if (i_ + 1 >= s_.size()) return false;
      const char e = s_[i_ + 1];
      i_ += 2;
      switch (e) {
        case '"':
          dst.push_back('"');
          break;
        case '\\':
          dst.push_back('\\');
          break;
        case '/':
          dst.push_back('/');
          break;
        case 'b':
          dst.push_back('\b');
          break;
        case 'f':
          dst.push_back('\f');
          break;
        case 'n':
          dst.push_back('\n');
          break;
        case 'r':
          dst.push_back('\r');
          break;
        case 't':
          dst.push_back('\t');
          break;
        case 'u': {
          const int first = ReadHex4(i_);
          if (first < 0) return false;
          i_ += 4;
          char32_t r = static_cast<char32_t>(first);
          if (r >= 0xD800 && r < 0xE000) {
            // A high surrogate followed by an escaped low surrogate is one
            // rune; anything else decodes to U+FFFD and the next escape (if
            // any) is read on its own.
            int second = -1;
            if (i_ + 1 < s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u')
              second = ReadHex4(i_ + 2);
            if (r < 0xDC00 && second >= 0xDC00 && second < 0xE000) {
              r = 0x10000 + ((r - 0xD800) << 10) + (static_cast<char32_t>(second) - 0xDC00);
              i_ += 6;
            } else {
              r = kRuneError;
            }
          }
          AppendRune(dst, r);
          break;
        }
        default:
          return false;
      }
      continue;
    }
    if (c < 0x80) {
      dst.push_back(static_cast<char>(c));
      ++i_;
      continue;
    }
    DecodedRune r = DecodeRune(s_.substr(i_));
    if (r.width == 1) {
      AppendRune(dst, kRuneError);
    } else {
      dst.append(s_.substr(i_, r.width));
    }
    i_ += r.width;
  }
  return false;
}

bool JsonScanner::ScanNumberOrLiteral() {
  for (std::string_view lit : {"true", "false", "null"}) {
    if (s_.substr(i_, lit.size()) == lit) {
      i_ += lit.size();
      return true;
    }
  }
  auto digit = [&] { return i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9'; };
  if (Peek('-')) ++i_;
  if (Peek('0')) {
    ++i_;
  } else if (digit()) {
    while (digit()) ++i_;
  } else {
    return false;
  }
  if (Peek('.')) {
    ++i_;
    if (!digit()) return false;
    while (digit()) ++i_;
  }
  if (Peek('e') || Peek('E')) {
    ++i_;
    if (Peek('+') || Peek('-')) ++i_;
    if (!digit()) return false;
    while (digit()) ++i_;
  }
  return true;
}

// An explicit stack instead of recursion: arbitrary input cannot exhaust the
// call stack.
JsonArrayParse JsonScanner::Run() {
  JsonArrayParse result;
  enum class Want { kValue, kAfterValue, kObjectKey };
  std::string containers;  // '[' and '{' of the open containers, innermost last
  bool saw_non_string = false;
  Want want = Want::kValue;
  while (true) {
    SkipWhitespace();
    if (want == Want::kValue) {
      if (i_ >= s_.size()) return result;
      const char c = s_[i_];
      const bool top_level_element = containers.size() == 1;
      if (c == '[' || c == '{') {
        if (top_level_element) saw_non_string = true;
        containers.push_back(c);
        if (containers.size() > kMaxNestingDepth) return result;
        ++i_;
        SkipWhitespace();
        if (Peek(c == '[' ? ']' : '}')) {
          ++i_;
          containers.pop_back();
          want = Want::kAfterValue;
        } else {
          want = c == '[' ? Want::kValue : Want::kObjectKey;
        }
        continue;
      }
      if (c == '"') {
        std::string value;
        if (!ScanString(top_level_element ? &value : nullptr)) return result;
        if (top_level_element) result.values.push_back(std::move(value));
      } else {
        if (!ScanNumberOrLiteral()) return result;
        if (top_level_element) saw_non_string = true;
      }
      want = Want::kAfterValue;
      continue;
    }
    if (want == Want::kObjectKey) {
      if (!Peek('"') || !ScanString(nullptr)) return result;
      SkipWhitespace();
      if (!Peek(':')) return result;
      ++i_;
      want = Want::kValue;
      continue;
    }
    // kAfterValue
    if (containers.empty()) {
      if (i_ != s_.size()) return result;
      break;
    }
    const char open = containers.back();
    if (Peek(',')) {
      ++i_;
      want = open == '[' ? Want::kValue : Want::kObjectKey;
    } else if (Peek(open == '[' ? ']' : '}')) {
      ++i_;
      containers.pop_back();
    } else {
      return result;
    }
  }
  result.outcome =
      saw_non_string ? JsonArrayParse::Outcome::kNotStringArray : JsonArrayParse::Outcome::kStrings;
  if (saw_non_string) result.values.clear();
  return result;
}

}  // namespace

JsonArrayParse ParseJsonStringArray(std::string_view text) {
  text = TrimLeftSpace(text);
  if (text.empty() || text[0] != '[') return {};
  return JsonScanner(text).Run();
}

}  // namespace distill::dockerfile::syntax
