#include "store/metadata.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <thread>

#include "util/file_system.h"

namespace distill::store {
namespace {

oci::Digest D(std::string_view content) {
  return oci::Digest::Of(content);
}

class MetadataTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = MetadataDb::Open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().message();
    db_ = std::move(db).value();
  }
  std::unique_ptr<MetadataDb> db_;
};

TEST_F(MetadataTest, FreshDatabaseHasTheCurrentSchema) {
  auto v = db_->SchemaVersion();
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, MetadataDb::kSchemaVersion);
  // Tables later parts fill exist from version 1 on.
  for (const char* table : {"cache_records", "snapshots", "containers", "leases"}) {
    EXPECT_TRUE(db_->db()->Exec(std::string("SELECT count(*) FROM ") + table).ok()) << table;
  }
}

TEST_F(MetadataTest, CacheRecordsAreGcRootsUntilDropped) {
  auto missing = db_->GetCacheRecord("sha256:nokey");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  CacheRecordRow row{D("layer").str(), "application/vnd.oci.image.layer.v1.tar+gzip", 42,
                     D("tar").str()};
  ASSERT_TRUE(db_->PutCacheRecord("k1", row, 10).ok());
  ASSERT_TRUE(db_->PutCacheRecord("k2", CacheRecordRow{}, 10).ok());  // no layer
  auto got = db_->GetCacheRecord("k1");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->result_digest, row.result_digest);
  EXPECT_EQ((*got)->media_type, row.media_type);
  EXPECT_EQ((*got)->size, 42);
  EXPECT_EQ((*got)->diff_id, row.diff_id);
  EXPECT_EQ((*got)->created_unix, 10);
  // Recording the same result again (a re-run that made the same layer)
  // keeps the time it was first made.
  ASSERT_TRUE(db_->PutCacheRecord("k1", row, 20).ok());
  EXPECT_EQ((*db_->GetCacheRecord("k1"))->created_unix, 10);
  auto reach = db_->ReachableDigests(100);
  ASSERT_TRUE(reach.ok());
  EXPECT_TRUE(std::binary_search(reach->begin(), reach->end(), D("layer").str()));
  // Re-recording a key replaces its result.
  row.result_digest = D("layer2").str();
  ASSERT_TRUE(db_->PutCacheRecord("k1", row, 11).ok());
  EXPECT_EQ((*db_->GetCacheRecord("k1"))->result_digest, D("layer2").str());
  EXPECT_EQ((*db_->GetCacheRecord("k1"))->created_unix, 11);
  auto dropped = db_->DeleteCacheRecords();
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(*dropped, 2);
  EXPECT_FALSE(db_->GetCacheRecord("k1")->has_value());
  reach = db_->ReachableDigests(100);
  EXPECT_FALSE(std::binary_search(reach->begin(), reach->end(), D("layer2").str()));
}

TEST_F(MetadataTest, TagLookupListUntag) {
  oci::Digest m = D("manifest"), cfg = D("config"), layer = D("layer");
  ASSERT_TRUE(db_->Tag("example/app:1", m, {cfg, layer}, 100).ok());
  ASSERT_TRUE(db_->Tag("example/app:latest", m, {cfg, layer}, 101).ok());
  auto found = db_->LookupTag("example/app:1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ(**found, m);
  EXPECT_FALSE(db_->LookupTag("missing:1")->has_value());
  auto images = db_->ListImages();
  ASSERT_TRUE(images.ok());
  ASSERT_EQ(images->size(), 2u);
  EXPECT_EQ((*images)[0].name, "example/app:1");
  EXPECT_EQ((*images)[0].created_unix, 100);
  EXPECT_EQ(*db_->TagsOf(m), (std::vector<std::string>{"example/app:1", "example/app:latest"}));
  auto refs = db_->RefsOf(m);
  ASSERT_TRUE(refs.ok());
  EXPECT_EQ(refs->size(), 2u);
  EXPECT_EQ(*db_->ParentsOf(layer), std::vector<oci::Digest>{m});

  ASSERT_TRUE(db_->Untag("example/app:1").ok());
  Status st = db_->Untag("example/app:1");
  EXPECT_EQ(st.code(), Status::Code::kNotFound);
  EXPECT_NE(st.message().find("example/app:1"), std::string::npos);
}

TEST_F(MetadataTest, RetaggingMovesTheName) {
  ASSERT_TRUE(db_->Tag("app", D("v1"), {}, 1).ok());
  ASSERT_TRUE(db_->Tag("app", D("v2"), {}, 2).ok());
  EXPECT_EQ(**db_->LookupTag("app"), D("v2"));
  EXPECT_EQ(db_->ListImages()->size(), 1u);
}

TEST_F(MetadataTest, ManifestCannotBeForgottenWhileTagged) {
  ASSERT_TRUE(db_->Tag("app", D("m"), {D("l")}, 1).ok());
  Status st = db_->DeleteManifest(D("m"));
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find(D("m").str()), std::string::npos);
  ASSERT_TRUE(db_->Untag("app").ok());
  ASSERT_TRUE(db_->DeleteManifest(D("m")).ok());
  EXPECT_FALSE(*db_->HasManifest(D("m")));
  EXPECT_TRUE(db_->ParentsOf(D("l"))->empty());  // refs cascade
}

TEST_F(MetadataTest, PrefixLookup) {
  oci::Digest a = D("a"), b = D("b");
  ASSERT_TRUE(db_->RecordManifest(a, {}, 1).ok());
  ASSERT_TRUE(db_->RecordManifest(b, {}, 1).ok());
  EXPECT_EQ(*db_->ManifestsWithPrefix(a.hex().substr(0, 6)), std::vector<oci::Digest>{a});
  EXPECT_EQ(db_->ManifestsWithPrefix("")->size(), 2u);
  EXPECT_FALSE(db_->ManifestsWithPrefix("xyz%").ok());
}

