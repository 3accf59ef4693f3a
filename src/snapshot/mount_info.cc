#include "snapshot/mount_info.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace distill::snapshot {

namespace {

// mountinfo escapes space, tab, newline and backslash as \ooo (octal).
std::string UnescapeOctal(std::string_view s) {
  auto is_oct = [](char c) { return c >= '0' && c <= '7'; };
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && is_oct(s[i + 1]) && is_oct(s[i + 2]) &&
        is_oct(s[i + 3])) {
      out.push_back(
          static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0')));
      i += 3;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

}  // namespace

Result<std::vector<std::string>> ParseMountPoints(std::string_view mountinfo) {
  std::vector<std::string> out;
  size_t line_no = 0;
  while (!mountinfo.empty()) {
    size_t eol = mountinfo.find('\n');
    std::string_view line = mountinfo.substr(0, eol);
    mountinfo = eol == std::string_view::npos ? std::string_view() : mountinfo.substr(eol + 1);
    ++line_no;
    if (line.empty()) continue;
    // Fields: id parent major:minor root mount_point options ...
    std::string_view rest = line;
    std::string_view field;
    for (int i = 0; i < 5; ++i) {
      size_t start = rest.find_first_not_of(' ');
      if (start == std::string_view::npos) {
        return Status::Corrupt("/proc/self/mountinfo line " + std::to_string(line_no) +
                               ": fewer than 5 fields");
      }
      rest = rest.substr(start);
      size_t end = rest.find(' ');
      field = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    }
    out.push_back(UnescapeOctal(field));
  }
  return out;
}

std::vector<std::string> FilterMountPointsUnder(const std::vector<std::string>& mounts,
                                                const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& m : mounts) {
    if (m == dir ||
        (m.size() > dir.size() && m.compare(0, dir.size(), dir) == 0 && m[dir.size()] == '/')) {
      out.push_back(m);
    }
  }
  // Later mounts may stack on earlier ones at the same point: unmount in reverse
  // table order, deeper paths first.
  std::reverse(out.begin(), out.end());
  std::stable_sort(out.begin(), out.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return out;
}

Result<std::vector<std::string>> MountPointsUnder(const std::string& dir) {
  std::ifstream in("/proc/self/mountinfo");
  if (!in) return Status::Io("cannot read /proc/self/mountinfo (is /proc mounted?)");
  std::stringstream ss;
  ss << in.rdbuf();
  DISTILL_ASSIGN_OR_RETURN(auto mounts, ParseMountPoints(ss.str()));
  return FilterMountPointsUnder(mounts, dir);
}

}  // namespace distill::snapshot
