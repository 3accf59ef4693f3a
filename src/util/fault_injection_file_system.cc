#include "util/fault_injection_file_system.h"

#include <vector>

namespace distill {

namespace {

bool IsIn(const std::string& path, const std::string& dir) {
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
                         (dir == "/" || path[dir.size()] == '/'));
}

}  // namespace

class FaultWritableFile : public WritableFile {
 public:
  FaultWritableFile(FaultInjectionFileSystem* fs, std::unique_ptr<WritableFile> base,
                    std::shared_ptr<FaultInjectionFileSystem::Inode> inode, std::string path)
      : fs_(fs), base_(std::move(base)), inode_(std::move(inode)), path_(std::move(path)) {}

  Status Append(const void* data, size_t len) override {
    DISTILL_RETURN_IF_ERROR(fs_->Inject(FaultInjectionFileSystem::kWrite, "write " + path_));
    DISTILL_RETURN_IF_ERROR(base_->Append(data, len));
    std::lock_guard<std::mutex> lock(fs_->mu_);
    inode_->size += len;
    return Status::Ok();
  }

  Status Sync() override {
    DISTILL_RETURN_IF_ERROR(fs_->Inject(FaultInjectionFileSystem::kSync, "fsync " + path_));
    DISTILL_RETURN_IF_ERROR(base_->Sync());
    std::lock_guard<std::mutex> lock(fs_->mu_);
    inode_->synced = inode_->size;
    return Status::Ok();
  }

  Status Close() override { return base_->Close(); }

 private:
  FaultInjectionFileSystem* fs_;
  std::unique_ptr<WritableFile> base_;
  std::shared_ptr<FaultInjectionFileSystem::Inode> inode_;
  std::string path_;
};

void FaultInjectionFileSystem::FailNth(unsigned ops, int n) {
  std::lock_guard<std::mutex> lock(mu_);
  fail_ops_ = ops;
  fail_countdown_ = n;
}

void FaultInjectionFileSystem::CrashAtNth(int n) {
  std::lock_guard<std::mutex> lock(mu_);
  crash_countdown_ = n;
}

bool FaultInjectionFileSystem::crashed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return crashed_;
}

int FaultInjectionFileSystem::mutation_count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return mutations_;
}

Status FaultInjectionFileSystem::Inject(Op op, const std::string& what) {
  std::lock_guard<std::mutex> lock(mu_);
  ++mutations_;
  if (crash_countdown_ > 0 && --crash_countdown_ == 0) crashed_ = true;
  if (crashed_) return Status::Io(what + ": Input/output error (injected crash)");
  if (fail_countdown_ > 0 && (fail_ops_ & op) != 0 && --fail_countdown_ == 0) {
    return Status::Io(what + ": Input/output error (injected fault)");
  }
  return Status::Ok();
}

Result<std::unique_ptr<WritableFile>> FaultInjectionFileSystem::NewWritableFile(
    const std::string& path) {
  DISTILL_RETURN_IF_ERROR(Inject(kCreate, "create " + path));
  bool existed = base_->Exists(path);
  DISTILL_ASSIGN_OR_RETURN(auto file, base_->NewWritableFile(path));
  auto inode = std::make_shared<Inode>();
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = entries_[path];
  // Truncating an existing durable name keeps the name; only its bytes are at risk.
  bool durable_name = existed && (e.inode == nullptr || e.name_durable);
  e = Entry{inode, durable_name, std::nullopt};
  return std::unique_ptr<WritableFile>(new FaultWritableFile(this, std::move(file), inode, path));
}

Result<std::unique_ptr<Reader>> FaultInjectionFileSystem::OpenForRead(const std::string& path) {
  return base_->OpenForRead(path);
}

Status FaultInjectionFileSystem::Rename(const std::string& from, const std::string& to) {
  DISTILL_RETURN_IF_ERROR(Inject(kRename, "rename " + from + " to " + to));
  // A crash before the directory is synced brings back what `to` durably held.
  std::optional<std::string> replaced;
  bool to_durable = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(to);
    if (it == entries_.end()) {
      to_durable = true;  // untracked names predate the wrapper
    } else if (it->second.name_durable && it->second.inode->synced == it->second.inode->size) {
      to_durable = true;
    } else if (!it->second.name_durable) {
      replaced = it->second.replaced_content;
    }
  }
  if (to_durable && base_->Exists(to)) {
    auto content = base_->ReadFile(to);
    if (content.ok()) replaced = std::move(content).value();
  }
  DISTILL_RETURN_IF_ERROR(base_->Rename(from, to));
  std::lock_guard<std::mutex> lock(mu_);
  Entry moved;
  auto it = entries_.find(from);
  if (it != entries_.end()) {
    moved = it->second;
    entries_.erase(it);
  } else {
    // A durable file the wrapper had not seen: its bytes are safe.
    auto info = base_->Stat(to);
    uint64_t size = info.ok() ? info->size : 0;
    moved.inode = std::make_shared<Inode>(Inode{size, size});
  }
  moved.name_durable = false;
  moved.replaced_content = std::move(replaced);
  entries_[to] = std::move(moved);
  return Status::Ok();
}

