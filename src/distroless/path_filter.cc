#include "distroless/path_filter.h"

#include <algorithm>

namespace distill::distroless {
namespace {

bool IsOrUnder(std::string_view path, std::string_view dir) {
  return path == dir ||
         (path.size() > dir.size() && path.substr(0, dir.size()) == dir && path[dir.size()] == '/');
}

// The path's components after `dir` + '/', or "" when it is not under it.
std::string_view Below(std::string_view path, std::string_view dir) {
  if (path.size() <= dir.size() + 1 || path.substr(0, dir.size()) != dir || path[dir.size()] != '/')
    return {};
  return path.substr(dir.size() + 1);
}

}  // namespace

bool KeepPath(std::string_view path) {
  for (std::string_view dropped : {"usr/share/man", "usr/share/info", "usr/share/lintian",
                                   "usr/share/locale", "usr/share/i18n"}) {
    if (IsOrUnder(path, dropped)) return false;
  }
  if (std::string_view rest = Below(path, "usr/share/doc"); !rest.empty()) {
    // usr/share/doc/PKG (directory or symlink to another package's) and
    // usr/share/doc/PKG/copyright stay; everything else there goes.
    size_t slash = rest.find('/');
    if (slash == std::string_view::npos) return true;
    return rest.substr(slash + 1) == "copyright";
  }
  if (std::string_view rest = Below(path, "usr/lib/locale"); !rest.empty()) {
    std::string_view top = rest.substr(0, rest.find('/'));
    return top == "C.utf8" || top == "C.UTF-8";
  }
  return true;
}

std::optional<std::string> MergedUsrPath(std::string_view path) {
  std::string_view top = path.substr(0, path.find('/'));
  bool merged = std::find(std::begin(kMergedUsrDirs), std::end(kMergedUsrDirs), top) !=
                std::end(kMergedUsrDirs);
  if (!merged) return std::string(path);
  if (top.size() == path.size()) return std::nullopt;
  return "usr/" + std::string(path);
}

}  // namespace distill::distroless
