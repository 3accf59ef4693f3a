#include "transport/layout_sink.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

#include "util/file_system.h"

namespace distill::transport {
namespace {

std::string BlobPath(const oci::Digest& d) {
  return "blobs/" + d.algorithm() + "/" + d.hex();
}

// A temp file beside `path` (same filesystem, so the rename is atomic).
Result<std::pair<std::string, std::unique_ptr<FileWriter>>> CreateTempBeside(
    const std::string& path) {
  std::string tmpl = path + ".tmp-XXXXXX";
  int fd = ::mkstemp(tmpl.data());
  if (fd < 0) return Status::FromErrno("cannot create a temp file beside " + path, errno);
  ::fchmod(fd, 0644);
  return std::make_pair(tmpl, std::make_unique<FileWriter>(fd, tmpl, /*owns_fd=*/true));
}

Status CopyExactly(Reader* in, Writer* out, uint64_t size, const std::string& what) {
  std::vector<char> buf(1 << 20);
  uint64_t copied = 0;
  while (true) {
    DISTILL_ASSIGN_OR_RETURN(size_t n, in->Read(buf.data(), buf.size()));
    if (n == 0) break;
    copied += n;
    if (copied > size)
      return Status::Corrupt(what + ": longer than its size " + std::to_string(size));
    DISTILL_RETURN_IF_ERROR(out->Write(buf.data(), n));
  }
  if (copied != size) {
    return Status::Corrupt(what + ": " + std::to_string(copied) + " bytes, expected " +
                           std::to_string(size));
  }
  return Status::Ok();
}

class DirectorySink : public LayoutSink {
 public:
  explicit DirectorySink(std::string dir) : dir_(std::move(dir)), fs_(DefaultFileSystem()) {}

  Status AddBlob(const oci::Digest& digest, uint64_t size, Reader* content) override {
    std::string path = JoinPath(dir_, BlobPath(digest));
    auto info = fs_->Stat(path);
    if (info.ok() && info->size == size) return Status::Ok();
    DISTILL_RETURN_IF_ERROR(fs_->MakeDirs(ParentDir(path)));
    DISTILL_ASSIGN_OR_RETURN(auto temp, CreateTempBeside(path));
    Status st = CopyExactly(content, temp.second.get(), size, digest.str());
    if (st.ok()) st = temp.second->Close();
    if (st.ok()) st = fs_->Rename(temp.first, path);
    if (!st.ok()) (void)fs_->Unlink(temp.first);
    return st;
  }

  Status AddFile(const std::string& name, std::string_view content) override {
    return fs_->WriteFileAtomically(JoinPath(dir_, name), content);
  }

  Result<std::optional<std::string>> ExistingFile(const std::string& name) override {
    std::string path = JoinPath(dir_, name);
    if (!fs_->Exists(path)) return std::optional<std::string>();
    DISTILL_ASSIGN_OR_RETURN(std::string data, fs_->ReadFile(path));
    return std::optional<std::string>(std::move(data));
  }

  Status Commit() override { return fs_->SyncDir(dir_); }

 private:
  std::string dir_;
  FileSystem* fs_;
};

class TarSink : public LayoutSink {
 public:
  TarSink(std::string path, std::string temp, std::unique_ptr<FileWriter> file)
      : path_(std::move(path)), temp_(std::move(temp)), file_(std::move(file)), tar_(file_.get()) {}
  ~TarSink() override {
    if (!committed_) {
      (void)file_->Close();
      ::unlink(temp_.c_str());
    }
  }

  Status AddBlob(const oci::Digest& digest, uint64_t size, Reader* content) override {
    if (!written_.insert(digest.str()).second) return Status::Ok();
    DISTILL_RETURN_IF_ERROR(AddDir("blobs"));
    DISTILL_RETURN_IF_ERROR(AddDir("blobs/" + digest.algorithm()));
    archive::TarEntry e = Entry(BlobPath(digest));
    e.size = size;
    return tar_.WriteEntry(e, content).Prefixed(path_);
  }

  Status AddFile(const std::string& name, std::string_view content) override {
    archive::TarEntry e = Entry(name);
    e.size = content.size();
    StringReader r{std::string(content)};
    return tar_.WriteEntry(e, &r).Prefixed(path_);
  }

  Result<std::optional<std::string>> ExistingFile(const std::string&) override {
    return std::optional<std::string>();
  }

  Status Commit() override {
    DISTILL_RETURN_IF_ERROR(tar_.Finish());
    DISTILL_RETURN_IF_ERROR(file_->Flush());
    if (::fsync(file_->fd()) != 0) return Status::FromErrno("fsync " + temp_, errno);
    DISTILL_RETURN_IF_ERROR(file_->Close());
    DISTILL_RETURN_IF_ERROR(DefaultFileSystem()->Rename(temp_, path_));
    committed_ = true;
    return Status::Ok();
  }

 private:
  // Fixed metadata: the same images give the same archive bytes.
  static archive::TarEntry Entry(const std::string& name) {
    archive::TarEntry e;
    e.path = name;
    e.mode = 0644;
    return e;
  }
  Status AddDir(const std::string& name) {
    if (!written_.insert(name + "/").second) return Status::Ok();
    archive::TarEntry e = Entry(name);
    e.type = archive::TarEntryType::kDirectory;
    e.mode = 0755;
    return tar_.WriteEntry(e, nullptr);
  }

  std::string path_;
  std::string temp_;
  std::unique_ptr<FileWriter> file_;
  archive::TarWriter tar_;
  std::set<std::string> written_;
  bool committed_ = false;
};

}  // namespace

Result<std::unique_ptr<LayoutSink>> NewDirectorySink(const std::string& dir) {
  DISTILL_RETURN_IF_ERROR(DefaultFileSystem()->MakeDirs(dir));
  return std::unique_ptr<LayoutSink>(std::make_unique<DirectorySink>(dir));
}

Result<std::unique_ptr<LayoutSink>> NewTarSink(const std::string& path) {
  DISTILL_ASSIGN_OR_RETURN(auto temp, CreateTempBeside(path));
  return std::unique_ptr<LayoutSink>(
      std::make_unique<TarSink>(path, std::move(temp.first), std::move(temp.second)));
}

}  // namespace distill::transport
