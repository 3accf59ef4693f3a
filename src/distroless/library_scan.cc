#include "distroless/library_scan.h"

#include <fnmatch.h>

#include <optional>
#include <set>
#include <string_view>

#include "distroless/elf_library.h"

namespace distill::distroless {
namespace {

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

std::string Relative(const std::string& absolute) {
  size_t start = absolute.find_first_not_of('/');
  return start == std::string::npos ? "" : absolute.substr(start);
}

std::string Basename(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The files an "include" pattern ("/etc/ld.so.conf.d/*.conf") names, sorted
// like glob(3) sorts them.
std::vector<std::string> Glob(const RootfsTree& tree, const std::string& pattern) {
  std::string rel = Relative(pattern);
  size_t slash = rel.rfind('/');
  std::string dir = slash == std::string::npos ? "" : rel.substr(0, slash);
  std::string name_pattern = slash == std::string::npos ? rel : rel.substr(slash + 1);
  std::vector<std::string> files;
  auto resolved_dir = tree.Resolve(dir);
  if (!resolved_dir) return files;
  for (const std::string& name : tree.ChildNames(*resolved_dir)) {
    if (fnmatch(name_pattern.c_str(), name.c_str(), FNM_PERIOD) == 0) {
      files.push_back("/" + (dir.empty() ? name : dir + "/" + name));
    }
  }
  return files;
}

// Appends the directories one ld.so.conf-style file lists, following its
// "include" lines; "hwcap" lines are ignored (distroless has no hwcap dirs).
void ReadConf(const RootfsTree& tree, const std::string& file, int depth,
              std::vector<std::string>* dirs) {
  if (depth > 8) return;  // includes that include themselves
  auto resolved = tree.Resolve(Relative(file));
  const std::string* text = resolved ? tree.FileContent(*resolved) : nullptr;
  if (text == nullptr) return;
  size_t start = 0;
  while (start < text->size()) {
    size_t end = text->find('\n', start);
    if (end == std::string::npos) end = text->size();
    std::string_view line(text->data() + start, end - start);
    start = end + 1;
    line = line.substr(0, line.find('#'));
    std::string word = Trim(line);
    if (word.empty()) continue;
    if (word.rfind("include", 0) == 0 && word.size() > 7 && (word[7] == ' ' || word[7] == '\t')) {
      std::string pattern = Trim(word.substr(8));
      if (!pattern.empty() && pattern.front() != '/') {
        // Relative includes are relative to the including file's directory.
        pattern = file.substr(0, file.rfind('/') + 1) + pattern;
      }
      for (const std::string& included : Glob(tree, pattern)) {
        ReadConf(tree, included, depth + 1, dirs);
      }
      continue;
    }
    if (word.rfind("hwcap", 0) == 0 && word.size() > 5 && (word[5] == ' ' || word[5] == '\t')) {
      continue;
    }
    if (word.front() == '/') dirs->push_back(word);
  }
}

struct Found {
  std::string name;  // the directory entry
  std::string soname;
  int32_t flags = 0;
  bool is_link = false;
};

}  // namespace

std::vector<std::string> LibraryDirectories(const RootfsTree& tree) {
  std::vector<std::string> listed;
  if (tree.Contains("etc/ld.so.conf")) {
    ReadConf(tree, "/etc/ld.so.conf", 0, &listed);
  } else {
    for (const std::string& conf : Glob(tree, "/etc/ld.so.conf.d/*.conf")) {
      ReadConf(tree, conf, 0, &listed);
    }
  }
  listed.push_back("/lib");  // glibc's built-in system directories
  listed.push_back("/usr/lib");
  std::vector<std::string> dirs;
  std::set<std::string> seen;
  for (std::string dir : listed) {
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    auto resolved = tree.Resolve(Relative(dir));
    if (!resolved || resolved->empty()) continue;
    const archive::TarEntry* node = tree.Find(*resolved);
    bool is_dir = node != nullptr ? node->type == archive::TarEntryType::kDirectory
                                  : !tree.ChildNames(*resolved).empty();
    if (!is_dir || !seen.insert(*resolved).second) continue;
    dirs.push_back(dir);
  }
  return dirs;
}

Result<std::vector<LdCacheEntry>> ScanLibraries(const RootfsTree& tree) {
  std::vector<LdCacheEntry> entries;
  for (const std::string& dir : LibraryDirectories(tree)) {
    std::string real_dir = *tree.Resolve(Relative(dir));
    std::vector<Found> found;
    for (const std::string& name : tree.ChildNames(real_dir)) {
      bool looks_like_library = (name.rfind("lib", 0) == 0 || name.rfind("ld-", 0) == 0) &&
                                name.find(".so") != std::string::npos;
      if (!looks_like_library) continue;
      std::string path = real_dir + "/" + name;
      const archive::TarEntry* node = tree.Find(path);
      if (node == nullptr || node->type == archive::TarEntryType::kDirectory) continue;
      bool is_link = node->type == archive::TarEntryType::kSymlink;
      auto real = tree.Resolve(path);
      const std::string* bytes = real ? tree.FileContent(*real) : nullptr;
      if (bytes == nullptr) continue;  // a dangling link: ldconfig skips it too
      DISTILL_ASSIGN_OR_RETURN(auto elf, ReadElfLibrary(*bytes, dir + "/" + name));
      if (!elf) continue;
      std::string soname = elf->soname.empty() ? name : elf->soname;
      if (is_link) {
        // Like ldconfig: a link keeps its own name as key only when it points
        // at the file named by the soname (or at a "libfoo.so" dev name that
        // prefixes it); any other link is just another name of that library.
        std::string real_base = Basename(*real);
        if (real_base != soname &&
            !(real_base.size() >= 3 && real_base.compare(real_base.size() - 3, 3, ".so") == 0 &&
              soname.rfind(real_base, 0) == 0)) {
          is_link = false;
        }
        if (is_link) soname = name;
      }
      Found* same = nullptr;
      for (Found& f : found) {
        if (f.soname == soname) same = &f;
      }
      if (same == nullptr) {
        found.push_back({name, soname, elf->ld_cache_flags, is_link});
      } else if ((!is_link && same->is_link) ||
                 (is_link == same->is_link && LdCacheLibcmp(same->name, name) < 0)) {
        *same = {name, soname, elf->ld_cache_flags, is_link};  // a file beats a link; newer wins
      }
    }
    for (const Found& f : found) {
      entries.push_back({f.soname, dir + "/" + f.soname, f.flags});
    }
  }
  return entries;
}

}  // namespace distill::distroless
