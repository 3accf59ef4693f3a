#include "store/store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <random>
#include <thread>

#include "store/store_root.h"
#include "util/fault_injection_file_system.h"
#include "util/in_memory_file_system.h"

namespace distill::store {
namespace {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = ::testing::TempDir() + "distill-store-XXXXXX";
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { (void)DefaultFileSystem()->RemoveTree(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// An image as the store sees it: a manifest blob and the blobs it references.
struct TestImage {
  oci::Digest manifest;
  std::vector<oci::Digest> refs;
};

Result<TestImage> WriteImage(Store* store, const std::string& seed, int layers = 2) {
  TestImage image;
  DISTILL_ASSIGN_OR_RETURN(auto config, store->blobs().Put("config of " + seed));
  image.refs.push_back(config);
  for (int i = 0; i < layers; ++i) {
    DISTILL_ASSIGN_OR_RETURN(auto writer, store->blobs().NewWriter());
    for (int chunk = 0; chunk < 4; ++chunk) {
      DISTILL_RETURN_IF_ERROR(writer->Write("layer " + std::to_string(i) + " of " + seed + " #" +
                                            std::to_string(chunk) + "\n"));
    }
    DISTILL_ASSIGN_OR_RETURN(auto layer, writer->Commit());
    image.refs.push_back(layer);
  }
  std::string manifest = "manifest of " + seed;
  for (const auto& r : image.refs) manifest += " " + r.str();
  DISTILL_ASSIGN_OR_RETURN(image.manifest, store->blobs().Put(manifest, oci::Digest::Of(manifest)));
  return image;
}

Status WriteAndTag(Store* store, const std::string& name, int layers = 2) {
  DISTILL_ASSIGN_OR_RETURN(auto image, WriteImage(store, name, layers));
  return store->Tag(name, image.manifest, image.refs);
}

// The image `name` resolves and every blob it references is intact.
void ExpectImageIntact(Store* store, const std::string& name) {
  auto digest = store->Resolve(name);
  ASSERT_TRUE(digest.ok()) << name << ": " << digest.status().message();
  EXPECT_TRUE(store->blobs().Verify(*digest).ok()) << name;
  auto refs = store->metadata().RefsOf(*digest);
  ASSERT_TRUE(refs.ok());
  EXPECT_FALSE(refs->empty());
  for (const auto& r : *refs) EXPECT_TRUE(store->blobs().Verify(r).ok()) << name << " " << r.str();
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = tmp_.path() + "/store";
    store_ = Open();
  }
  std::unique_ptr<Store> Open(FileSystem* fs = DefaultFileSystem()) {
    StoreOptions options;
    options.clock = [this] { return now_; };
    auto s = Store::Open(root_, fs, options);
    EXPECT_TRUE(s.ok()) << s.status().message();
    return s.ok() ? std::move(s).value() : nullptr;
  }

  TempDir tmp_;
  std::string root_;
  int64_t now_ = 1000;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, CreatesTheLayoutWithAVersion) {
  auto* fs = DefaultFileSystem();
  EXPECT_TRUE(fs->Stat(root_ + "/blobs/sha256")->is_directory);
  EXPECT_TRUE(fs->Stat(root_ + "/tmp")->is_directory);
  EXPECT_TRUE(fs->Exists(root_ + "/distill.db"));
  EXPECT_EQ(*fs->ReadFile(root_ + "/version"), "distill-store-layout 1\n");
}

TEST_F(StoreTest, RefusesANewerLayoutAndRelativeRoots) {
  store_.reset();
  ASSERT_TRUE(DefaultFileSystem()
                  ->WriteFileAtomically(root_ + "/version", "distill-store-layout 7\n")
                  .ok());
  auto s = Store::Open(root_, DefaultFileSystem());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find(root_), std::string::npos);
  EXPECT_NE(s.status().message().find("7"), std::string::npos);
  EXPECT_FALSE(Store::Open("relative/root", DefaultFileSystem()).ok());
}

TEST_F(StoreTest, TagResolveList) {
  auto image = WriteImage(store_.get(), "app");
  ASSERT_TRUE(image.ok());
  ASSERT_TRUE(store_->Tag("example.com/app:1", image->manifest, image->refs).ok());
  EXPECT_EQ(*store_->Resolve("example.com/app:1"), image->manifest);
  EXPECT_EQ(*store_->Resolve(image->manifest.str()), image->manifest);
  EXPECT_EQ(*store_->Resolve(image->manifest.hex().substr(0, 12)), image->manifest);
  auto missing = store_->Resolve("nope:1");
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  EXPECT_NE(missing.status().message().find("nope:1"), std::string::npos);
  EXPECT_EQ(store_->Resolve(oci::Digest::Of("x").str()).status().code(), Status::Code::kNotFound);
  EXPECT_FALSE(store_->Resolve("sha256:zz").ok());
  auto images = store_->ListImages();
  ASSERT_TRUE(images.ok());
  ASSERT_EQ(images->size(), 1u);
  EXPECT_EQ((*images)[0].created_unix, 1000);
  // Tagging the same image again (a no-op rebuild) keeps the tag's time;
  // another image under the name moves it.
  now_ = 2000;
  ASSERT_TRUE(store_->Tag("example.com/app:1", image->manifest, image->refs).ok());
  EXPECT_EQ((*store_->ListImages())[0].created_unix, 1000);
  auto other = WriteImage(store_.get(), "other");
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE(store_->Tag("example.com/app:1", other->manifest, other->refs).ok());
  EXPECT_EQ(*store_->Resolve("example.com/app:1"), other->manifest);
}

TEST_F(StoreTest, AmbiguousPrefixIsAnErrorNotAGuess) {
  // Two manifests whose digests share their first hex character.
  std::map<char, std::string> first;
  std::string a, b;
  for (int i = 0; b.empty(); ++i) {
    std::string content = "m" + std::to_string(i);
    char c = oci::Digest::Of(content).hex()[0];
    if (first.count(c)) {
      a = first[c];
      b = content;
    } else {
      first[c] = content;
    }
  }
  auto da = store_->blobs().Put(a);
  auto db = store_->blobs().Put(b);
  ASSERT_TRUE(store_->RecordManifest(*da, {}).ok());
  ASSERT_TRUE(store_->RecordManifest(*db, {}).ok());
  auto r = store_->Resolve(da->hex().substr(0, 1));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("ambiguous"), std::string::npos);
}

TEST_F(StoreTest, TagRefusesBlobsThatAreNotInTheStore) {
  auto image = WriteImage(store_.get(), "app");
  ASSERT_TRUE(image.ok());
  oci::Digest absent = oci::Digest::Of("never written");
  Status st = store_->Tag("app", image->manifest, {absent});
  EXPECT_EQ(st.code(), Status::Code::kNotFound);
  EXPECT_NE(st.message().find(absent.str()), std::string::npos);
  EXPECT_FALSE(store_->Tag("app", absent, image->refs).ok());
  EXPECT_TRUE(store_->ListImages()->empty());
}

TEST_F(StoreTest, RemoveByNameKeepsOtherTags) {
  auto image = WriteImage(store_.get(), "app");
  ASSERT_TRUE(store_->Tag("app:1", image->manifest, image->refs).ok());
  ASSERT_TRUE(store_->Tag("app:latest", image->manifest, image->refs).ok());
  auto removed = store_->Remove("app:1", false);
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->untagged, std::vector<std::string>{"app:1"});
  EXPECT_TRUE(removed->forgotten.empty());
  EXPECT_EQ(*store_->Resolve("app:latest"), image->manifest);
}

