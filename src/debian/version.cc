#include "debian/version.h"

#include <cctype>

namespace distill::debian {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Weight of one non-digit character: '~' below the end of the string (0),
// letters by their code, everything else after all letters.
int Order(char c) {
  if (IsDigit(c)) return 0;
  if (IsAlpha(c)) return static_cast<unsigned char>(c);
  if (c == '~') return -1;
  return static_cast<unsigned char>(c) + 256;
}

// The comparison of one part (upstream or revision): alternating non-digit and
// digit runs, the former by Order(), the latter numerically.
int ComparePart(std::string_view a, std::string_view b) {
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() || j < b.size()) {
    int first_diff = 0;
    while ((i < a.size() && !IsDigit(a[i])) || (j < b.size() && !IsDigit(b[j]))) {
      int ac = i < a.size() ? Order(a[i]) : 0;
      int bc = j < b.size() ? Order(b[j]) : 0;
      if (ac != bc) return ac - bc;
      ++i;
      ++j;
    }
    while (i < a.size() && a[i] == '0') ++i;
    while (j < b.size() && b[j] == '0') ++j;
    while (i < a.size() && IsDigit(a[i]) && j < b.size() && IsDigit(b[j])) {
      if (first_diff == 0) first_diff = a[i] - b[j];
      ++i;
      ++j;
    }
    if (i < a.size() && IsDigit(a[i])) return 1;  // a's number has more digits
    if (j < b.size() && IsDigit(b[j])) return -1;
    if (first_diff != 0) return first_diff;
  }
  return 0;
}

}  // namespace

Result<Version> Version::Parse(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  const std::string quoted = "version \"" + std::string(text) + "\"";
  if (text.empty()) return Status::Invalid("version string is empty");
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      return Status::Invalid(quoted + " has embedded spaces");
    }
  }
  Version v;
  size_t colon = text.find(':');
  if (colon != std::string_view::npos) {
    std::string_view epoch = text.substr(0, colon);
    if (epoch.empty()) return Status::Invalid(quoted + ": epoch is empty");
    unsigned long value = 0;
    for (char c : epoch) {
      if (!IsDigit(c)) return Status::Invalid(quoted + ": epoch is not a number");
      value = value * 10 + static_cast<unsigned long>(c - '0');
      if (value > 0x7fffffffUL) return Status::Invalid(quoted + ": epoch is too big");
    }
    v.epoch = value;
    text.remove_prefix(colon + 1);
    if (text.empty()) return Status::Invalid(quoted + ": nothing after the colon");
  }
  size_t hyphen = text.rfind('-');
  if (hyphen != std::string_view::npos) {
    v.revision = std::string(text.substr(hyphen + 1));
    if (v.revision.empty()) return Status::Invalid(quoted + ": revision is empty");
    text = text.substr(0, hyphen);
  }
  if (text.empty()) return Status::Invalid(quoted + ": upstream version is empty");
  v.upstream = std::string(text);
  return v;
}

std::string Version::str() const {
  std::string out;
  if (epoch != 0) out = std::to_string(epoch) + ":";
  out += upstream;
  if (!revision.empty()) out += "-" + revision;
  return out;
}

int CompareVersions(const Version& a, const Version& b) {
  if (a.epoch != b.epoch) return a.epoch < b.epoch ? -1 : 1;
  int c = ComparePart(a.upstream, b.upstream);
  if (c != 0) return c;
  return ComparePart(a.revision, b.revision);
}

int CompareVersionStrings(std::string_view a, std::string_view b) {
  auto va = Version::Parse(a);
  auto vb = Version::Parse(b);
  Version fa = va.ok() ? *va : Version{0, std::string(a), ""};
  Version fb = vb.ok() ? *vb : Version{0, std::string(b), ""};
  return CompareVersions(fa, fb);
}

std::optional<Relation> ParseRelation(std::string_view op) {
  if (op == "<<") return Relation::kLess;
  if (op == "<=" || op == "<") return Relation::kLessEqual;
  if (op == "=") return Relation::kEqual;
  if (op == ">=" || op == ">") return Relation::kGreaterEqual;
  if (op == ">>") return Relation::kGreater;
  return std::nullopt;
}

std::string_view RelationSymbol(Relation relation) {
  switch (relation) {
    case Relation::kLess:
      return "<<";
    case Relation::kLessEqual:
      return "<=";
    case Relation::kEqual:
      return "=";
    case Relation::kGreaterEqual:
      return ">=";
    case Relation::kGreater:
      return ">>";
  }
  return "?";
}

bool Satisfies(const Version& candidate, Relation relation, const Version& reference) {
  int c = CompareVersions(candidate, reference);
  switch (relation) {
    case Relation::kLess:
      return c < 0;
    case Relation::kLessEqual:
      return c <= 0;
    case Relation::kEqual:
      return c == 0;
    case Relation::kGreaterEqual:
      return c >= 0;
    case Relation::kGreater:
      return c > 0;
  }
  return false;
}

}  // namespace distill::debian
