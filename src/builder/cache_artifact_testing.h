// Helpers for the build cache export/import tests: a temp directory, a store
// in it, and cache records whose "layers" are small uncompressed blobs (the
// decompressor passes unknown bytes through, so a blob's diff ID is its digest).
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "solver/backend.h"
#include "store/store.h"
#include "util/file_system.h"

namespace distill::builder::testing {

class TempDir {
 public:
  TempDir() {
    std::string t = "/tmp/distill-cache-test-XXXXXX";
    path_ = mkdtemp(t.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::unique_ptr<store::Store> OpenStore(const std::string& root) {
  auto s = store::Store::Open(root, DefaultFileSystem());
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? std::move(s).value() : nullptr;
}

// A layer whose blob holds `content`, stored in `store`.
inline solver::LayerRef PutLayer(store::Store& store, const std::string& content) {
  auto digest = store.blobs().Put(content);
  EXPECT_TRUE(digest.ok()) << digest.status().message();
  solver::LayerRef layer;
  layer.blob.media_type = "application/vnd.oci.image.layer.v1.tar";
  layer.blob.digest = oci::Digest::Of(content);
  layer.blob.size = static_cast<int64_t>(content.size());
  layer.diff_id = layer.blob.digest;
  return layer;
}

inline void PutRecord(store::Store& store, const std::string& key,
                      const std::optional<solver::LayerRef>& layer) {
  store::CacheRecordRow row;
  if (layer) {
    row.result_digest = layer->blob.digest.str();
    row.media_type = layer->blob.media_type;
    row.size = layer->blob.size;
    row.diff_id = layer->diff_id.str();
  }
  ASSERT_TRUE(store.metadata().PutCacheRecord(key, row, 1).ok());
}

// A cache-key-shaped name for test record `n`.
inline std::string Key(const std::string& n) {
  return oci::Digest::Of("key " + n).str();
}

}  // namespace distill::builder::testing