TEST_F(StoreTest, RemoveByDigestRefusesSharedImagesUnlessForced) {
  auto image = WriteImage(store_.get(), "app");
  ASSERT_TRUE(store_->Tag("app:1", image->manifest, image->refs).ok());
  ASSERT_TRUE(store_->Tag("app:2", image->manifest, image->refs).ok());
  auto refused = store_->Remove(image->manifest.str(), false);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("app:1, app:2"), std::string::npos);
  auto forced = store_->Remove(image->manifest.hex().substr(0, 12), true);
  ASSERT_TRUE(forced.ok());
  EXPECT_EQ(forced->untagged.size(), 2u);
  EXPECT_EQ(forced->forgotten, std::vector<oci::Digest>{image->manifest});
  EXPECT_TRUE(store_->ListImages()->empty());
}

TEST_F(StoreTest, RemoveRefusesAManifestAnIndexNeeds) {
  auto child = WriteImage(store_.get(), "amd64");
  ASSERT_TRUE(store_->RecordManifest(child->manifest, child->refs).ok());
  auto index = store_->blobs().Put("index -> " + child->manifest.str());
  ASSERT_TRUE(store_->Tag("multi", *index, {child->manifest}).ok());
  auto refused = store_->Remove(child->manifest.str(), false);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find(index->str()), std::string::npos);
  ExpectImageIntact(store_.get(), "multi");
}

