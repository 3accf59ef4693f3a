#include "util/in_memory_file_system.h"

#include <algorithm>

namespace distill {

namespace {

Status NotFound(const std::string& what, const std::string& path) {
  return Status::NotFound(what + " " + path + ": No such file or directory");
}

bool IsUnder(const std::string& path, const std::string& dir) {
  if (dir == "/") return path.size() > 1 && path[0] == '/';
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
         path[dir.size()] == '/';
}

// A snapshot of the file taken at open: readers see the bytes as they were.
class MemReader : public Reader {
 public:
  explicit MemReader(std::string data) : data_(std::move(data)) {}
  Result<size_t> Read(void* buf, size_t len) override {
    size_t n = std::min(len, data_.size() - pos_);
    data_.copy(static_cast<char*>(buf), n, pos_);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  size_t pos_ = 0;
};

class MemWritableFile : public WritableFile {
 public:
  MemWritableFile(std::mutex* mu, std::shared_ptr<std::string> data, std::string path)
      : mu_(mu), data_(std::move(data)), path_(std::move(path)) {}
  Status Append(const void* data, size_t len) override {
    if (closed_) return Status::Io("write " + path_ + ": file is closed");
    std::lock_guard<std::mutex> lock(*mu_);
    data_->append(static_cast<const char*>(data), len);
    return Status::Ok();
  }
  Status Sync() override {
    if (closed_) return Status::Io("fsync " + path_ + ": file is closed");
    return Status::Ok();
  }
  Status Close() override {
    closed_ = true;
    return Status::Ok();
  }

 private:
  std::mutex* mu_;
  std::shared_ptr<std::string> data_;
  std::string path_;
  bool closed_ = false;
};

}  // namespace

class InMemoryFileSystem::MemLock : public FileLock {
 public:
  MemLock(InMemoryFileSystem* fs, std::string path, LockMode mode)
      : fs_(fs), path_(std::move(path)), mode_(mode) {}
  ~MemLock() override { fs_->Release(path_, mode_); }

 private:
  InMemoryFileSystem* fs_;
  std::string path_;
  LockMode mode_;
};

InMemoryFileSystem::InMemoryFileSystem() {
  dirs_.insert("/");
}

Status InMemoryFileSystem::CheckParentLocked(const std::string& path) const {
  if (!dirs_.count(ParentDir(path))) return NotFound("parent directory of", path);
  if (dirs_.count(path)) return Status::Io(path + ": Is a directory");
  return Status::Ok();
}

Result<std::unique_ptr<WritableFile>> InMemoryFileSystem::NewWritableFile(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  DISTILL_RETURN_IF_ERROR(CheckParentLocked(path).Prefixed("create " + path));
  auto data = std::make_shared<std::string>();
  files_[path] = data;
  return std::unique_ptr<WritableFile>(new MemWritableFile(&mu_, data, path));
}

Result<std::unique_ptr<Reader>> InMemoryFileSystem::OpenForRead(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(path);
  if (it == files_.end()) return NotFound("open", path);
  return std::unique_ptr<Reader>(new MemReader(*it->second));
}

Status InMemoryFileSystem::Rename(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(from);
  if (it == files_.end()) return NotFound("rename", from);
  DISTILL_RETURN_IF_ERROR(CheckParentLocked(to).Prefixed("rename " + from + " to " + to));
  auto data = it->second;
  files_.erase(it);
  files_[to] = std::move(data);
  return Status::Ok();
}

Status InMemoryFileSystem::Link(const std::string& from, const std::string& to) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = files_.find(from);
  if (it == files_.end()) return NotFound("link", from);
  DISTILL_RETURN_IF_ERROR(CheckParentLocked(to).Prefixed("link " + from + " to " + to));
  if (files_.count(to)) {
    return Status(Status::Code::kAlreadyExists, "link " + from + " to " + to + ": File exists");
  }
  files_[to] = it->second;
  return Status::Ok();
}

Status InMemoryFileSystem::Unlink(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  if (files_.erase(path) == 0) return NotFound("unlink", path);
  return Status::Ok();
}

Status InMemoryFileSystem::MakeDirs(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> missing;
  for (std::string p = path; !dirs_.count(p); p = ParentDir(p)) {
    if (files_.count(p)) return Status::Io("mkdir -p " + path + ": " + p + " is a file");
    missing.push_back(p);
  }
  dirs_.insert(missing.begin(), missing.end());
  return Status::Ok();
}

Result<FileInfo> InMemoryFileSystem::Stat(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  FileInfo info;
  if (dirs_.count(path)) {
    info.is_directory = true;
    return info;
  }
  auto it = files_.find(path);
  if (it == files_.end()) return NotFound("stat", path);
  info.size = it->second->size();
  return info;
}

Result<std::vector<std::string>> InMemoryFileSystem::ListDir(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!dirs_.count(path)) return NotFound("list", path);
  std::vector<std::string> names;
  auto add_children = [&](const std::string& child) {
    if (ParentDir(child) == path) names.push_back(child.substr(child.find_last_of('/') + 1));
  };
  for (const auto& [p, data] : files_) add_children(p);
  for (const auto& d : dirs_) {
    if (d != "/") add_children(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

Status InMemoryFileSystem::RemoveTree(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(files_,
                [&](const auto& kv) { return kv.first == path || IsUnder(kv.first, path); });
  std::erase_if(dirs_,
                [&](const std::string& d) { return d != "/" && (d == path || IsUnder(d, path)); });
  return Status::Ok();
}

Status InMemoryFileSystem::SyncDir(const std::string& path) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!dirs_.count(path)) return NotFound("fsync directory", path);
  return Status::Ok();
}

Result<std::unique_ptr<FileLock>> InMemoryFileSystem::Lock(const std::string& path, LockMode mode,
                                                           bool wait) {
  std::unique_lock<std::mutex> lock(mu_);
  if (!files_.count(path)) {
    DISTILL_RETURN_IF_ERROR(CheckParentLocked(path).Prefixed("open lock file " + path));
    files_[path] = std::make_shared<std::string>();
  }
  auto can_take = [&] {
    const LockState& s = locks_[path];
    return mode == LockMode::kShared ? !s.exclusive : (!s.exclusive && s.shared == 0);
  };
  if (!can_take()) {
    if (!wait) {
      return Status(Status::Code::kUnavailable, "lock " + path + ": held by another process");
    }
    lock_released_.wait(lock, can_take);
  }
  LockState& s = locks_[path];
  if (mode == LockMode::kShared) {
    ++s.shared;
  } else {
    s.exclusive = true;
  }
  return std::unique_ptr<FileLock>(new MemLock(this, path, mode));
}

void InMemoryFileSystem::Release(const std::string& path, LockMode mode) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    LockState& s = locks_[path];
    if (mode == LockMode::kShared) {
      --s.shared;
    } else {
      s.exclusive = false;
    }
  }
  lock_released_.notify_all();
}

}  // namespace distill
