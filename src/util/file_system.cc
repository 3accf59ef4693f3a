#include "util/file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <random>
#include <system_error>

namespace distill {

std::string ParentDir(std::string_view path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

std::string JoinPath(std::string_view dir, std::string_view name) {
  std::string out(dir);
  if (out.empty() || out.back() != '/') out.push_back('/');
  out.append(name);
  return out;
}

Result<std::string> FileSystem::ReadFile(const std::string& path) {
  DISTILL_ASSIGN_OR_RETURN(auto reader, OpenForRead(path));
  std::string out;
  char buf[64 * 1024];
  for (;;) {
    DISTILL_ASSIGN_OR_RETURN(size_t n, reader->Read(buf, sizeof buf));
    if (n == 0) break;
    out.append(buf, n);
  }
  return out;
}

Status FileSystem::WriteFileAtomically(const std::string& path, std::string_view data) {
  std::random_device rd;
  std::string tmp = path + ".tmp-" + std::to_string(rd()) + std::to_string(rd());
  Status st = [&]() -> Status {
    DISTILL_ASSIGN_OR_RETURN(auto file, NewWritableFile(tmp));
    DISTILL_RETURN_IF_ERROR(file->Append(data));
    DISTILL_RETURN_IF_ERROR(file->Sync());
    DISTILL_RETURN_IF_ERROR(file->Close());
    return Rename(tmp, path);
  }();
  if (!st.ok()) {
    (void)Unlink(tmp);  // best effort: the original error is the one to report
    return st;
  }
  return SyncDir(ParentDir(path));
}

namespace {

class PosixWritableFile : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Append(const void* data, size_t len) override {
    if (fd_ < 0) return Status::Io("write " + path_ + ": file is closed");
    const char* p = static_cast<const char*>(data);
    while (len > 0) {
      ssize_t n = ::write(fd_, p, len);
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::FromErrno("write " + path_, errno);
      }
      p += n;
      len -= static_cast<size_t>(n);
    }
    return Status::Ok();
  }

  Status Sync() override {
    if (fd_ < 0) return Status::Io("fsync " + path_ + ": file is closed");
    if (::fsync(fd_) != 0) return Status::FromErrno("fsync " + path_, errno);
    return Status::Ok();
  }

  Status Close() override {
    if (fd_ < 0) return Status::Ok();
    int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) return Status::FromErrno("close " + path_, errno);
    return Status::Ok();
  }

 private:
  std::string path_;
  int fd_;
};

class PosixReader : public Reader {
 public:
  PosixReader(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixReader() override { ::close(fd_); }

  Result<size_t> Read(void* buf, size_t len) override {
    for (;;) {
      ssize_t n = ::read(fd_, buf, len);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) return Status::FromErrno("read " + path_, errno);
    }
  }

 private:
  std::string path_;
  int fd_;
};

class PosixFileLock : public FileLock {
 public:
  explicit PosixFileLock(int fd) : fd_(fd) {}
  ~PosixFileLock() override { ::close(fd_); }  // closing the open file releases the flock

 private:
  int fd_;
};

}  // namespace

Result<std::unique_ptr<WritableFile>> RealFileSystem::NewWritableFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::FromErrno("create " + path, errno);
  return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd));
}

Result<std::unique_ptr<Reader>> RealFileSystem::OpenForRead(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("open " + path, errno);
  return std::unique_ptr<Reader>(new PosixReader(path, fd));
}

Status RealFileSystem::Rename(const std::string& from, const std::string& to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return Status::FromErrno("rename " + from + " to " + to, errno);
  }
  return Status::Ok();
}

Status RealFileSystem::Link(const std::string& from, const std::string& to) {
  if (::link(from.c_str(), to.c_str()) != 0) {
    return Status::FromErrno("link " + from + " to " + to, errno);
  }
  return Status::Ok();
}

Status RealFileSystem::Unlink(const std::string& path) {
  if (::unlink(path.c_str()) != 0) return Status::FromErrno("unlink " + path, errno);
  return Status::Ok();
}

Status RealFileSystem::MakeDirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Status::FromErrno("mkdir -p " + path, ec.value());
  return Status::Ok();
}

Result<FileInfo> RealFileSystem::Stat(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return Status::FromErrno("stat " + path, errno);
  FileInfo info;
  info.size = static_cast<uint64_t>(st.st_size);
  info.is_directory = S_ISDIR(st.st_mode);
  return info;
}

Result<std::vector<std::string>> RealFileSystem::ListDir(const std::string& path) {
  DIR* dir = ::opendir(path.c_str());
  if (dir == nullptr) return Status::FromErrno("list " + path, errno);
  std::vector<std::string> names;
  errno = 0;
  while (struct dirent* e = ::readdir(dir)) {
    std::string_view name = e->d_name;
    if (name != "." && name != "..") names.emplace_back(name);
  }
  int err = errno;
  ::closedir(dir);
  if (err != 0) return Status::FromErrno("list " + path, err);
  std::sort(names.begin(), names.end());
  return names;
}

Status RealFileSystem::RemoveTree(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
  if (ec) return Status::FromErrno("remove " + path, ec.value());
  return Status::Ok();
}

Status RealFileSystem::SyncDir(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::FromErrno("open directory " + path, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return Status::FromErrno("fsync directory " + path, err);
  return Status::Ok();
}

Result<std::unique_ptr<FileLock>> RealFileSystem::Lock(const std::string& path, LockMode mode,
                                                       bool wait) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::FromErrno("open lock file " + path, errno);
  int op = (mode == LockMode::kExclusive ? LOCK_EX : LOCK_SH) | (wait ? 0 : LOCK_NB);
  int rc;
  do {
    rc = ::flock(fd, op);
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return Status(Status::Code::kUnavailable, "lock " + path + ": held by another process");
    }
    return Status::FromErrno("lock " + path, err);
  }
  return std::unique_ptr<FileLock>(new PosixFileLock(fd));
}

FileSystem* DefaultFileSystem() {
  static RealFileSystem* fs = new RealFileSystem();
  return fs;
}

}  // namespace distill