TEST_F(StoreTest, PruneKeepsTaggedAndLeasedDropsTheRest) {
  auto kept = WriteImage(store_.get(), "kept");
  ASSERT_TRUE(store_->Tag("kept", kept->manifest, kept->refs).ok());
  auto leased = WriteImage(store_.get(), "in-flight build");
  auto lease = store_->CreateLease("build of in-flight", 3600);
  ASSERT_TRUE(lease.ok());
  ASSERT_TRUE(store_->AddToLease(*lease, leased->manifest).ok());
  ASSERT_TRUE(store_->RecordManifest(leased->manifest, leased->refs).ok());
  auto dropped = WriteImage(store_.get(), "dropped", 3);
  ASSERT_TRUE(store_->Tag("dropped", dropped->manifest, dropped->refs).ok());
  ASSERT_TRUE(store_->Remove("dropped", false).ok());
  ASSERT_TRUE(DefaultFileSystem()->WriteFileAtomically(root_ + "/tmp/blob-killed", "half").ok());

  auto report = store_->Prune();
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->blobs_removed, 5);  // config + 3 layers + manifest of "dropped"
  EXPECT_GT(report->bytes_freed, 0u);
  EXPECT_EQ(report->temp_files_removed, 1);
  ExpectImageIntact(store_.get(), "kept");
  EXPECT_TRUE(store_->blobs().Exists(leased->manifest));
  for (const auto& r : leased->refs) EXPECT_TRUE(store_->blobs().Exists(r));
  for (const auto& r : dropped->refs) EXPECT_FALSE(store_->blobs().Exists(r));

  // Once the lease is gone (or expires), its blobs go too.
  now_ += 7200;
  auto second = store_->Prune();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->leases_expired, 1);
  EXPECT_EQ(second->blobs_removed, 4);
  EXPECT_FALSE(store_->blobs().Exists(leased->manifest));
  ExpectImageIntact(store_.get(), "kept");
  EXPECT_TRUE(store_->Fsck(false)->clean());
}

TEST_F(StoreTest, PruneWaitsForOtherOperations) {
  // A second Store is another operation: it wrote a blob it has not tagged yet.
  auto other = Open();
  auto in_flight = other->blobs().Put("layer of a build in progress");
  ASSERT_TRUE(in_flight.ok());
  auto refused = store_->Prune(/*wait=*/false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Status::Code::kUnavailable);
  EXPECT_TRUE(store_->blobs().Exists(*in_flight));

  // A waiting GC runs only after the operation has tagged its work and finished.
  Result<PruneReport> report = Status::Error("not run");
  std::thread gc([&] { report = store_->Prune(/*wait=*/true); });
  auto manifest = other->blobs().Put("manifest -> " + in_flight->str());
  ASSERT_TRUE(other->Tag("built", *manifest, {*in_flight}).ok());
  other.reset();
  gc.join();
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->blobs_removed, 0);
  EXPECT_TRUE(store_->blobs().Exists(*in_flight));
  // The store is usable after GC: the shared lock was taken back.
  EXPECT_FALSE(Store::Open(root_, DefaultFileSystem()).value()->Prune(false).ok());
}

