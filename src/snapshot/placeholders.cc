#include "snapshot/placeholders.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "archive/extract.h"
#include "archive/whiteout.h"

namespace distill::snapshot {

namespace {

std::vector<std::string> Components(const std::string& rel) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= rel.size()) {
    size_t slash = rel.find('/', start);
    if (slash == std::string::npos) slash = rel.size();
    if (slash > start) out.push_back(rel.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool IsWhiteout(const struct stat& st) {
  return S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0);
}

bool IsOpaque(const std::string& path) {
  char value[4];
  ssize_t n = lgetxattr(path.c_str(), std::string(archive::kOverlayOpaqueXattr).c_str(), value,
                        sizeof value);
  return n == 1 && value[0] == 'y';
}

bool IsEmptyDir(const std::string& path) {
  DIR* d = opendir(path.c_str());
  if (d == nullptr) return false;
  bool empty = true;
  while (struct dirent* de = readdir(d)) {
    std::string name = de->d_name;
    if (name != "." && name != "..") {
      empty = false;
      break;
    }
  }
  closedir(d);
  return empty;
}

// The lower layers' version of `rel`, if any: fills `st` from the top-most
// layer that has it.
bool StatInLowers(const std::vector<std::string>& lower_dirs, const std::string& rel,
                  struct stat* out) {
  std::vector<std::string> parts = Components(rel);
  if (parts.empty()) return false;
  for (const auto& lower : lower_dirs) {
    std::string cur = lower;
    bool hides_below = false;  // an opaque ancestor in this layer hides the ones under it
    for (size_t i = 0; i < parts.size(); ++i) {
      cur += "/" + parts[i];
      struct stat st;
      if (lstat(cur.c_str(), &st) != 0) break;
      if (IsWhiteout(st)) return false;
      if (i + 1 == parts.size()) {
        *out = st;
        return true;
      }
      if (!S_ISDIR(st.st_mode)) return false;  // a file where a directory would be
      if (IsOpaque(cur)) hides_below = true;
    }
    if (hides_below) return false;
  }
  return false;
}

}  // namespace

bool ExistsInLowers(const std::vector<std::string>& lower_dirs, const std::string& rel) {
  struct stat st;
  return StatInLowers(lower_dirs, rel, &st);
}

Status DropPlaceholders(const std::string& upper_dir, const std::vector<std::string>& lower_dirs,
                        const std::vector<std::string>& placeholders) {
  for (const auto& placeholder : placeholders) {
    std::string relative = placeholder;
    while (!relative.empty() && relative.front() == '/') relative.erase(0, 1);
    auto clean = archive::CleanArchivePath(relative);
    if (!clean.ok()) {
      return Status::Invalid("mount placeholder \"" + placeholder +
                             "\": " + clean.status().message());
    }
    std::string rel = *clean;
    if (rel.empty()) continue;
    std::string path = upper_dir + "/" + rel;
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) continue;  // not created here
    bool empty = (S_ISREG(st.st_mode) && st.st_size == 0) ||
                 (S_ISDIR(st.st_mode) && !IsOpaque(path) && IsEmptyDir(path));
    if (!empty || ExistsInLowers(lower_dirs, rel)) continue;
    if (remove(path.c_str()) != 0) return Status::FromErrno("remove placeholder " + path, errno);

    // Directories that exist in the upper layer only because of the placeholder.
    for (size_t slash = rel.rfind('/'); slash != std::string::npos && slash > 0;
         slash = rel.rfind('/', slash - 1)) {
      std::string ancestor = rel.substr(0, slash);
      std::string upper_path = upper_dir + "/" + ancestor;
      struct stat upper_st;
      if (lstat(upper_path.c_str(), &upper_st) != 0 || !S_ISDIR(upper_st.st_mode)) break;
      if (IsOpaque(upper_path) || !IsEmptyDir(upper_path)) break;
      struct stat lower_st;
      if (StatInLowers(lower_dirs, ancestor, &lower_st)) {
        bool plain_copy_up = S_ISDIR(lower_st.st_mode) && lower_st.st_mode == upper_st.st_mode &&
                             lower_st.st_uid == upper_st.st_uid &&
                             lower_st.st_gid == upper_st.st_gid;
        if (!plain_copy_up) break;
      }
      if (rmdir(upper_path.c_str()) != 0) {
        return Status::FromErrno("remove placeholder parent " + upper_path, errno);
      }
    }
  }
  return Status::Ok();
}

}  // namespace distill::snapshot
