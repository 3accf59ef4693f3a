// BlobStore: content-addressed blobs on disk, ROOT/blobs/sha256/<hex>.
//
// Invariant: a file under blobs/ always holds exactly the bytes its name hashes to
// (short of later disk corruption, which Fsck finds). New content is streamed into
// ROOT/tmp/<random>, hashed on the way, fsynced, verified and only then renamed into
// place, and the directory is fsynced before Commit returns; a digest or size mismatch
// deletes the temp file. Publishing the same content twice is harmless (same bytes,
// same name), which is what lets many processes share a store without blob locks.
//
// Temp files of a killed process stay in tmp/ until RemoveTempFiles (GC, which runs
// only while no operation holds the store's shared lock; see store.h).
//
// Thread-safety: all methods may be called concurrently (state lives on disk).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oci/digest.h"
#include "util/file_system.h"
#include "util/io.h"
#include "util/sha256.h"
#include "util/status.h"

namespace distill::store {

class BlobStore;

// Streams one blob into the store. Write() as often as needed, then Commit(); a writer
// destroyed without a successful Commit removes its temp file.
class BlobWriter : public Writer {
 public:
  ~BlobWriter() override;
  BlobWriter(const BlobWriter&) = delete;
  BlobWriter& operator=(const BlobWriter&) = delete;

  using Writer::Write;
  Status Write(const void* data, size_t len) override;
  // Flushes and fsyncs the temp file; Commit() calls it when needed.
  Status Close() override;
  // Verifies the content against `expected` (digest and, if given, size) and publishes
  // it. Without `expected` the computed digest is used. On a mismatch the temp file is
  // deleted and the result is kCorrupt, naming expected and actual.
  Result<oci::Digest> Commit(const std::optional<oci::Digest>& expected = std::nullopt,
                             std::optional<uint64_t> expected_size = std::nullopt);
  // Bytes written so far.
  uint64_t size() const { return size_; }

 private:
  friend class BlobStore;
  BlobWriter(BlobStore* store, std::string temp_path, std::unique_ptr<WritableFile> file);
  void Discard();

  BlobStore* store_;
  std::string temp_path_;
  std::unique_ptr<WritableFile> file_;
  Sha256 hasher_;
  uint64_t size_ = 0;
  bool closed_ = false;
  bool done_ = false;  // committed or discarded
  Status error_;       // first write error; sticks
};

class BlobStore {
 public:
  // `root` is the store root; blobs live under root/blobs/sha256, temp files in root/tmp.
  BlobStore(FileSystem* fs, std::string root);

  // Creates the directories (mkdir -p).
  Status Init();

  Result<std::unique_ptr<BlobWriter>> NewWriter();
  // Stores a small document in one call.
  Result<oci::Digest> Put(std::string_view data,
                          const std::optional<oci::Digest>& expected = std::nullopt);

  // kNotFound (naming the digest) when the blob is absent.
  Result<std::unique_ptr<Reader>> Open(const oci::Digest& digest);
  Result<std::string> ReadAll(const oci::Digest& digest);
  // Size in bytes.
  Result<uint64_t> Stat(const oci::Digest& digest);
  bool Exists(const oci::Digest& digest);
  // Removes a blob. Only GC and Fsck repair call it, under the exclusive GC lock.
  Status Delete(const oci::Digest& digest);
  // Every published blob. Stray files in the blob directory that are not digests are
  // skipped (and reported by Fsck through `stray`, when given).
  Result<std::vector<oci::Digest>> List(std::vector<std::string>* stray = nullptr);
  // Re-hashes a blob: kCorrupt naming expected and actual digests when they differ.
  Status Verify(const oci::Digest& digest);
  // Removes every temp file; returns how many. Safe only when no writer is active.
  Result<int> RemoveTempFiles();

  std::string PathOf(const oci::Digest& digest) const;
  const std::string& blob_dir() const { return blob_dir_; }
  const std::string& temp_dir() const { return temp_dir_; }

 private:
  friend class BlobWriter;
  Result<oci::Digest> Publish(BlobWriter* writer, const std::optional<oci::Digest>& expected,
                              std::optional<uint64_t> expected_size);
  Status CheckDigest(const oci::Digest& digest) const;

  FileSystem* fs_;
  std::string root_;
  std::string blob_dir_;
  std::string temp_dir_;
};

}  // namespace distill::store