TEST_F(StoreTest, PruneIsRefusedWhileAnotherProcessHasTheStoreOpen) {
  int to_child[2], to_parent[2];
  ASSERT_EQ(pipe(to_child), 0);
  ASSERT_EQ(pipe(to_parent), 0);
  store_.reset();
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto s = Store::Open(root_, DefaultFileSystem());
    char c = s.ok() && (*s)->blobs().Put("child's untagged blob").ok() ? 'y' : 'n';
    (void)!write(to_parent[1], &c, 1);
    (void)!read(to_child[0], &c, 1);  // hold the store open until the parent is done
    _exit(0);
  }
  char c = 0;
  ASSERT_EQ(read(to_parent[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');
  store_ = Open();
  auto refused = store_->Prune(false);
  EXPECT_EQ(refused.status().code(), Status::Code::kUnavailable);
  EXPECT_TRUE(store_->blobs().Exists(oci::Digest::Of("child's untagged blob")));
  ASSERT_EQ(write(to_child[1], "x", 1), 1);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  auto report = store_->Prune(false);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->blobs_removed, 1);
  for (int fd : {to_child[0], to_child[1], to_parent[0], to_parent[1]}) close(fd);
}

TEST_F(StoreTest, FsckFindsAndRepairsAFlippedByte) {
  ASSERT_TRUE(WriteAndTag(store_.get(), "app").ok());
  ASSERT_TRUE(WriteAndTag(store_.get(), "other").ok());
  EXPECT_TRUE(store_->Fsck(false)->clean());
  oci::Digest layer = store_->metadata().RefsOf(*store_->Resolve("app")).value()[1];
  std::string path = store_->blobs().PathOf(layer);
  std::string bytes = *DefaultFileSystem()->ReadFile(path);
  bytes[5] ^= 0x20;
  ASSERT_TRUE(DefaultFileSystem()->WriteFileAtomically(path, bytes).ok());

  auto report = store_->Fsck(false);
  ASSERT_TRUE(report.ok());
  ASSERT_FALSE(report->clean());
  bool corrupt = false, dangling = false;
  for (const auto& p : report->problems) {
    corrupt |= p.kind == FsckProblem::Kind::kCorruptBlob && p.subject == layer.str();
    dangling |= p.kind == FsckProblem::Kind::kDanglingTag && p.subject == "app";
    EXPECT_FALSE(p.repaired);
  }
  EXPECT_TRUE(corrupt);
  EXPECT_TRUE(dangling);
  EXPECT_TRUE(DefaultFileSystem()->Exists(path));  // no repair: nothing changed

  auto repaired = store_->Fsck(true);
  ASSERT_TRUE(repaired.ok());
  for (const auto& p : repaired->problems) EXPECT_TRUE(p.repaired) << p.subject;
  EXPECT_FALSE(DefaultFileSystem()->Exists(path));
  EXPECT_FALSE(store_->Resolve("app").ok());
  ExpectImageIntact(store_.get(), "other");
  EXPECT_TRUE(store_->Fsck(false)->clean());
}

TEST_F(StoreTest, FsckFindsADanglingReference) {
  ASSERT_TRUE(WriteAndTag(store_.get(), "app").ok());
  oci::Digest manifest = *store_->Resolve("app");
  ASSERT_TRUE(DefaultFileSystem()->Unlink(store_->blobs().PathOf(manifest)).ok());
  ASSERT_TRUE(DefaultFileSystem()->WriteFileAtomically(root_ + "/blobs/sha256/junk", "x").ok());
  auto report = store_->Fsck(false);
  ASSERT_TRUE(report.ok());
  std::set<FsckProblem::Kind> kinds;
  for (const auto& p : report->problems) kinds.insert(p.kind);
  EXPECT_EQ(kinds, (std::set<FsckProblem::Kind>{FsckProblem::Kind::kMissingBlob,
                                                FsckProblem::Kind::kDanglingTag,
                                                FsckProblem::Kind::kStrayFile}));
  ASSERT_TRUE(store_->Fsck(true).ok());
  EXPECT_TRUE(store_->Fsck(false)->clean());
  EXPECT_TRUE(store_->ListImages()->empty());
}

TEST(StoreInMemoryTest, WholeStoreRunsOnTheFake) {
  InMemoryFileSystem fs;
  StoreOptions options;
  options.metadata_path = ":memory:";
  auto store = Store::Open("/var/lib/distill", &fs, options);
  ASSERT_TRUE(store.ok()) << store.status().message();
  ASSERT_TRUE(WriteAndTag(store->get(), "app").ok());
  ExpectImageIntact(store->get(), "app");
  auto orphan = (*store)->blobs().Put("orphan");
  auto report = (*store)->Prune(false);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->blobs_removed, 1);
  EXPECT_FALSE((*store)->blobs().Exists(*orphan));
  EXPECT_TRUE((*store)->Fsck(false)->clean());
}

// Crash at every mutating file-system operation of a write-and-tag workload; after
// the "reboot" the store must be consistent and keep everything tagged before.
TEST_F(StoreTest, CrashAtEveryOperationLeavesAConsistentStore) {
  ASSERT_TRUE(WriteAndTag(store_.get(), "base").ok());
  store_.reset();
  int crash_points = 0;
  for (int n = 1;; ++n) {
    FaultInjectionFileSystem fs(DefaultFileSystem());
    fs.CrashAtNth(n);
    std::vector<std::string> tagged;
    {
      StoreOptions options;
      auto store = Store::Open(root_, &fs, options);
      for (int round = 0; store.ok() && round < 2; ++round) {
        std::string name = "crash" + std::to_string(n) + "-" + std::to_string(round);
        if (WriteAndTag(store->get(), name, 1).ok()) tagged.push_back(name);
      }
    }
    bool crashed = fs.crashed();
    ASSERT_TRUE(fs.DropUnsyncedData().ok());
    auto store = Open();
    ASSERT_NE(store, nullptr);
    auto report = store->Fsck(false);
    ASSERT_TRUE(report.ok()) << report.status().message();
    for (const auto& p : report->problems) ADD_FAILURE() << "n=" << n << ": " << p.detail;
    ExpectImageIntact(store.get(), "base");
    for (const auto& name : tagged) ExpectImageIntact(store.get(), name);
    if (!crashed) break;
    ++crash_points;
    ASSERT_TRUE(store->Prune(false).ok());  // keep each round small
  }
  EXPECT_GT(crash_points, 20);
}

