#include "debian/dependency.h"

namespace distill::debian {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void SkipSpace(std::string_view s, size_t* i) {
  while (*i < s.size() && IsSpace(s[*i])) ++*i;
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '-' || c == '.';
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    parts.push_back(
        s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return parts;
}

Result<Dependency> ParseOne(std::string_view s, std::string_view field_name) {
  auto error = [&](const std::string& what) {
    return Status::Invalid(std::string(field_name) + ": " + what + " in \"" +
                           std::string(s.substr(0, 200)) + "\"");
  };
  Dependency d;
  size_t i = 0;
  SkipSpace(s, &i);
  size_t start = i;
  while (i < s.size() && IsNameChar(s[i])) ++i;
  if (i == start) return error("missing package name");
  d.name = std::string(s.substr(start, i - start));
  if (i < s.size() && s[i] == ':') {
    ++i;
    size_t q = i;
    while (i < s.size() && IsNameChar(s[i])) ++i;
    if (i == q) return error("empty architecture qualifier");
    d.arch_qualifier = std::string(s.substr(q, i - q));
  }
  SkipSpace(s, &i);
  if (i < s.size() && s[i] == '(') {
    size_t close = s.find(')', i);
    if (close == std::string_view::npos) return error("unclosed '('");
    std::string_view inner = s.substr(i + 1, close - i - 1);
    size_t j = 0;
    SkipSpace(inner, &j);
    size_t op_start = j;
    while (j < inner.size() && (inner[j] == '<' || inner[j] == '>' || inner[j] == '=')) ++j;
    std::string_view op = inner.substr(op_start, j - op_start);
    auto relation = ParseRelation(op);
    if (!relation) return error("bad version relation \"" + std::string(op) + "\"");
    auto version = Version::Parse(inner.substr(j));
    if (!version.ok()) return error(version.status().message());
    d.relation = relation;
    d.version = std::move(*version);
    i = close + 1;
    SkipSpace(s, &i);
  }
  if (i < s.size() && s[i] == '[') {
    size_t close = s.find(']', i);
    if (close == std::string_view::npos) return error("unclosed '['");
    for (std::string_view arch : Split(s.substr(i + 1, close - i - 1), ' ')) {
      size_t a = 0;
      SkipSpace(arch, &a);
      arch.remove_prefix(a);
      while (!arch.empty() && IsSpace(arch.back())) arch.remove_suffix(1);
      if (!arch.empty()) d.architectures.emplace_back(arch);
    }
    if (d.architectures.empty()) return error("empty architecture list");
    i = close + 1;
    SkipSpace(s, &i);
  }
  while (i < s.size() && s[i] == '<') {
    size_t close = s.find('>', i);
    if (close == std::string_view::npos) return error("unclosed '<'");
    d.profiles.emplace_back(s.substr(i + 1, close - i - 1));
    i = close + 1;
    SkipSpace(s, &i);
  }
  if (i != s.size()) return error("unexpected \"" + std::string(s.substr(i)) + "\"");
  return d;
}

}  // namespace

std::string Dependency::str() const {
  std::string out = name;
  if (!arch_qualifier.empty()) out += ":" + arch_qualifier;
  if (relation) {
    out += " (";
    out += RelationSymbol(*relation);
    out += " " + version.str() + ")";
  }
  if (!architectures.empty()) {
    out += " [";
    for (size_t i = 0; i < architectures.size(); ++i) {
      if (i > 0) out += " ";
      out += architectures[i];
    }
    out += "]";
  }
  for (const std::string& p : profiles) out += " <" + p + ">";
  return out;
}

bool Dependency::VersionMatches(const Version& candidate) const {
  return !relation || Satisfies(candidate, *relation, version);
}

bool Dependency::AppliesTo(std::string_view arch) const {
  if (architectures.empty()) return true;
  bool negated = architectures.front().starts_with("!");
  for (const std::string& a : architectures) {
    std::string_view listed = a;
    if (listed.starts_with("!")) listed.remove_prefix(1);
    if (listed == arch || listed == "any") return !negated;
  }
  return negated;
}

std::string GroupString(const DependencyGroup& group) {
  std::string out;
  for (size_t i = 0; i < group.size(); ++i) {
    if (i > 0) out += " | ";
    out += group[i].str();
  }
  return out;
}

Result<std::vector<DependencyGroup>> ParseDependencies(std::string_view text,
                                                       std::string_view field_name) {
  std::vector<DependencyGroup> groups;
  for (std::string_view group_text : Split(text, ',')) {
    size_t i = 0;
    SkipSpace(group_text, &i);
    if (i == group_text.size()) continue;
    DependencyGroup group;
    for (std::string_view alt : Split(group_text, '|')) {
      DISTILL_ASSIGN_OR_RETURN(Dependency d, ParseOne(alt, field_name));
      group.push_back(std::move(d));
    }
    groups.push_back(std::move(group));
  }
  return groups;
}

Result<std::vector<Dependency>> ParseDependencyList(std::string_view text,
                                                    std::string_view field_name) {
  DISTILL_ASSIGN_OR_RETURN(auto groups, ParseDependencies(text, field_name));
  std::vector<Dependency> out;
  for (DependencyGroup& g : groups) {
    if (g.size() != 1) {
      return Status::Invalid(std::string(field_name) +
                             ": alternatives ('|') are not allowed in \"" +
                             std::string(text.substr(0, 200)) + "\"");
    }
    out.push_back(std::move(g.front()));
  }
  return out;
}

}  // namespace distill::debian
