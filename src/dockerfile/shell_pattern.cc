#include "dockerfile/shell_pattern.h"

#include <algorithm>

#include "dockerfile/utf8_units.h"

namespace distill::dockerfile {
namespace {

// The reference reverses a pattern character by character but keeps each
// backslash in front of the character it escapes ("a\*c" becomes "c\*a").
std::vector<std::string_view> ReversePatternUnits(const std::vector<std::string_view>& in) {
  std::vector<std::string_view> out(in.size());
  if (in.empty()) return out;
  const size_t last = in.size() - 1;
  for (size_t i = 0; i <= last;) {
    const size_t out_index = last - i;
    if (in[i] == "\\" && i != last) {
      out[out_index - 1] = in[i];
      out[out_index] = in[i + 1];
      i += 2;
    } else {
      out[out_index] = in[i];
      ++i;
    }
  }
  return out;
}

std::string Join(const std::vector<std::string_view>& units, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end; ++i) out.append(units[i]);
  return out;
}

}  // namespace

std::vector<std::string_view> SplitUnits(std::string_view s) {
  std::vector<std::string_view> units;
  units.reserve(s.size());
  for (size_t pos = 0; pos < s.size();) {
    const size_t len = utf8::DecodeAt(s, pos).length;
    units.push_back(s.substr(pos, len));
    pos += len;
  }
  return units;
}

Result<ShellPattern> ShellPattern::Compile(std::string_view pattern, bool reversed) {
  std::vector<std::string_view> units = SplitUnits(pattern);
  if (reversed) units = ReversePatternUnits(units);
  ShellPattern compiled;
  for (size_t i = 0; i < units.size(); ++i) {
    const std::string_view unit = units[i];
    if (unit == "*") {
      compiled.atoms_.push_back({Kind::kAnyRun, ""});
    } else if (unit == "?") {
      compiled.atoms_.push_back({Kind::kAnyChar, ""});
    } else if (unit == "\\") {
      const std::string_view next = i + 1 < units.size() ? units[i + 1] : std::string_view();
      // `\}` and `\/` only protect the delimiters of ${...}; the backslash is
      // dropped and the delimiter read as an ordinary character next round.
      if (next == "}" || next == "/") continue;
      if (next.empty()) {
        return Status::Invalid("invalid pattern (" + std::string(pattern) +
                               ") in substitution: '\\' at end of pattern");
      }
      if (next != "*" && next != "?" && next != "\\") {
        return Status::Invalid("invalid pattern (" + std::string(pattern) +
                               ") in substitution: invalid escape '\\" + std::string(next) + "'");
      }
      compiled.atoms_.push_back({Kind::kLiteral, std::string(next)});
      ++i;
    } else {
      compiled.atoms_.push_back({Kind::kLiteral, std::string(unit)});
    }
  }
  return compiled;
}

// A Pike VM: all match attempts advance together, one character at a time, in
// priority order, so the first-preferred match is found in O(atoms * chars)
// without backtracking (no blow-up on patterns like `*a*a*a*b`).
std::optional<ShellPattern::Match> ShellPattern::Find(const std::vector<std::string_view>& units,
                                                      size_t from, bool anchored,
                                                      bool longest) const {
  struct Thread {
    size_t pc;     // index into atoms_; atoms_.size() means "matched"
    size_t start;  // where this attempt began
  };
  const size_t n = atoms_.size();
  struct List {
    std::vector<Thread> threads;
    std::vector<char> seen;
  };
  List current{{}, std::vector<char>(n + 1, 0)};
  List next{{}, std::vector<char>(n + 1, 0)};

  // Adds the thread for `pc` and everything reachable without consuming a
  // character (skipping over `*`), in the order the reference would try them.
  auto add = [&](List& list, size_t pc, size_t start) {
    std::vector<size_t> stars;
    while (pc < n && !list.seen[pc] && atoms_[pc].kind == Kind::kAnyRun) {
      list.seen[pc] = 1;
      stars.push_back(pc);
      if (longest) list.threads.push_back({pc, start});
      ++pc;
    }
    // The loop stops at the end, at a character-consuming atom, or at a star
    // already queued (by a higher-priority path).
    if (!list.seen[pc]) {
      list.seen[pc] = 1;
      list.threads.push_back({pc, start});
    }
    if (!longest) {
      for (auto it = stars.rbegin(); it != stars.rend(); ++it) list.threads.push_back({*it, start});
    }
  };

  std::optional<Match> found;
  add(current, 0, from);
  for (size_t pos = from;; ++pos) {
    if (pos > from && !anchored && !found) add(current, 0, pos);
    if (current.threads.empty()) break;
    const bool at_end = pos >= units.size();
    for (const Thread& t : current.threads) {
      if (t.pc == n) {
        found = Match{t.start, pos};
        break;  // lower-priority attempts can no longer win
      }
      if (at_end) continue;
      const Atom& atom = atoms_[t.pc];
      const std::string_view unit = units[pos];
      switch (atom.kind) {
        case Kind::kLiteral:
          if (unit == atom.literal) add(next, t.pc + 1, t.start);
          break;
        case Kind::kAnyChar:
          if (unit != "\n") add(next, t.pc + 1, t.start);
          break;
        case Kind::kAnyRun:
          if (unit != "\n") add(next, t.pc, t.start);
          break;
      }
    }
    if (at_end) break;
    std::swap(current, next);
    next.threads.clear();
    std::fill(next.seen.begin(), next.seen.end(), 0);
  }
  return found;
}

