#include "dockerfile/clean_path.h"

namespace distill::dockerfile {

std::string CleanPath(std::string_view path) {
  if (path.empty()) return ".";
  const bool rooted = path[0] == '/';
  const size_t n = path.size();
  std::string out;
  size_t read = 0;
  size_t dotdot = 0;  // out[:dotdot] may not be backtracked over by ".."
  if (rooted) {
    out.push_back('/');
    read = 1;
    dotdot = 1;
  }
  while (read < n) {
    const bool at_sep = path[read] == '/';
    const bool dot = path[read] == '.' && (read + 1 == n || path[read + 1] == '/');
    const bool dot_dot = path[read] == '.' && read + 1 < n && path[read + 1] == '.' &&
                         (read + 2 == n || path[read + 2] == '/');
    if (at_sep || dot) {
      ++read;
    } else if (dot_dot) {
      read += 2;
      if (out.size() > dotdot) {
        // Drop the last element.
        size_t w = out.size() - 1;
        while (w > dotdot && out[w] != '/') --w;
        out.resize(w);
      } else if (!rooted) {
        // Cannot go above a relative path's start: keep the "..".
        if (!out.empty()) out.push_back('/');
        out.append("..");
        dotdot = out.size();
      }
    } else {
      if ((rooted && out.size() != 1) || (!rooted && !out.empty())) out.push_back('/');
      while (read < n && path[read] != '/') out.push_back(path[read++]);
    }
  }
  return out.empty() ? "." : out;
}

}  // namespace distill::dockerfile