TEST_F(MetadataTest, ReachabilityFollowsTagsLeasesAndNestedManifests) {
  // index -> child manifest -> layer; tagged through the index.
  oci::Digest index = D("index"), child = D("child"), layer = D("layer"), cfg = D("cfg");
  ASSERT_TRUE(db_->RecordManifest(child, {cfg, layer}, 1).ok());
  ASSERT_TRUE(db_->Tag("multi", index, {child}, 1).ok());
  // Leased, not tagged.
  auto lease = db_->CreateLease("build", 1, 1000);
  ASSERT_TRUE(lease.ok());
  ASSERT_TRUE(db_->AddToLease(*lease, D("leased")).ok());
  // Expired lease protects nothing.
  auto old = db_->CreateLease("old build", 1, 50);
  ASSERT_TRUE(db_->AddToLease(*old, D("expired")).ok());
  // Unreferenced manifest.
  ASSERT_TRUE(db_->RecordManifest(D("orphan"), {D("orphan-layer")}, 1).ok());

  auto reach = db_->ReachableDigests(100);
  ASSERT_TRUE(reach.ok());
  std::vector<std::string> want;
  for (const auto& d : {index, child, layer, cfg, D("leased")}) want.push_back(d.str());
  std::sort(want.begin(), want.end());
  EXPECT_EQ(*reach, want);

  auto deleted = db_->DeleteUnreachableManifests(*reach);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(*deleted, 1);
  EXPECT_FALSE(*db_->HasManifest(D("orphan")));
  EXPECT_TRUE(*db_->HasManifest(child));

  EXPECT_EQ(*db_->DeleteExpiredLeases(100), 1);
  EXPECT_EQ(db_->AddToLease(*old, D("x")).code(), Status::Code::kNotFound);
  ASSERT_TRUE(db_->DeleteLease(*lease).ok());
  EXPECT_EQ(db_->DeleteLease(*lease).code(), Status::Code::kNotFound);
}

TEST_F(MetadataTest, CyclesInTheGraphTerminate) {
  ASSERT_TRUE(db_->RecordManifest(D("b"), {D("a")}, 1).ok());
  ASSERT_TRUE(db_->Tag("cyc", D("a"), {D("b")}, 1).ok());
  auto reach = db_->ReachableDigests(1);
  ASSERT_TRUE(reach.ok());
  EXPECT_EQ(reach->size(), 2u);
}

TEST_F(MetadataTest, FailedTransactionLeavesNothing) {
  // An empty name fails before anything is written...
  EXPECT_FALSE(db_->Tag("", D("m"), {D("l")}, 1).ok());
  EXPECT_FALSE(*db_->HasManifest(D("m")));
  // ...and a failure inside the transaction rolls back the manifest rows with it.
  ASSERT_TRUE(db_->db()
                  ->Exec("CREATE TRIGGER no_bad BEFORE INSERT ON images "
                         "WHEN NEW.name = 'bad' BEGIN SELECT RAISE(ABORT, 'nope'); END")
                  .ok());
  EXPECT_FALSE(db_->Tag("bad", D("m2"), {D("l2")}, 1).ok());
  EXPECT_FALSE(*db_->HasManifest(D("m2")));
  EXPECT_TRUE(db_->ParentsOf(D("l2"))->empty());
}

class MetadataFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "distill-meta-XXXXXX";
    dir_ = ::mkdtemp(tmpl.data());
    path_ = dir_ + "/distill.db";
  }
  void TearDown() override { (void)DefaultFileSystem()->RemoveTree(dir_); }
  std::string dir_, path_;
};

TEST_F(MetadataFileTest, ReopenKeepsDataAndNewerSchemaIsRefused) {
  {
    auto db = MetadataDb::Open(path_);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Tag("app", D("m"), {}, 1).ok());
  }
  {
    auto db = MetadataDb::Open(path_);
    ASSERT_TRUE(db.ok());
    EXPECT_EQ(**(*db)->LookupTag("app"), D("m"));
    ASSERT_TRUE((*db)->db()->Exec("UPDATE schema_version SET version = 99").ok());
  }
  auto db = MetadataDb::Open(path_);
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find(path_), std::string::npos);
  EXPECT_NE(db.status().message().find("99"), std::string::npos);
}

TEST_F(MetadataFileTest, GarbageFileIsReportedNotCrashedOn) {
  ASSERT_TRUE(DefaultFileSystem()->WriteFileAtomically(path_, std::string(4096, 'x')).ok());
  auto db = MetadataDb::Open(path_);
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find(path_), std::string::npos);
}

TEST_F(MetadataFileTest, ConcurrentWritersFromManyConnections) {
  // Each thread has its own connection, like separate processes would.
  constexpr int kThreads = 4, kTags = 25;
  std::vector<std::thread> threads;
  std::vector<Status> results(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto db = MetadataDb::Open(path_);
      if (!db.ok()) {
        results[t] = db.status();
        return;
      }
      for (int i = 0; i < kTags; ++i) {
        std::string name = "t" + std::to_string(t) + ":" + std::to_string(i);
        Status st = (*db)->Tag(name, D(name), {D("shared-layer")}, i);
        if (!st.ok()) {
          results[t] = st;
          return;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& st : results) EXPECT_TRUE(st.ok()) << st.message();
  auto db = MetadataDb::Open(path_);
  ASSERT_TRUE(db.ok());
  EXPECT_EQ((*db)->ListImages()->size(), static_cast<size_t>(kThreads * kTags));
}

}  // namespace
}  // namespace distill::store
