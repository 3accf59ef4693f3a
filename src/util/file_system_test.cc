#include "util/file_system.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <functional>

#include "util/fault_injection_file_system.h"
#include "util/in_memory_file_system.h"

namespace distill {
namespace {

// A fresh empty directory on the real disk, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = ::testing::TempDir() + "distill-fs-XXXXXX";
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { (void)DefaultFileSystem()->RemoveTree(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

Status WriteFile(FileSystem* fs, const std::string& path, std::string_view data, bool sync) {
  DISTILL_ASSIGN_OR_RETURN(auto f, fs->NewWritableFile(path));
  DISTILL_RETURN_IF_ERROR(f->Append(data));
  if (sync) DISTILL_RETURN_IF_ERROR(f->Sync());
  return f->Close();
}

// The same contract tests run against the real disk and the in-memory fake.
struct FsCase {
  std::string name;
  std::function<std::unique_ptr<FileSystem>()> make;
};

class FileSystemContractTest : public ::testing::TestWithParam<FsCase> {
 protected:
  void SetUp() override {
    fs_ = GetParam().make();
    root_ = dynamic_cast<RealFileSystem*>(fs_.get()) ? tmp_.path() : "/mem";
    ASSERT_TRUE(fs_->MakeDirs(root_).ok());
  }
  std::string P(std::string_view name) { return JoinPath(root_, name); }

  TempDir tmp_;
  std::unique_ptr<FileSystem> fs_;
  std::string root_;
};

TEST_P(FileSystemContractTest, WriteReadStat) {
  ASSERT_TRUE(WriteFile(fs_.get(), P("a"), "hello", true).ok());
  auto data = fs_->ReadFile(P("a"));
  ASSERT_TRUE(data.ok()) << data.status().message();
  EXPECT_EQ(*data, "hello");
  auto info = fs_->Stat(P("a"));
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->size, 5u);
  EXPECT_FALSE(info->is_directory);
  EXPECT_TRUE(fs_->Stat(root_)->is_directory);
}

TEST_P(FileSystemContractTest, MissingFilesAreNotFoundAndNamed) {
  auto r = fs_->ReadFile(P("nope"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_NE(r.status().message().find("nope"), std::string::npos);
  EXPECT_EQ(fs_->Stat(P("nope")).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(fs_->Unlink(P("nope")).code(), Status::Code::kNotFound);
  EXPECT_FALSE(fs_->Rename(P("nope"), P("x")).ok());
  EXPECT_FALSE(fs_->NewWritableFile(P("no/such/dir/file")).ok());
}

TEST_P(FileSystemContractTest, RenameLinkUnlinkList) {
  ASSERT_TRUE(fs_->MakeDirs(P("d/e")).ok());
  ASSERT_TRUE(fs_->MakeDirs(P("d/e")).ok());  // mkdir -p is idempotent
  ASSERT_TRUE(WriteFile(fs_.get(), P("d/t"), "x", false).ok());
  ASSERT_TRUE(WriteFile(fs_.get(), P("d/old"), "old", false).ok());
  ASSERT_TRUE(fs_->Rename(P("d/t"), P("d/old")).ok());  // replaces
  EXPECT_EQ(*fs_->ReadFile(P("d/old")), "x");
  EXPECT_FALSE(fs_->Exists(P("d/t")));
  ASSERT_TRUE(fs_->Link(P("d/old"), P("d/l")).ok());
  EXPECT_EQ(fs_->Link(P("d/old"), P("d/l")).code(), Status::Code::kAlreadyExists);
  EXPECT_EQ(*fs_->ReadFile(P("d/l")), "x");
  auto names = fs_->ListDir(P("d"));
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"e", "l", "old"}));
  ASSERT_TRUE(fs_->Unlink(P("d/l")).ok());
  EXPECT_TRUE(fs_->Exists(P("d/old")));
  ASSERT_TRUE(fs_->SyncDir(P("d")).ok());
  ASSERT_TRUE(fs_->RemoveTree(P("d")).ok());
  EXPECT_FALSE(fs_->Exists(P("d")));
  EXPECT_FALSE(fs_->Exists(P("d/e")));
  EXPECT_TRUE(fs_->RemoveTree(P("d")).ok());  // absent is fine
}

TEST_P(FileSystemContractTest, WriteFileAtomicallyReplaces) {
  ASSERT_TRUE(fs_->WriteFileAtomically(P("v"), "1").ok());
  ASSERT_TRUE(fs_->WriteFileAtomically(P("v"), "2").ok());
  EXPECT_EQ(*fs_->ReadFile(P("v")), "2");
  EXPECT_EQ(fs_->ListDir(root_)->size(), 1u);  // no temp left behind
}

TEST_P(FileSystemContractTest, LocksExcludeEachOther) {
  auto shared1 = fs_->Lock(P("lock"), LockMode::kShared, false);
  auto shared2 = fs_->Lock(P("lock"), LockMode::kShared, false);
  ASSERT_TRUE(shared1.ok() && shared2.ok());
  auto ex = fs_->Lock(P("lock"), LockMode::kExclusive, false);
  ASSERT_FALSE(ex.ok());
  EXPECT_EQ(ex.status().code(), Status::Code::kUnavailable);
  shared1.value().reset();
  shared2.value().reset();
  auto ex2 = fs_->Lock(P("lock"), LockMode::kExclusive, false);
  ASSERT_TRUE(ex2.ok());
  EXPECT_FALSE(fs_->Lock(P("lock"), LockMode::kShared, false).ok());
}

INSTANTIATE_TEST_SUITE_P(
    All, FileSystemContractTest,
    ::testing::Values(FsCase{"Real", [] { return std::make_unique<RealFileSystem>(); }},
                      FsCase{"InMemory", [] { return std::make_unique<InMemoryFileSystem>(); }}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(PathTest, ParentAndJoin) {
  EXPECT_EQ(ParentDir("/a/b/c"), "/a/b");
  EXPECT_EQ(ParentDir("/a"), "/");
  EXPECT_EQ(JoinPath("/a", "b"), "/a/b");
  EXPECT_EQ(JoinPath("/a/", "b"), "/a/b");
}

class FaultInjectionTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(fs_.MakeDirs("/d").ok()); }
  InMemoryFileSystem mem_;
  FaultInjectionFileSystem fs_{&mem_};
};

TEST_F(FaultInjectionTest, FailsExactlyTheNthMatchingOperation) {
  fs_.FailNth(FaultInjectionFileSystem::kRename, 2);
  ASSERT_TRUE(WriteFile(&fs_, "/d/a", "a", true).ok());
  EXPECT_TRUE(fs_.Rename("/d/a", "/d/b").ok());
  Status st = fs_.Rename("/d/b", "/d/c");
  EXPECT_EQ(st.code(), Status::Code::kIo);
  EXPECT_NE(st.message().find("/d/b"), std::string::npos);
  EXPECT_TRUE(mem_.Exists("/d/b"));              // the failed rename did nothing
  EXPECT_TRUE(fs_.Rename("/d/b", "/d/c").ok());  // only once
}

TEST_F(FaultInjectionTest, FailsWritesAndSyncs) {
  fs_.FailNth(FaultInjectionFileSystem::kSync, 1);
  EXPECT_EQ(WriteFile(&fs_, "/d/a", "a", true).code(), Status::Code::kIo);
  fs_.FailNth(FaultInjectionFileSystem::kWrite, 1);
  EXPECT_EQ(WriteFile(&fs_, "/d/a", "a", true).code(), Status::Code::kIo);
  EXPECT_TRUE(WriteFile(&fs_, "/d/a", "a", true).ok());
}

TEST_F(FaultInjectionTest, CrashFailsEverythingAfterwards) {
  fs_.CrashAtNth(2);
  EXPECT_TRUE(fs_.MakeDirs("/d/x").ok());
  EXPECT_FALSE(fs_.MakeDirs("/d/y").ok());
  EXPECT_TRUE(fs_.crashed());
  EXPECT_FALSE(fs_.Unlink("/d/x").ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_FALSE(fs_.crashed());
  EXPECT_TRUE(fs_.MakeDirs("/d/y").ok());
}

TEST_F(FaultInjectionTest, CrashDropsUnsyncedBytesAndNames) {
  // Durable: synced bytes, synced directory.
  ASSERT_TRUE(WriteFile(&fs_, "/d/durable", "keep", true).ok());
  ASSERT_TRUE(fs_.SyncDir("/d").ok());
  // Synced name, unsynced tail.
  {
    auto f = fs_.NewWritableFile("/d/partial");
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Append("abc").ok());
    ASSERT_TRUE((*f)->Sync().ok());
    ASSERT_TRUE(fs_.SyncDir("/d").ok());
    ASSERT_TRUE((*f)->Append("def").ok());
  }
  // Synced bytes, name never made durable.
  ASSERT_TRUE(WriteFile(&fs_, "/d/tmp", "x", true).ok());
  ASSERT_TRUE(fs_.MakeDirs("/e").ok());
  ASSERT_TRUE(fs_.Rename("/d/tmp", "/e/moved").ok());

  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(*mem_.ReadFile("/d/durable"), "keep");
  EXPECT_EQ(*mem_.ReadFile("/d/partial"), "abc");
  EXPECT_FALSE(mem_.Exists("/e/moved"));
}

TEST_F(FaultInjectionTest, RenameMadeDurableBySyncDirSurvives) {
  ASSERT_TRUE(WriteFile(&fs_, "/d/tmp", "x", true).ok());
  ASSERT_TRUE(fs_.Rename("/d/tmp", "/d/final").ok());
  ASSERT_TRUE(fs_.SyncDir("/d").ok());
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(*mem_.ReadFile("/d/final"), "x");
}

TEST_F(FaultInjectionTest, UnsyncedRenameOverDurableFileRestoresOldContent) {
  ASSERT_TRUE(WriteFile(&mem_, "/d/v", "old", true).ok());  // predates the wrapper
  ASSERT_TRUE(WriteFile(&fs_, "/d/v.tmp", "new", true).ok());
  ASSERT_TRUE(fs_.Rename("/d/v.tmp", "/d/v").ok());
  EXPECT_EQ(*mem_.ReadFile("/d/v"), "new");
  ASSERT_TRUE(fs_.DropUnsyncedData().ok());
  EXPECT_EQ(*mem_.ReadFile("/d/v"), "old");
}

TEST_F(FaultInjectionTest, WorksOverTheRealDisk) {
  TempDir tmp;
  FaultInjectionFileSystem fs(DefaultFileSystem());
  std::string a = JoinPath(tmp.path(), "a");
  ASSERT_TRUE(WriteFile(&fs, a, "12345", false).ok());
  ASSERT_TRUE(fs.SyncDir(tmp.path()).ok());
  ASSERT_TRUE(fs.DropUnsyncedData().ok());
  auto info = DefaultFileSystem()->Stat(a);
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->size, 0u);  // the name survived, the unsynced bytes did not
}

TEST(PathTest, SplitPathKeepsDotsAndDropsEmptyParts) {
  EXPECT_EQ(SplitPath("/a//b/./c/"), (std::vector<std::string>{"a", "b", ".", "c"}));
  EXPECT_EQ(SplitPath("x/../y"), (std::vector<std::string>{"x", "..", "y"}));
  EXPECT_TRUE(SplitPath("/").empty());
  EXPECT_TRUE(SplitPath("").empty());
}

}  // namespace
}  // namespace distill