TEST_F(StoreTest, FailingAnyOneOperationNeverCorruptsTheStore) {
  for (int n = 1; n < 40; ++n) {
    FaultInjectionFileSystem fs(DefaultFileSystem());
    fs.FailNth(FaultInjectionFileSystem::kAnyMutation, n);
    std::vector<std::string> tagged;
    {
      auto store = Store::Open(root_, &fs);  // may itself hit the fault
      for (int round = 0; store.ok() && round < 2; ++round) {
        std::string name = "fail" + std::to_string(n) + "-" + std::to_string(round);
        if (WriteAndTag(store->get(), name, 1).ok()) tagged.push_back(name);
      }
    }
    auto report = store_->Fsck(false);
    ASSERT_TRUE(report.ok());
    for (const auto& p : report->problems) ADD_FAILURE() << "n=" << n << ": " << p.detail;
    EXPECT_EQ(report->temp_files, 0) << "n=" << n;  // failed writers clean up after themselves
    for (const auto& name : tagged) ExpectImageIntact(store_.get(), name);
  }
}

// A real process killed with SIGKILL at random points while writing and tagging.
TEST_F(StoreTest, SigkilledWriterLeavesAConsistentStore) {
  ASSERT_TRUE(WriteAndTag(store_.get(), "base").ok());
  store_.reset();
  std::mt19937 rng(42);
  for (int iteration = 0; iteration < 5; ++iteration) {
    int progress[2];
    ASSERT_EQ(pipe(progress), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(progress[0]);
      auto store = Store::Open(root_, DefaultFileSystem());
      if (!store.ok()) _exit(1);
      for (int i = 0;; ++i) {
        std::string name = "kill" + std::to_string(iteration) + "-" + std::to_string(i);
        if (!WriteAndTag(store->get(), name).ok()) _exit(2);
        uint32_t done = static_cast<uint32_t>(i);
        if (write(progress[1], &done, sizeof done) != sizeof done) _exit(3);
      }
    }
    close(progress[1]);
    // Kill after a random number of completed tags: mid-way through the next one.
    int wait_for = std::uniform_int_distribution<int>(1, 8)(rng);
    int completed = 0;
    uint32_t done = 0;
    while (completed < wait_for && read(progress[0], &done, sizeof done) == sizeof done) {
      ++completed;
    }
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with " << WEXITSTATUS(status);
    while (read(progress[0], &done, sizeof done) == sizeof done) ++completed;  // reported late
    close(progress[0]);

    auto store = Open();
    ASSERT_NE(store, nullptr);
    auto report = store->Fsck(false);
    ASSERT_TRUE(report.ok()) << report.status().message();
    for (const auto& p : report->problems) ADD_FAILURE() << p.detail;
    ExpectImageIntact(store.get(), "base");
    for (int i = 0; i < completed; ++i) {
      ExpectImageIntact(store.get(), "kill" + std::to_string(iteration) + "-" + std::to_string(i));
    }
    auto pruned = store->Prune(false);
    ASSERT_TRUE(pruned.ok()) << pruned.status().message();
    EXPECT_EQ(store->Fsck(false)->temp_files, 0);
  }
}

TEST(DefaultStoreRootTest, Precedence) {
  std::map<std::string, std::string> env;
  EnvLookup lookup = [&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  env["HOME"] = "/home/u";
  EXPECT_EQ(*DefaultStoreRoot("", lookup, 1000), "/home/u/.local/share/distill");
  env["XDG_DATA_HOME"] = "relative/ignored";
  EXPECT_EQ(*DefaultStoreRoot("", lookup, 1000), "/home/u/.local/share/distill");
  env["XDG_DATA_HOME"] = "/xdg";
  EXPECT_EQ(*DefaultStoreRoot("", lookup, 1000), "/xdg/distill");
  EXPECT_EQ(*DefaultStoreRoot("", lookup, 0), "/var/lib/distill");
  env["DISTILL_ROOT"] = "/env/root";
  EXPECT_EQ(*DefaultStoreRoot("", lookup, 0), "/env/root");
  EXPECT_EQ(*DefaultStoreRoot("/flag/root", lookup, 0), "/flag/root");
  env.clear();
  auto none = DefaultStoreRoot("", lookup, 1000);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("--root"), std::string::npos);
}

}  // namespace
}  // namespace distill::store
