#include "store/blob_store.h"

#include <gtest/gtest.h>

#include "util/fault_injection_file_system.h"
#include "util/in_memory_file_system.h"

namespace distill::store {
namespace {

class BlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(blobs_.Init().ok()); }
  size_t TempCount() { return mem_.ListDir("/root/tmp")->size(); }
  size_t BlobCount() { return mem_.ListDir("/root/blobs/sha256")->size(); }

  InMemoryFileSystem mem_;
  FaultInjectionFileSystem fs_{&mem_};
  BlobStore blobs_{&fs_, "/root"};
};

TEST_F(BlobStoreTest, StreamsCommitsAndReadsBack) {
  auto w = blobs_.NewWriter();
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Write("hello ").ok());
  ASSERT_TRUE((*w)->Write("world").ok());
  EXPECT_EQ((*w)->size(), 11u);
  auto d = (*w)->Commit(oci::Digest::Of("hello world"), 11);
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(*d, oci::Digest::Of("hello world"));
  EXPECT_EQ(blobs_.PathOf(*d), "/root/blobs/sha256/" + d->hex());
  EXPECT_TRUE(blobs_.Exists(*d));
  EXPECT_EQ(*blobs_.Stat(*d), 11u);
  EXPECT_EQ(*blobs_.ReadAll(*d), "hello world");
  auto r = blobs_.Open(*d);
  ASSERT_TRUE(r.ok());
  char buf[32];
  EXPECT_EQ(*(*r)->Read(buf, sizeof buf), 11u);
  EXPECT_EQ(TempCount(), 0u);
  EXPECT_TRUE(blobs_.Verify(*d).ok());
}

TEST_F(BlobStoreTest, CommitWithoutExpectedUsesComputedDigest) {
  auto d = blobs_.Put("{}");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, oci::Digest::Of("{}"));
}

TEST_F(BlobStoreTest, DigestMismatchIsNeverPublished) {
  oci::Digest wrong = oci::Digest::Of("something else");
  auto d = blobs_.Put("actual bytes", wrong);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(d.status().message().find(wrong.str()), std::string::npos);
  EXPECT_NE(d.status().message().find(oci::Digest::Of("actual bytes").str()), std::string::npos);
  EXPECT_FALSE(blobs_.Exists(wrong));
  EXPECT_FALSE(blobs_.Exists(oci::Digest::Of("actual bytes")));
  EXPECT_EQ(BlobCount(), 0u);
  EXPECT_EQ(TempCount(), 0u);
}

TEST_F(BlobStoreTest, SizeMismatchIsNeverPublished) {
  auto w = blobs_.NewWriter();
  ASSERT_TRUE((*w)->Write("abc").ok());
  auto d = (*w)->Commit(oci::Digest::Of("abc"), 4);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(d.status().message().find("expected 4 bytes, got 3"), std::string::npos);
  EXPECT_EQ(BlobCount(), 0u);
  EXPECT_EQ(TempCount(), 0u);
}

TEST_F(BlobStoreTest, AbandonedWriterRemovesItsTempFile) {
  {
    auto w = blobs_.NewWriter();
    ASSERT_TRUE((*w)->Write("partial").ok());
    EXPECT_EQ(TempCount(), 1u);
  }
  EXPECT_EQ(TempCount(), 0u);
  EXPECT_EQ(BlobCount(), 0u);
}

TEST_F(BlobStoreTest, WriteAfterCommitIsRejected) {
  auto w = blobs_.NewWriter();
  ASSERT_TRUE((*w)->Commit().ok());  // the empty blob is a valid blob
  EXPECT_FALSE((*w)->Write("x").ok());
  EXPECT_FALSE((*w)->Commit().ok());
}

TEST_F(BlobStoreTest, PublishingTwiceIsIdempotent) {
  auto a = blobs_.Put("same");
  auto b = blobs_.Put("same");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(BlobCount(), 1u);
  EXPECT_EQ(TempCount(), 0u);
}

TEST_F(BlobStoreTest, StoredDocumentsAreNotRewrittenButDamagedOnesAreHealed) {
  auto a = blobs_.Put("config");
  ASSERT_TRUE(a.ok());
  // The same bytes again: nothing is written at all.
  const int mutations = fs_.mutation_count();
  ASSERT_TRUE(blobs_.Put("config").ok());
  EXPECT_EQ(fs_.mutation_count(), mutations);
  // A damaged copy is replaced by the good bytes.
  ASSERT_TRUE(mem_.WriteFileAtomically(blobs_.PathOf(*a), "confiG").ok());
  ASSERT_TRUE(blobs_.Put("config").ok());
  EXPECT_EQ(*blobs_.ReadAll(*a), "config");
  EXPECT_TRUE(blobs_.Verify(*a).ok());
}

