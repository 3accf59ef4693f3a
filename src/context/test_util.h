// Helpers for the context tests: a temporary directory tree built from code.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace distill::context::testing {

class TempTree {
 public:
  TempTree() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "distill-ctx-XXXXXX").string();
    char* made = mkdtemp(tmpl.data());
    EXPECT_NE(made, nullptr);
    root_ = tmpl;
  }
  ~TempTree() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  const std::string& root() const { return root_; }
  std::string Path(const std::string& rel) const { return root_ + "/" + rel; }

  void Write(const std::string& rel, const std::string& content, mode_t mode = 0644) const {
    std::filesystem::create_directories(std::filesystem::path(Path(rel)).parent_path());
    std::ofstream(Path(rel), std::ios::binary | std::ios::trunc) << content;
    chmod(Path(rel).c_str(), mode);
  }
  void Mkdir(const std::string& rel, mode_t mode = 0755) const {
    std::filesystem::create_directories(Path(rel));
    chmod(Path(rel).c_str(), mode);
  }
  void Symlink(const std::string& target, const std::string& rel) const {
    std::filesystem::create_directories(std::filesystem::path(Path(rel)).parent_path());
    ASSERT_EQ(symlink(target.c_str(), Path(rel).c_str()), 0) << rel;
  }
  std::string Read(const std::string& rel) const {
    std::ifstream in(Path(rel), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  bool Exists(const std::string& rel) const {
    struct stat st;
    return lstat(Path(rel).c_str(), &st) == 0;
  }
  struct stat Lstat(const std::string& rel) const {
    struct stat st {};
    EXPECT_EQ(lstat(Path(rel).c_str(), &st), 0) << rel;
    return st;
  }
  // Sets mtime (and atime) of `rel` to `seconds` since the epoch.
  void SetMtime(const std::string& rel, time_t seconds) const {
    struct timespec ts[2] = {{seconds, 0}, {seconds, 0}};
    ASSERT_EQ(utimensat(AT_FDCWD, Path(rel).c_str(), ts, AT_SYMLINK_NOFOLLOW), 0);
  }

 private:
  std::string root_;
};

// Waits (busy, a few milliseconds at most) until the coarse clock that the
// stat cache compares inode times with has passed the precise time of the
// call, so files written before the call are not "racily clean". (Kernels
// with multigrain timestamps stamp inodes up to one tick ahead of it.)
inline void WaitForClockTick() {
  struct timespec precise, coarse;
  clock_gettime(CLOCK_REALTIME, &precise);
  do {
    clock_gettime(CLOCK_REALTIME_COARSE, &coarse);
  } while (coarse.tv_sec < precise.tv_sec ||
           (coarse.tv_sec == precise.tv_sec && coarse.tv_nsec <= precise.tv_nsec));
}

}  // namespace distill::context::testing
