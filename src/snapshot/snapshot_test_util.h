// Helpers shared by the snapshot tests: a scratch store under /tmp, layers
// written into it from TarWriter entries, and reading a layer blob back.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "archive/decompress.h"
#include "archive/layer_writer.h"
#include "archive/tar_reader.h"
#include "archive/tar_writer.h"
#include "snapshot/mount_info.h"
#include "snapshot/overlay_mount.h"
#include "snapshot/snapshot_store.h"
#include "snapshot/tree_removal.h"
#include "store/store.h"
#include "util/file_system.h"

namespace distill::snapshot::test_util {

struct Member {
  archive::TarEntry entry;
  std::string content;
};

inline Member File(std::string path, std::string content, uint32_t mode = 0644) {
  Member m;
  m.entry.path = std::move(path);
  m.entry.type = archive::TarEntryType::kFile;
  m.entry.mode = mode;
  m.entry.mtime_sec = 1600000000;
  m.entry.size = content.size();
  m.content = std::move(content);
  return m;
}

inline Member Dir(std::string path, uint32_t mode = 0755) {
  Member m;
  m.entry.path = std::move(path);
  m.entry.type = archive::TarEntryType::kDirectory;
  m.entry.mode = mode;
  m.entry.mtime_sec = 1600000000;
  return m;
}

inline std::string MakeTar(const std::vector<Member>& members) {
  StringWriter out;
  archive::TarWriter writer(&out);
  for (const auto& m : members) {
    StringReader content(m.content);
    Status st = writer.WriteEntry(m.entry, &content);
    EXPECT_TRUE(st.ok()) << st.message();
  }
  EXPECT_TRUE(writer.Finish().ok());
  return out.str();
}

inline std::string ReadFileAt(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteFileAt(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

inline bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

// Sorted "path type" lines of a (possibly compressed) layer blob.
inline std::vector<std::string> LayerEntries(
    store::Store* store, const oci::Digest& blob,
    std::map<std::string, std::string>* contents = nullptr) {
  std::vector<std::string> out;
  auto reader = store->blobs().Open(blob);
  EXPECT_TRUE(reader.ok()) << reader.status().message();
  if (!reader.ok()) return out;
  auto tar = archive::NewDecompressor(reader->get(), blob.str());
  archive::TarReader entries(tar.get(), blob.str());
  for (;;) {
    archive::TarEntry e;
    auto more = entries.Next(&e);
    EXPECT_TRUE(more.ok()) << more.status().message();
    if (!more.ok() || !*more) break;
    out.push_back(e.path + " " + archive::TarEntryTypeName(e.type));
    if (contents != nullptr && e.type == archive::TarEntryType::kFile) {
      std::string data(e.size, '\0');
      size_t got = 0;
      while (got < data.size()) {
        auto n = entries.ReadContent(data.data() + got, data.size() - got);
        if (!n.ok() || *n == 0) break;
        got += *n;
      }
      (*contents)[e.path] = data;
    }
  }
  return out;
}

// A store under /tmp with a SnapshotStore over it; everything is unmounted and
// removed at the end.
class SnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "overlay mounts need root";
    std::string tmpl = "/tmp/distill-snapshot-test-XXXXXX";
    root_ = mkdtemp(tmpl.data());
    store_ = OpenStore();
    snapshots_ = OpenSnapshots(store_.get());
  }
  void TearDown() override {
    snapshots_.reset();
    store_.reset();
    if (!root_.empty()) {
      (void)UnmountAllUnder(root_);
      Status st = RemoveTreeOnOneDevice(root_);
      EXPECT_TRUE(st.ok()) << st.message();
    }
  }

  std::unique_ptr<store::Store> OpenStore() {
    auto s = store::Store::Open(root_, &fs_);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  std::unique_ptr<SnapshotStore> OpenSnapshots(store::Store* store, bool sync = false) {
    SnapshotStoreOptions options;
    options.sync = sync;
    auto s = SnapshotStore::Open(store, options);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  // Writes a gzip layer blob of `members` into the store.
  LayerBlob PutLayer(const std::vector<Member>& members) {
    std::string tar = MakeTar(members);
    auto writer = store_->blobs().NewWriter();
    EXPECT_TRUE(writer.ok());
    auto layer = archive::LayerWriter::Create(archive::Compression::kGzip, writer->get());
    EXPECT_TRUE(layer.ok());
    EXPECT_TRUE((*layer)->Write(tar).ok());
    auto digests = (*layer)->Finish();
    EXPECT_TRUE(digests.ok());
    auto stored = (*writer)->Commit(digests->digest);
    EXPECT_TRUE(stored.ok()) << stored.status().message();
    EXPECT_EQ(digests->diff_id, oci::Digest::Of(tar));
    return LayerBlob{digests->diff_id, digests->digest};
  }

  // Entries of ROOT/snapshots/tmp (work directories and their locks).
  std::vector<std::string> TmpEntries() {
    std::vector<std::string> out;
    auto list = fs_.ListDir(root_ + "/snapshots/tmp");
    if (list.ok()) out = *list;
    return out;
  }
  // The mount points under the test's root (other tests may mount elsewhere).
  std::string MountTable() {
    std::string out;
    auto mounts = MountPointsUnder(root_);
    EXPECT_TRUE(mounts.ok());
    if (mounts.ok()) {
      for (const auto& m : *mounts) out += m + "\n";
    }
    return out;
  }
  // Numeric snapshot directories.
  int SnapshotDirCount() {
    int n = 0;
    auto list = fs_.ListDir(root_ + "/snapshots");
    if (!list.ok()) return -1;
    for (const auto& name : *list) {
      if (name.find_first_not_of("0123456789") == std::string::npos) ++n;
    }
    return n;
  }

  RealFileSystem fs_;
  std::string root_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<SnapshotStore> snapshots_;
};

}  // namespace distill::snapshot::test_util
