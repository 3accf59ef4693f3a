// Helpers shared by the archive tests: scratch directories under /tmp and a
// textual description of a directory tree to compare trees exactly.
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "archive/tar_entry.h"
#include "archive/tar_fs.h"
#include "archive/tar_writer.h"

namespace distill::archive::test_util {

// A fresh directory under /tmp, removed (recursively) on destruction.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = "/tmp/distill-archive-test-XXXXXX";
    path_ = mkdtemp(tmpl.data());
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

inline void WriteFileAt(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

inline std::string ReadFileAt(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

// path → one line with everything a layer must preserve (no atime/ctime).
// Hard links show as "link to <first path>".
inline std::map<std::string, std::string> DescribeTree(const std::string& root) {
  std::map<std::string, std::string> out;
  std::map<std::pair<dev_t, ino_t>, std::string> seen;
  std::vector<std::string> todo{""};
  std::vector<std::string> all;
  while (!todo.empty()) {
    std::string rel = todo.back();
    todo.pop_back();
    DIR* d = opendir((root + "/" + rel).c_str());
    if (d == nullptr) continue;
    while (struct dirent* de = readdir(d)) {
      std::string name = de->d_name;
      if (name == "." || name == "..") continue;
      std::string child = rel.empty() ? name : rel + "/" + name;
      all.push_back(child);
      struct stat st;
      if (lstat((root + "/" + child).c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
        todo.push_back(child);
      }
    }
    closedir(d);
  }
  std::sort(all.begin(), all.end());
  for (const auto& rel : all) {
    std::string full = root + "/" + rel;
    struct stat st;
    lstat(full.c_str(), &st);
    std::ostringstream line;
    if (!S_ISDIR(st.st_mode) && st.st_nlink > 1) {
      auto [it, inserted] = seen.try_emplace({st.st_dev, st.st_ino}, rel);
      if (!inserted) {
        out[rel] = "link to " + it->second;
        continue;
      }
    }
    line << std::oct << (st.st_mode) << std::dec << " " << st.st_uid << ":" << st.st_gid
         << " mtime=" << st.st_mtim.tv_sec;
    if (S_ISREG(st.st_mode)) line << " size=" << st.st_size << " data=" << ReadFileAt(full);
    if (S_ISLNK(st.st_mode)) {
      char buf[4096];
      ssize_t n = readlink(full.c_str(), buf, sizeof buf);
      line << " -> " << std::string(buf, n > 0 ? static_cast<size_t>(n) : 0);
    }
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
      line << " dev=" << major(st.st_rdev) << "," << minor(st.st_rdev);
    }
    auto xattrs = ReadXattrs(full);
    if (xattrs.ok()) {
      for (const auto& [k, v] : *xattrs) line << " xattr " << k << "=" << v;
    }
    out[rel] = line.str();
  }
  return out;
}

struct TestMember {
  TarEntry entry;
  std::string content;
};

inline TarEntry MakeEntry(std::string path, TarEntryType type = TarEntryType::kFile,
                          std::string linkname = "") {
  TarEntry e;
  e.path = std::move(path);
  e.type = type;
  e.mode = type == TarEntryType::kDirectory ? 0755 : 0644;
  e.linkname = std::move(linkname);
  e.mtime_sec = 1600000000;
  return e;
}

// A tar with the given members, in the given order.
inline std::string MakeTar(std::vector<TestMember> members) {
  StringWriter out;
  TarWriter writer(&out);
  for (auto& m : members) {
    if (m.entry.type == TarEntryType::kFile) m.entry.size = m.content.size();
    StringReader content(m.content);
    Status st = writer.WriteEntry(m.entry, &content);
    if (!st.ok()) return "writer failed: " + st.message();
  }
  (void)writer.Finish();
  return out.str();
}

}  // namespace distill::archive::test_util