Status FaultInjectionFileSystem::Link(const std::string& from, const std::string& to) {
  DISTILL_RETURN_IF_ERROR(Inject(kLink, "link " + from + " to " + to));
  DISTILL_RETURN_IF_ERROR(base_->Link(from, to));
  std::lock_guard<std::mutex> lock(mu_);
  Entry linked;
  auto it = entries_.find(from);
  if (it != entries_.end()) {
    linked.inode = it->second.inode;
  } else {
    auto info = base_->Stat(to);
    uint64_t size = info.ok() ? info->size : 0;
    linked.inode = std::make_shared<Inode>(Inode{size, size});
  }
  entries_[to] = std::move(linked);
  return Status::Ok();
}

Status FaultInjectionFileSystem::Unlink(const std::string& path) {
  DISTILL_RETURN_IF_ERROR(Inject(kUnlink, "unlink " + path));
  DISTILL_RETURN_IF_ERROR(base_->Unlink(path));
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(path);
  return Status::Ok();
}

Status FaultInjectionFileSystem::MakeDirs(const std::string& path) {
  DISTILL_RETURN_IF_ERROR(Inject(kMakeDirs, "mkdir -p " + path));
  return base_->MakeDirs(path);
}

Result<FileInfo> FaultInjectionFileSystem::Stat(const std::string& path) {
  return base_->Stat(path);
}

Result<std::vector<std::string>> FaultInjectionFileSystem::ListDir(const std::string& path) {
  return base_->ListDir(path);
}

Status FaultInjectionFileSystem::RemoveTree(const std::string& path) {
  DISTILL_RETURN_IF_ERROR(Inject(kRemoveTree, "remove " + path));
  DISTILL_RETURN_IF_ERROR(base_->RemoveTree(path));
  std::lock_guard<std::mutex> lock(mu_);
  std::erase_if(entries_, [&](const auto& kv) { return IsIn(kv.first, path); });
  return Status::Ok();
}

Status FaultInjectionFileSystem::SyncDir(const std::string& path) {
  DISTILL_RETURN_IF_ERROR(Inject(kSyncDir, "fsync directory " + path));
  DISTILL_RETURN_IF_ERROR(base_->SyncDir(path));
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [name, e] : entries_) {
    if (ParentDir(name) == path) {
      e.name_durable = true;
      e.replaced_content.reset();
    }
  }
  return Status::Ok();
}

Result<std::unique_ptr<FileLock>> FaultInjectionFileSystem::Lock(const std::string& path,
                                                                 LockMode mode, bool wait) {
  return base_->Lock(path, mode, wait);
}

Status FaultInjectionFileSystem::RestoreContent(const std::string& path, std::string_view content) {
  DISTILL_ASSIGN_OR_RETURN(auto file, base_->NewWritableFile(path));
  DISTILL_RETURN_IF_ERROR(file->Append(content));
  DISTILL_RETURN_IF_ERROR(file->Sync());
  return file->Close();
}

Status FaultInjectionFileSystem::DropUnsyncedData() {
  std::map<std::string, Entry> entries;
  {
    std::lock_guard<std::mutex> lock(mu_);
    entries.swap(entries_);
    fail_countdown_ = 0;
    crash_countdown_ = 0;
    crashed_ = false;
  }
  for (const auto& [path, e] : entries) {
    if (!e.name_durable) {
      if (e.replaced_content) {
        DISTILL_RETURN_IF_ERROR(RestoreContent(path, *e.replaced_content));
      } else {
        Status st = base_->Unlink(path);
        if (!st.ok() && st.code() != Status::Code::kNotFound) return st;
      }
    } else if (e.inode->synced < e.inode->size) {
      DISTILL_ASSIGN_OR_RETURN(std::string content, base_->ReadFile(path));
      content.resize(std::min<uint64_t>(content.size(), e.inode->synced));
      DISTILL_RETURN_IF_ERROR(RestoreContent(path, content));
    }
  }
  return Status::Ok();
}

}  // namespace distill
