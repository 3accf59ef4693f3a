#include "store/blob_store.h"

#include <random>

namespace distill::store {

namespace {

std::string RandomName() {
  static const char kHex[] = "0123456789abcdef";
  std::random_device rd;
  std::string out;
  for (int i = 0; i < 4; ++i) {
    uint32_t v = rd();
    for (int j = 0; j < 8; ++j, v >>= 4) out.push_back(kHex[v & 15]);
  }
  return out;
}

}  // namespace

BlobWriter::BlobWriter(BlobStore* store, std::string temp_path, std::unique_ptr<WritableFile> file)
    : store_(store), temp_path_(std::move(temp_path)), file_(std::move(file)) {}

BlobWriter::~BlobWriter() {
  Discard();
}

void BlobWriter::Discard() {
  if (done_) return;
  done_ = true;
  if (file_) (void)file_->Close();
  // Best effort: a leftover temp file is harmless and GC removes it.
  (void)store_->fs_->Unlink(temp_path_);
}

Status BlobWriter::Write(const void* data, size_t len) {
  if (done_ || closed_) return Status::Invalid("write to a finished blob writer " + temp_path_);
  if (!error_.ok()) return error_;
  error_ = file_->Append(data, len);
  if (!error_.ok()) return error_;
  hasher_.Update(data, len);
  size_ += len;
  return Status::Ok();
}

Status BlobWriter::Close() {
  if (closed_) return error_;
  closed_ = true;
  if (!error_.ok()) return error_;
  error_ = file_->Sync();
  if (error_.ok()) error_ = file_->Close();
  return error_;
}

Result<oci::Digest> BlobWriter::Commit(const std::optional<oci::Digest>& expected,
                                       std::optional<uint64_t> expected_size) {
  if (done_) return Status::Invalid("blob writer " + temp_path_ + " already committed");
  Result<oci::Digest> result = store_->Publish(this, expected, expected_size);
  if (result.ok()) {
    done_ = true;
  } else {
    Discard();
  }
  return result;
}

BlobStore::BlobStore(FileSystem* fs, std::string root)
    : fs_(fs),
      root_(std::move(root)),
      blob_dir_(JoinPath(JoinPath(root_, "blobs"), "sha256")),
      temp_dir_(JoinPath(root_, "tmp")) {}

Status BlobStore::Init() {
  DISTILL_RETURN_IF_ERROR(fs_->MakeDirs(blob_dir_));
  return fs_->MakeDirs(temp_dir_);
}

Status BlobStore::CheckDigest(const oci::Digest& digest) const {
  // Digests built without Parse could carry anything; never let one name a path.
  auto parsed = oci::Digest::Parse(digest.str());
  if (!parsed.ok()) return parsed.status().Prefixed("blob store " + root_);
  return Status::Ok();
}

std::string BlobStore::PathOf(const oci::Digest& digest) const {
  return JoinPath(blob_dir_, digest.hex());
}

Result<std::unique_ptr<BlobWriter>> BlobStore::NewWriter() {
  std::string temp = JoinPath(temp_dir_, "blob-" + RandomName());
  DISTILL_ASSIGN_OR_RETURN(auto file, fs_->NewWritableFile(temp));
  return std::unique_ptr<BlobWriter>(new BlobWriter(this, temp, std::move(file)));
}

Result<oci::Digest> BlobStore::Publish(BlobWriter* w, const std::optional<oci::Digest>& expected,
                                       std::optional<uint64_t> expected_size) {
  if (expected) DISTILL_RETURN_IF_ERROR(CheckDigest(*expected));
  DISTILL_RETURN_IF_ERROR(w->Close());
  uint64_t size = w->size_;
  oci::Digest actual = oci::Digest::Sha256Hex(w->hasher_.FinishHex());
  if (expected && *expected != actual) {
    return Status::Corrupt("blob content does not match its digest: expected " + expected->str() +
                           ", got " + actual.str() + " (" + std::to_string(size) + " bytes)");
  }
  if (expected_size && *expected_size != size) {
    return Status::Corrupt("blob " + actual.str() + " has the wrong size: expected " +
                           std::to_string(*expected_size) + " bytes, got " + std::to_string(size));
  }
  // Renaming over an existing copy is fine: same bytes (and it heals a corrupted one).
  DISTILL_RETURN_IF_ERROR(fs_->Rename(w->temp_path_, PathOf(actual)));
  DISTILL_RETURN_IF_ERROR(fs_->SyncDir(blob_dir_));
  return actual;
}

Result<oci::Digest> BlobStore::Put(std::string_view data,
                                   const std::optional<oci::Digest>& expected) {
  // A document already stored byte for byte (a rebuild's config and manifest)
  // is not written again: no temp file, no fsync. A stored copy that differs
  // (corrupted) is replaced below, which heals it.
  const oci::Digest digest = oci::Digest::Of(data);
  if (!expected || *expected == digest) {
    auto stored = fs_->ReadFile(PathOf(digest));
    if (stored.ok() && *stored == data) return digest;
  }
  DISTILL_ASSIGN_OR_RETURN(auto writer, NewWriter());
  DISTILL_RETURN_IF_ERROR(writer->Write(data));
  return writer->Commit(expected, data.size());
}

Result<std::unique_ptr<Reader>> BlobStore::Open(const oci::Digest& digest) {
  DISTILL_RETURN_IF_ERROR(CheckDigest(digest));
  auto reader = fs_->OpenForRead(PathOf(digest));
  if (!reader.ok() && reader.status().code() == Status::Code::kNotFound) {
    return Status::NotFound("blob " + digest.str() + " not found in store " + root_);
  }
  return reader;
}

Result<std::string> BlobStore::ReadAll(const oci::Digest& digest) {
  DISTILL_RETURN_IF_ERROR(CheckDigest(digest));
  auto data = fs_->ReadFile(PathOf(digest));
  if (!data.ok() && data.status().code() == Status::Code::kNotFound) {
    return Status::NotFound("blob " + digest.str() + " not found in store " + root_);
  }
  return data;
}

Result<uint64_t> BlobStore::Stat(const oci::Digest& digest) {
  DISTILL_RETURN_IF_ERROR(CheckDigest(digest));
  auto info = fs_->Stat(PathOf(digest));
  if (!info.ok()) {
    if (info.status().code() == Status::Code::kNotFound) {
      return Status::NotFound("blob " + digest.str() + " not found in store " + root_);
    }
    return info.status();
  }
  return info->size;
}

bool BlobStore::Exists(const oci::Digest& digest) {
  return Stat(digest).ok();
}

Status BlobStore::Delete(const oci::Digest& digest) {
  DISTILL_RETURN_IF_ERROR(CheckDigest(digest));
  DISTILL_RETURN_IF_ERROR(fs_->Unlink(PathOf(digest)));
  return fs_->SyncDir(blob_dir_);
}

Result<std::vector<oci::Digest>> BlobStore::List(std::vector<std::string>* stray) {
  DISTILL_ASSIGN_OR_RETURN(auto names, fs_->ListDir(blob_dir_));
  std::vector<oci::Digest> out;
  for (const auto& name : names) {
    auto digest = oci::Digest::Parse("sha256:" + name);
    if (digest.ok()) {
      out.push_back(std::move(digest).value());
    } else if (stray != nullptr) {
      stray->push_back(JoinPath(blob_dir_, name));
    }
  }
  return out;
}

Status BlobStore::Verify(const oci::Digest& digest) {
  DISTILL_ASSIGN_OR_RETURN(auto reader, Open(digest));
  Sha256 hasher;
  std::string buf(256 * 1024, '\0');
  for (;;) {
    DISTILL_ASSIGN_OR_RETURN(size_t n, reader->Read(buf.data(), buf.size()));
    if (n == 0) break;
    hasher.Update(buf.data(), n);
  }
  std::string actual = hasher.FinishHex();
  if (actual != digest.hex()) {
    return Status::Corrupt("blob " + PathOf(digest) + " is corrupt: expected " + digest.str() +
                           ", content hashes to sha256:" + actual);
  }
  return Status::Ok();
}

Result<int> BlobStore::RemoveTempFiles() {
  DISTILL_ASSIGN_OR_RETURN(auto names, fs_->ListDir(temp_dir_));
  for (const auto& name : names)
    DISTILL_RETURN_IF_ERROR(fs_->RemoveTree(JoinPath(temp_dir_, name)));
  return static_cast<int>(names.size());
}

}  // namespace distill::store