Result<std::string> TrimShellPrefix(std::string_view value, std::string_view pattern,
                                    bool longest) {
  DISTILL_ASSIGN_OR_RETURN(ShellPattern compiled, ShellPattern::Compile(pattern));
  const std::vector<std::string_view> units = SplitUnits(value);
  const auto match = compiled.Find(units, 0, /*anchored=*/true, longest);
  if (!match) return std::string(value);
  return Join(units, match->end, units.size());
}

Result<std::string> TrimShellSuffix(std::string_view value, std::string_view pattern,
                                    bool longest) {
  // Shortest/longest rightmost matching is leftmost matching on the reversed
  // text with the reversed pattern.
  DISTILL_ASSIGN_OR_RETURN(ShellPattern compiled, ShellPattern::Compile(pattern, true));
  std::vector<std::string_view> units = SplitUnits(value);
  std::reverse(units.begin(), units.end());
  const auto match = compiled.Find(units, 0, /*anchored=*/true, longest);
  if (!match) return std::string(value);
  std::reverse(units.begin(), units.end());
  return Join(units, 0, units.size() - match->end);
}

namespace {

// Go's regexp template expansion for a pattern without groups: `$$` is `$`,
// `$0`/`${0}` the match, any other well-formed reference is empty, and a `$`
// that starts no reference is kept.
void ExpandTemplate(std::string_view tmpl, std::string_view match, std::string* out) {
  while (!tmpl.empty()) {
    const size_t dollar = tmpl.find('$');
    if (dollar == std::string_view::npos) {
      out->append(tmpl);
      return;
    }
    out->append(tmpl.substr(0, dollar));
    tmpl.remove_prefix(dollar);
    if (tmpl.size() > 1 && tmpl[1] == '$') {
      out->push_back('$');
      tmpl.remove_prefix(2);
      continue;
    }
    const bool brace = tmpl.size() > 1 && tmpl[1] == '{';
    std::string_view rest = tmpl.substr(brace ? 2 : 1);
    size_t len = 0;
    while (len < rest.size()) {
      const utf8::Unit unit = utf8::DecodeAt(rest, len);
      if (!utf8::IsNameChar(unit.code_point)) break;
      len += unit.length;
    }
    const std::string_view name = rest.substr(0, len);
    bool ok = !name.empty();
    if (ok && brace) {
      ok = len < rest.size() && rest[len] == '}';
      if (ok) ++len;
    }
    if (!ok) {
      out->push_back('$');
      tmpl.remove_prefix(1);
      continue;
    }
    // Only group 0 exists; "0" is the one name that refers to it.
    if (name == "0") out->append(match);
    tmpl = rest.substr(len);
  }
}

}  // namespace

Result<std::string> ReplaceShellPattern(std::string_view value, std::string_view pattern,
                                        std::string_view replacement, bool all, size_t max_bytes) {
  DISTILL_ASSIGN_OR_RETURN(ShellPattern compiled, ShellPattern::Compile(pattern));
  const std::vector<std::string_view> units = SplitUnits(value);
  const Status too_large =
      Status::Invalid("result of ${.../" + std::string(pattern) + "/...} is larger than " +
                      std::to_string(max_bytes) + " bytes");
  if (!all) {
    const auto match = compiled.Find(units, 0, /*anchored=*/false, /*longest=*/true);
    if (!match) return std::string(value);
    std::string out = Join(units, 0, match->begin);
    out.append(replacement);
    out.append(Join(units, match->end, units.size()));
    if (out.size() > max_bytes) return too_large;
    return out;
  }
  // Mirrors Go's Regexp.ReplaceAllString: an empty match right after a
  // previous match is not replaced, and the search always moves forward.
  std::string out;
  size_t last_end = 0;
  size_t search = 0;
  while (search <= units.size()) {
    const auto match = compiled.Find(units, search, /*anchored=*/false, /*longest=*/true);
    if (!match) break;
    out.append(Join(units, last_end, match->begin));
    if (match->end > last_end || match->begin == 0) {
      ExpandTemplate(replacement, Join(units, match->begin, match->end), &out);
    }
    if (out.size() > max_bytes) return too_large;
    last_end = match->end;
    search = std::max(search + 1, match->end);
  }
  out.append(Join(units, last_end, units.size()));
  if (out.size() > max_bytes) return too_large;
  return out;
}

}  // namespace distill::dockerfile
