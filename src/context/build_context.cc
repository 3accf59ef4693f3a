#include "context/build_context.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <deque>
#include <filesystem>

#include "context/glob.h"
#include "dockerfile/clean_path.h"
#include "util/file_system.h"

namespace distill::context {
namespace {

constexpr int kMaxSymlinks = 40;  // the kernel's own limit

// The cleaned tree-relative form of a path as written: "" for the root.
std::string CleanRelative(std::string_view path) {
  std::string clean = dockerfile::CleanPath("/" + std::string(path));
  return clean == "/" ? std::string() : clean.substr(1);
}

Status NotInContext(std::string_view source) {
  return Status::NotFound("file not found in build context or excluded by .dockerignore: stat " +
                          std::string(source) + ": file does not exist");
}

}  // namespace

std::string JoinTreePath(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  return std::string(a) + "/" + std::string(b);
}

Result<BuildContext> BuildContext::Open(const std::string& dir, dockerfile::DockerIgnore ignore) {
  return OpenDir(dir, Kind::kContext, std::move(ignore));
}

Result<BuildContext> BuildContext::OpenStageRootfs(const std::string& dir) {
  return OpenDir(dir, Kind::kStageRootfs, dockerfile::DockerIgnore());
}

Result<BuildContext> BuildContext::OpenDir(const std::string& dir, Kind kind,
                                           dockerfile::DockerIgnore ignore) {
  exec::UniqueFd fd(open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid()) {
    return Status::FromErrno(
        (kind == Kind::kContext ? "open build context " : "open stage root ") + dir, errno);
  }
  // An absolute root keeps stat-cache keys stable whatever the working directory.
  std::error_code ec;
  std::string root = std::filesystem::absolute(dir, ec).lexically_normal().string();
  if (ec || root.empty()) root = dir;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  return BuildContext(root, std::move(fd), kind, std::move(ignore));
}

bool BuildContext::Visible(const std::string& path, const struct stat& st) const {
  if (path.empty() || ignore_.empty() || !ignore_.Excluded(path)) return true;
  if (!S_ISDIR(st.st_mode) || ignore_.CanSkipDirectory(path)) return false;
  // An excluded directory exists only to hold something re-included below it.
  exec::UniqueFd fd(
      openat(root_fd_.get(), path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) return false;
  std::vector<TreeEntry> found;
  return WalkInto(fd.get(), path, &found, /*stop_at_first=*/true).ok() && !found.empty();
}

Result<std::vector<std::string>> BuildContext::ListNames(const std::string& dir) const {
  int fd = openat(root_fd_.get(), dir.empty() ? "." : dir.c_str(),
                  O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("open directory " + dir + " in " + root_, errno);
  DIR* d = fdopendir(fd);
  if (d == nullptr) {
    close(fd);
    return Status::FromErrno("read directory " + dir, errno);
  }
  std::vector<std::string> names;
  errno = 0;
  while (struct dirent* e = readdir(d)) {
    std::string_view name = e->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  int err = errno;
  closedir(d);
  if (err != 0) return Status::FromErrno("read directory " + dir + " in " + root_, err);
  std::sort(names.begin(), names.end());
  return names;
}

Status BuildContext::WalkInto(int dir_fd, const std::string& dir, std::vector<TreeEntry>* out,
                              bool stop_at_first) const {
  int dup = fcntl(dir_fd, F_DUPFD_CLOEXEC, 0);
  if (dup < 0) return Status::FromErrno("dup", errno);
  DIR* d = fdopendir(dup);
  if (d == nullptr) {
    close(dup);
    return Status::FromErrno("read directory " + dir + " in " + root_, errno);
  }
  rewinddir(d);
  std::vector<std::string> names;
  errno = 0;
  while (struct dirent* e = readdir(d)) {
    std::string_view name = e->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  int err = errno;
  closedir(d);
  if (err != 0) return Status::FromErrno("read directory " + dir + " in " + root_, err);
  std::sort(names.begin(), names.end());

  for (const std::string& name : names) {
    TreeEntry entry;
    entry.path = JoinTreePath(dir, name);
    if (fstatat(dir_fd, name.c_str(), &entry.st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue;  // removed while we walk
      return Status::FromErrno("stat " + entry.path + " in " + root_, errno);
    }
    bool excluded = !ignore_.empty() && ignore_.Excluded(entry.path);
    if (!S_ISDIR(entry.st.st_mode)) {
      if (excluded) continue;
      out->push_back(std::move(entry));
      if (stop_at_first) return Status::Ok();
      continue;
    }
    if (excluded && ignore_.CanSkipDirectory(entry.path)) continue;
    exec::UniqueFd child(
        openat(dir_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!child.valid()) return Status::FromErrno("open " + entry.path + " in " + root_, errno);
    size_t at = out->size();
    std::string path = entry.path;
    out->push_back(std::move(entry));
    if (!excluded && stop_at_first) return Status::Ok();
    DISTILL_RETURN_IF_ERROR(WalkInto(child.get(), path, out, stop_at_first));
    // An excluded directory stays only as the parent of re-included entries.
    if (excluded && out->size() == at + 1) out->erase(out->begin() + static_cast<long>(at));
    if (stop_at_first && !out->empty()) return Status::Ok();
  }
  return Status::Ok();
}

Result<std::vector<TreeEntry>> BuildContext::Walk(const std::string& dir) const {
  exec::UniqueFd fd(openat(root_fd_.get(), dir.empty() ? "." : dir.c_str(),
                           O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) return Status::FromErrno("open directory " + dir + " in " + root_, errno);
  std::vector<TreeEntry> out;
  DISTILL_RETURN_IF_ERROR(WalkInto(fd.get(), dir, &out, false));
  std::sort(out.begin(), out.end(),
            [](const TreeEntry& a, const TreeEntry& b) { return a.path < b.path; });
  return out;
}

Result<std::string> BuildContext::Resolve(std::string_view path, bool follow_last) const {
  std::deque<std::string> todo;
  for (auto& c : SplitPath(CleanRelative(path))) todo.push_back(std::move(c));
  std::vector<std::string> stack;
  int links = 0;
  while (!todo.empty()) {
    std::string comp = std::move(todo.front());
    todo.pop_front();
    if (comp == ".") continue;
    if (comp == "..") {
      if (!stack.empty()) stack.pop_back();
      continue;
    }
    std::string so_far;
    for (const auto& s : stack) so_far = JoinTreePath(so_far, s);
    std::string here = JoinTreePath(so_far, comp);
    struct stat st;
    if (fstatat(root_fd_.get(), here.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno != ENOENT && errno != ENOTDIR) {
        return Status::FromErrno("stat " + here + " in " + root_, errno);
      }
      // Missing: keep the rest as written; the caller's Stat reports it.
      stack.push_back(std::move(comp));
      for (auto& rest : todo) stack.push_back(std::move(rest));
      break;
    }
    bool last = todo.empty();
    if (S_ISLNK(st.st_mode) && (!last || follow_last)) {
      if (++links > kMaxSymlinks) {
        return Status::Invalid("too many levels of symbolic links resolving " + std::string(path) +
                               " in " + root_);
      }
      std::string target(4096, '\0');
      ssize_t n = readlinkat(root_fd_.get(), here.c_str(), target.data(), target.size());
      if (n < 0) return Status::FromErrno("readlink " + here + " in " + root_, errno);
      target.resize(static_cast<size_t>(n));
      if (!target.empty() && target[0] == '/') stack.clear();
      auto parts = SplitPath(target);
      todo.insert(todo.begin(), parts.begin(), parts.end());
      continue;
    }
    stack.push_back(std::move(comp));
  }
  std::string out;
  for (const auto& s : stack) out = JoinTreePath(out, s);
  return out;
}

Result<struct stat> BuildContext::Stat(const std::string& real) const {
  struct stat st;
  if (fstatat(root_fd_.get(), real.empty() ? "." : real.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return NotInContext(real);
    return Status::FromErrno("stat " + real + " in " + root_, errno);
  }
  if (!Visible(real, st)) return NotInContext(real);
  return st;
}

Result<std::vector<SourceMatch>> BuildContext::Match(std::string_view source) const {
  std::string clean = CleanRelative(source);
  std::vector<SourceMatch> out;
  if (!HasGlobMeta(clean)) {
    DISTILL_ASSIGN_OR_RETURN(std::string real, Resolve(clean, true));
    auto st = Stat(real);
    if (!st.ok()) {
      if (st.status().code() == Status::Code::kNotFound) return NotInContext(source);
      return st.status();
    }
    out.push_back({clean, real, *st});
    return out;
  }
  // Expand component by component: (logical, real) pairs of directories.
  std::vector<std::pair<std::string, std::string>> current = {{"", ""}};
  std::vector<std::string> comps = SplitPath(clean);
  for (size_t i = 0; i < comps.size(); ++i) {
    bool last = i + 1 == comps.size();
    std::vector<std::pair<std::string, std::string>> next;
    for (const auto& [logical, real] : current) {
      std::vector<std::string> names;
      if (HasGlobMeta(comps[i])) {
        auto listed = ListNames(real);
        if (!listed.ok()) continue;  // not a directory: nothing below it matches
        for (auto& name : *listed) {
          DISTILL_ASSIGN_OR_RETURN(bool m, GlobMatch(comps[i], name));
          if (m) names.push_back(std::move(name));
        }
      } else {
        names.push_back(comps[i]);
      }
      for (const auto& name : names) {
        DISTILL_ASSIGN_OR_RETURN(std::string r, Resolve(JoinTreePath(real, name), last));
        next.emplace_back(JoinTreePath(logical, name), std::move(r));
      }
    }
    current = std::move(next);
  }
  for (auto& [logical, real] : current) {
    auto st = Stat(real);
    if (!st.ok()) {
      if (st.status().code() == Status::Code::kNotFound) continue;
      return st.status();
    }
    out.push_back({std::move(logical), std::move(real), *st});
  }
  if (out.empty()) return Status::NotFound("no source files were specified");
  std::sort(out.begin(), out.end(),
            [](const SourceMatch& a, const SourceMatch& b) { return a.logical < b.logical; });
  return out;
}

Result<exec::UniqueFd> BuildContext::OpenFile(const std::string& real) const {
  exec::UniqueFd fd(openat(root_fd_.get(), real.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd.valid()) return Status::FromErrno("open " + real + " in " + root_, errno);
  return fd;
}

}  // namespace distill::context
