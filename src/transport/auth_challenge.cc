#include "transport/auth_challenge.h"

#include <algorithm>
#include <cctype>

namespace distill::transport {
namespace {

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~/=:").find(c) != std::string_view::npos;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}
  void SkipSpaces() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t')) ++pos_;
  }
  bool AtEnd() {
    SkipSpaces();
    return pos_ >= s_.size();
  }
  bool Consume(char c) {
    SkipSpaces();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  char Peek() {
    SkipSpaces();
    return pos_ < s_.size() ? s_[pos_] : '\0';
  }
  // A token; '=' is excluded when `param_name` (it ends the name).
  std::string Token(bool param_name) {
    SkipSpaces();
    size_t start = pos_;
    while (pos_ < s_.size() && IsTokenChar(s_[pos_]) && !(param_name && s_[pos_] == '=')) ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }
  Result<std::string> Quoted() {
    // Opening quote already consumed.
    std::string out;
    while (pos_ < s_.size()) {
      char c = s_[pos_++];
      if (c == '"') return out;
      if (c == '\\' && pos_ < s_.size()) c = s_[pos_++];
      out.push_back(c);
    }
    return Status::Invalid("unterminated quoted string");
  }
  size_t pos() const { return pos_; }
  void set_pos(size_t p) { pos_ = p; }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

Result<std::vector<AuthChallenge>> ParseAuthChallenges(std::string_view header) {
  auto bad = [&](const std::string& why) {
    return Status::Invalid("malformed WWW-Authenticate header \"" + std::string(header) +
                           "\": " + why);
  };
  std::vector<AuthChallenge> out;
  Scanner sc(header);
  while (!sc.AtEnd()) {
    if (sc.Consume(',')) continue;
    std::string scheme = sc.Token(true);
    if (scheme.empty()) return bad("expected an auth scheme");
    AuthChallenge ch;
    ch.scheme = Lower(scheme);
    // Parameters: name=value pairs separated by commas, until the next scheme
    // (a token not followed by '=').
    while (!sc.AtEnd()) {
      size_t save = sc.pos();
      sc.Consume(',');
      std::string name = sc.Token(true);
      if (name.empty() || !sc.Consume('=')) {
        sc.set_pos(save);
        break;
      }
      std::string value;
      if (sc.Consume('"')) {
        auto q = sc.Quoted();
        if (!q.ok()) return bad(q.status().message());
        value = *q;
      } else {
        value = sc.Token(false);
      }
      ch.params[Lower(name)] = value;
      if (sc.Peek() != ',' && !sc.AtEnd()) return bad("expected ',' after parameter " + name);
    }
    out.push_back(std::move(ch));
  }
  if (out.empty()) return bad("no challenge");
  return out;
}

namespace {
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
}

std::string Base64Encode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t v = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8) | uint8_t(data[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < data.size()) {
    uint32_t v = uint8_t(data[i]) << 16;
    if (i + 1 < data.size()) v |= uint8_t(data[i + 1]) << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Result<std::string> Base64Decode(std::string_view text) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    const char* p = std::char_traits<char>::find(kAlphabet, 64, c);
    if (p == nullptr) return Status::Invalid("not base64");
    acc = (acc << 6) | uint32_t(p - kAlphabet);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += char((acc >> bits) & 0xff);
    }
  }
  return out;
}

}  // namespace distill::transport