TEST_F(BlobStoreTest, MissingBlobIsNotFoundAndNamed) {
  oci::Digest d = oci::Digest::Of("absent");
  auto r = blobs_.Open(d);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_NE(r.status().message().find(d.str()), std::string::npos);
  EXPECT_EQ(blobs_.Stat(d).status().code(), Status::Code::kNotFound);
  EXPECT_FALSE(blobs_.Delete(d).ok());
}

TEST_F(BlobStoreTest, RejectsDigestsThatCouldEscapeTheStore) {
  oci::Digest evil = oci::Digest::Sha256Hex("../../etc/passwd");
  EXPECT_EQ(blobs_.Open(evil).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(blobs_.Delete(evil).code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(blobs_.Put("x", evil).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(TempCount(), 0u);
}

TEST_F(BlobStoreTest, VerifyDetectsAFlippedByte) {
  auto d = blobs_.Put("precious content");
  ASSERT_TRUE(d.ok());
  std::string bytes = *mem_.ReadFile(blobs_.PathOf(*d));
  bytes[3] ^= 0x01;
  auto f = mem_.NewWritableFile(blobs_.PathOf(*d));
  ASSERT_TRUE((*f)->Append(bytes).ok());
  Status st = blobs_.Verify(*d);
  EXPECT_EQ(st.code(), Status::Code::kCorrupt);
  EXPECT_NE(st.message().find(d->str()), std::string::npos);
  // Publishing the right content again heals it.
  ASSERT_TRUE(blobs_.Put("precious content").ok());
  EXPECT_TRUE(blobs_.Verify(*d).ok());
}

TEST_F(BlobStoreTest, ListAndDelete) {
  auto a = blobs_.Put("a");
  auto b = blobs_.Put("b");
  ASSERT_TRUE(mem_.WriteFileAtomically("/root/blobs/sha256/not-a-digest", "x").ok());
  std::vector<std::string> stray;
  auto all = blobs_.List(&stray);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
  EXPECT_EQ(stray, std::vector<std::string>{"/root/blobs/sha256/not-a-digest"});
  ASSERT_TRUE(blobs_.Delete(*a).ok());
  EXPECT_FALSE(blobs_.Exists(*a));
  EXPECT_TRUE(blobs_.Exists(*b));
}

TEST_F(BlobStoreTest, RemoveTempFilesCleansWhatAKilledWriterLeft) {
  ASSERT_TRUE(mem_.WriteFileAtomically("/root/tmp/blob-deadbeef", "half a layer").ok());
  auto removed = blobs_.RemoveTempFiles();
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1);
  EXPECT_EQ(TempCount(), 0u);
}

TEST_F(BlobStoreTest, IoErrorsAtEveryStepLeaveNoPublishedBlobAndNoTemp) {
  const unsigned kOps[] = {FaultInjectionFileSystem::kCreate, FaultInjectionFileSystem::kWrite,
                           FaultInjectionFileSystem::kSync, FaultInjectionFileSystem::kRename};
  for (unsigned op : kOps) {
    fs_.FailNth(op, 1);
    auto d = blobs_.Put("content");
    ASSERT_FALSE(d.ok()) << "op " << op;
    EXPECT_EQ(d.status().code(), Status::Code::kIo);
    EXPECT_EQ(BlobCount(), 0u) << "op " << op;
    EXPECT_EQ(TempCount(), 0u) << "op " << op;
  }
  ASSERT_TRUE(blobs_.Put("content").ok());
}

TEST_F(BlobStoreTest, CommittedBlobSurvivesACrash) {
  auto d = blobs_.Put("durable");
  ASSERT_TRUE(d.ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_TRUE(blobs_.Verify(*d).ok());
}

TEST_F(BlobStoreTest, CrashBeforeTheDirectorySyncLosesTheBlobNotTheStore) {
  fs_.FailNth(FaultInjectionFileSystem::kSyncDir, 1);
  auto d = blobs_.Put("not yet durable");
  ASSERT_FALSE(d.ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_FALSE(blobs_.Exists(oci::Digest::Of("not yet durable")));
}

}  // namespace
}  // namespace distill::store
