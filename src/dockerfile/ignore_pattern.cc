#include "dockerfile/ignore_pattern.h"

#include "dockerfile/utf8_units.h"

namespace distill::dockerfile {
namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Reads one class character (possibly `\`-escaped) at `pos`, as Go's
// filepath.Match does; fails where Match reports ErrBadPattern.
Result<uint32_t> ClassChar(std::string_view p, size_t& pos, std::string_view pattern) {
  const Status bad =
      Status::Invalid("bad character class in pattern \"" + std::string(pattern) + "\"");
  if (pos >= p.size() || p[pos] == '-' || p[pos] == ']') return bad;
  if (p[pos] == '\\') {
    ++pos;
    if (pos >= p.size()) return bad;
  }
  const utf8::Unit unit = utf8::DecodeAt(p, pos);
  pos += unit.length;
  if (pos >= p.size()) {
    return Status::Invalid("unterminated character class in pattern \"" + std::string(pattern) +
                           "\"");
  }
  return unit.code_point;
}

}  // namespace

Result<IgnorePattern> IgnorePattern::Compile(std::string_view pattern) {
  IgnorePattern out;
  out.text_ = std::string(pattern);
  const std::string_view p = out.text_;
  size_t pos = 0;
  for (int iteration = 0; pos < p.size(); ++iteration) {
    const char c = p[pos];
    if (c == '*') {
      if (pos + 1 < p.size() && p[pos + 1] == '*') {
        pos += 2;
        if (pos < p.size() && p[pos] == '/') ++pos;  // "**/" is "**"
        if (pos == p.size()) {
          if (out.type_ == Type::kExact) {
            out.type_ = Type::kPrefix;
          } else {
            out.atoms_.push_back({Kind::kAnyTail, "", {}, false});
            out.type_ = Type::kGlob;
          }
        } else {
          out.atoms_.push_back({Kind::kAnyDirs, "", {}, false});
          out.type_ = Type::kGlob;
        }
        if (iteration == 0) out.type_ = Type::kSuffix;
      } else {
        out.atoms_.push_back({Kind::kAnyRun, "", {}, false});
        out.type_ = Type::kGlob;
        ++pos;
      }
    } else if (c == '?') {
      out.atoms_.push_back({Kind::kAnyChar, "", {}, false});
      out.type_ = Type::kGlob;
      ++pos;
    } else if (c == '\\') {
      if (pos + 1 >= p.size()) {
        return Status::Invalid("pattern \"" + out.text_ + "\" ends with an escape character");
      }
      const size_t len = utf8::DecodeAt(p, pos + 1).length;
      out.atoms_.push_back({Kind::kLiteral, std::string(p.substr(pos + 1, len)), {}, false});
      out.type_ = Type::kGlob;
      pos += 1 + len;
    } else if (c == '[') {
      Atom atom{Kind::kClass, "", {}, false};
      ++pos;
      if (pos < p.size() && p[pos] == '^') {
        atom.negated = true;
        ++pos;
      }
      for (;;) {
        if (pos < p.size() && p[pos] == ']' && !atom.ranges.empty()) {
          ++pos;
          break;
        }
        DISTILL_ASSIGN_OR_RETURN(const uint32_t lo, ClassChar(p, pos, out.text_));
        uint32_t hi = lo;
        if (p[pos] == '-') {
          ++pos;
          DISTILL_ASSIGN_OR_RETURN(hi, ClassChar(p, pos, out.text_));
        }
        atom.ranges.push_back({lo, hi});
      }
      out.atoms_.push_back(std::move(atom));
      out.type_ = Type::kGlob;
    } else {
      const size_t len = utf8::DecodeAt(p, pos).length;
      out.atoms_.push_back({Kind::kLiteral, std::string(p.substr(pos, len)), {}, false});
      pos += len;
    }
  }
  return out;
}

void IgnorePattern::AddState(std::vector<char>& states, size_t state) const {
  // Follows the moves that consume nothing: every kind of star may match empty.
  const size_t n = atoms_.size();
  while (state <= n && !states[state]) {
    states[state] = 1;
    if (state == n) return;
    const Kind kind = atoms_[state].kind;
    if (kind != Kind::kAnyRun && kind != Kind::kAnyTail && kind != Kind::kAnyDirs) return;
    ++state;
  }
}

bool IgnorePattern::ClassMatches(const Atom& atom, uint32_t cp) const {
  bool in = false;
  for (const Range& r : atom.ranges) in = in || (r.lo <= cp && cp <= r.hi);
  return in != atom.negated;
}

std::vector<char> IgnorePattern::Run(std::string_view path) const {
  // States 0..n are "next atom to match"; n+1+i is "inside the directories
  // matched by the `**` at atom i" (it must be left right after a '/').
  const size_t n = atoms_.size();
  std::vector<char> current(2 * n + 1, 0);
  std::vector<char> next(2 * n + 1, 0);
  AddState(current, 0);
  for (size_t pos = 0; pos < path.size();) {
    const utf8::Unit unit = utf8::DecodeAt(path, pos);
    const std::string_view ch = path.substr(pos, unit.length);
    const bool slash = ch == "/";
    std::fill(next.begin(), next.end(), 0);
    bool any = false;
    for (size_t s = 0; s < n; ++s) {
      if (current[s]) {
        const Atom& atom = atoms_[s];
        switch (atom.kind) {
          case Kind::kLiteral:
            if (ch == atom.literal) AddState(next, s + 1);
            break;
          case Kind::kAnyChar:
            if (!slash) AddState(next, s + 1);
            break;
          case Kind::kAnyRun:
            if (!slash) AddState(next, s);
            break;
          case Kind::kAnyTail:
            AddState(next, s);
            break;
          case Kind::kAnyDirs:
            next[n + 1 + s] = 1;
            if (slash) AddState(next, s + 1);
            break;
          case Kind::kClass:
            if (ClassMatches(atom, unit.code_point)) AddState(next, s + 1);
            break;
        }
      }
      if (current[n + 1 + s]) {
        next[n + 1 + s] = 1;
        if (slash) AddState(next, s + 1);
      }
    }
    for (char live : next) any = any || live;
    std::swap(current, next);
    if (!any) break;
    pos += unit.length;
  }
  return current;
}

bool IgnorePattern::Matches(std::string_view path) const {
  switch (type_) {
    case Type::kExact:
      return path == text_;
    case Type::kPrefix:
      return StartsWith(path, std::string_view(text_).substr(0, text_.size() - 2));
    case Type::kSuffix: {
      const std::string_view suffix = std::string_view(text_).substr(2);
      if (path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix) {
        return true;
      }
      return !suffix.empty() && suffix[0] == '/' && path == suffix.substr(1);
    }
    case Type::kGlob:
      return Run(path)[atoms_.size()] != 0;
  }
  return false;
}

bool IgnorePattern::CouldMatchBelow(std::string_view dir) const {
  const std::string below = std::string(dir) + "/";
  switch (type_) {
    case Type::kExact:
      return text_.size() > below.size() && StartsWith(text_, below);
    case Type::kPrefix: {
      const std::string_view prefix = std::string_view(text_).substr(0, text_.size() - 2);
      return StartsWith(below, prefix) || StartsWith(prefix, below);
    }
    case Type::kSuffix:
      return true;
    case Type::kGlob: {
      const std::vector<char> states = Run(below);
      for (size_t s = 0; s < states.size(); ++s) {
        if (states[s] && s != atoms_.size()) return true;
      }
      return false;
    }
  }
  return true;
}

}  // namespace distill::dockerfile
