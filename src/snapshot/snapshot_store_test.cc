#include "snapshot/snapshot_store.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <random>
#include <thread>

#include "archive/tar_test_util.h"
#include "snapshot/chain_id.h"
#include "snapshot/snapshot_test_util.h"

namespace distill::snapshot {
namespace {

using test_util::Dir;
using test_util::Exists;
using test_util::File;
using test_util::LayerEntries;
using test_util::Member;
using test_util::ReadFileAt;
using test_util::WriteFileAt;

using SnapshotStoreTest = test_util::SnapshotTest;

Member Whiteout(std::string path) {
  return File(std::move(path), "");
}

// Three layers exercising whiteouts and an opaque directory.
std::vector<std::vector<Member>> ThreeLayers() {
  return {
      {Dir("a"), File("a/keep", "keep"), File("a/gone", "gone"), Dir("d"), File("d/old", "old"),
       File("f", "v1")},
      {Dir("a"), Whiteout("a/.wh.gone"), Dir("d"), Whiteout("d/.wh..wh..opq"), File("d/new", "new"),
       File("g", "g")},
      {File("f", "v2")},
  };
}

TEST_F(SnapshotStoreTest, UnpacksAChainAndMountsTheMergedView) {
  std::vector<LayerBlob> layers;
  for (const auto& members : ThreeLayers()) layers.push_back(PutLayer(members));
  auto chain = snapshots_->EnsureUnpacked(layers);
  ASSERT_TRUE(chain.ok()) << chain.status().message();
  EXPECT_EQ(*chain, ChainId({layers[0].diff_id, layers[1].diff_id, layers[2].diff_id}));
  EXPECT_EQ(SnapshotDirCount(), 3);
  EXPECT_TRUE(TmpEntries().empty());

  // The middle layer keeps overlay-style whiteouts, ready to be a lowerdir.
  auto lowers = snapshots_->LowerDirs(*chain);
  ASSERT_TRUE(lowers.ok()) << lowers.status().message();
  ASSERT_EQ(lowers->size(), 3u);
  struct stat st;
  ASSERT_EQ(lstat(((*lowers)[1] + "/a/gone").c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0));
  char opaque[2] = {};
  EXPECT_EQ(lgetxattr(((*lowers)[1] + "/d").c_str(), "trusted.overlay.opaque", opaque, 2), 1);

  auto active = snapshots_->Prepare(*chain);
  ASSERT_TRUE(active.ok()) << active.status().message();
  const std::string root = active->rootfs();
  EXPECT_EQ(ReadFileAt(root + "/a/keep"), "keep");
  EXPECT_FALSE(Exists(root + "/a/gone"));
  EXPECT_FALSE(Exists(root + "/d/old"));
  EXPECT_EQ(ReadFileAt(root + "/d/new"), "new");
  EXPECT_EQ(ReadFileAt(root + "/f"), "v2");
  EXPECT_EQ(ReadFileAt(root + "/g"), "g");

  // Unpacking again is a no-op: same chain, no new directories.
  auto again = snapshots_->EnsureUnpacked(layers);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *chain);
  EXPECT_EQ(SnapshotDirCount(), 3);
}

TEST_F(SnapshotStoreTest, SharedPrefixIsUnpackedOnce) {
  auto l0 = PutLayer({File("base", "b")});
  auto l1 = PutLayer({File("one", "1")});
  auto l2 = PutLayer({File("two", "2")});
  ASSERT_TRUE(snapshots_->EnsureUnpacked({l0, l1}).ok());
  ASSERT_TRUE(snapshots_->EnsureUnpacked({l0, l2}).ok());
  EXPECT_EQ(SnapshotDirCount(), 3);
  auto empty = snapshots_->EnsureUnpacked({});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST_F(SnapshotStoreTest, CommitTurnsTheUpperDirIntoALayer) {
  auto base = PutLayer({Dir("etc"), File("etc/conf", "old"), Dir("dir"), File("dir/x", "x"),
                        File("dir/y", "y"), Dir("rm"), File("rm/me", "me"), Dir("mv"),
                        File("mv/src", "moved"), File("same", "same")});
  auto parent = snapshots_->EnsureUnpacked({base});
  ASSERT_TRUE(parent.ok()) << parent.status().message();
  auto active = snapshots_->Prepare(*parent);
  ASSERT_TRUE(active.ok()) << active.status().message();
  const std::string root = active->rootfs();
  WriteFileAt(root + "/new.txt", "hello");
  WriteFileAt(root + "/etc/conf", "new");
  ASSERT_EQ(unlink((root + "/rm/me").c_str()), 0);
  ASSERT_EQ(rename((root + "/mv/src").c_str(), (root + "/mv/dst").c_str()), 0);
  std::filesystem::remove_all(root + "/dir");
  ASSERT_EQ(mkdir((root + "/dir").c_str(), 0755), 0);
  WriteFileAt(root + "/dir/z", "z");
  auto upper_before = archive::test_util::DescribeTree(active->upper_dir());

  auto layer = snapshots_->Commit(std::move(*active));
  ASSERT_TRUE(layer.ok()) << layer.status().message();
  EXPECT_FALSE(layer->empty);
  EXPECT_EQ(layer->descriptor.media_type, "application/vnd.oci.image.layer.v1.tar+gzip");
  EXPECT_EQ(layer->chain_id, ChainIdOf(*parent, layer->diff_id));
  auto size = store_->blobs().Stat(layer->descriptor.digest);
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(static_cast<int64_t>(*size), layer->descriptor.size);

  std::map<std::string, std::string> contents;
  auto entries = LayerEntries(store_.get(), layer->descriptor.digest, &contents);
  std::vector<std::string> expected = {
      "dir directory", "dir/.wh..wh..opq file", "dir/z file",      "etc directory",
      "etc/conf file", "mv directory",          "mv/.wh.src file", "mv/dst file",
      "new.txt file",  "rm directory",          "rm/.wh.me file",
  };
  EXPECT_EQ(entries, expected);
  EXPECT_EQ(contents["etc/conf"], "new");
  EXPECT_EQ(contents["mv/dst"], "moved");
  EXPECT_EQ(contents["new.txt"], "hello");

  // The upper directory became the new chain's top layer, unchanged.
  auto lowers = snapshots_->LowerDirs(layer->chain_id);
  ASSERT_TRUE(lowers.ok()) << lowers.status().message();
  ASSERT_EQ(lowers->size(), 2u);
  EXPECT_EQ(archive::test_util::DescribeTree((*lowers)[0]), upper_before);
  EXPECT_TRUE(TmpEntries().empty());

  // And a step on top of it sees the result.
  auto next = snapshots_->Prepare(layer->chain_id);
  ASSERT_TRUE(next.ok()) << next.status().message();
  EXPECT_EQ(ReadFileAt(next->rootfs() + "/etc/conf"), "new");
  EXPECT_FALSE(Exists(next->rootfs() + "/dir/x"));
  EXPECT_EQ(ReadFileAt(next->rootfs() + "/dir/z"), "z");
  EXPECT_FALSE(Exists(next->rootfs() + "/mv/src"));
  EXPECT_EQ(ReadFileAt(next->rootfs() + "/same"), "same");
}

TEST_F(SnapshotStoreTest, CommitClampsMtimesAndHonoursCompression) {
  auto active = snapshots_->Prepare(oci::Digest());
  ASSERT_TRUE(active.ok()) << active.status().message();
  WriteFileAt(active->rootfs() + "/file", "data");
  CommitOptions options;
  options.compression = archive::Compression::kNone;
  options.clamp_mtime = 1000;
  auto layer = snapshots_->Commit(std::move(*active), options);
  ASSERT_TRUE(layer.ok()) << layer.status().message();
  EXPECT_EQ(layer->descriptor.media_type, "application/vnd.oci.image.layer.v1.tar");
  EXPECT_EQ(layer->descriptor.digest, layer->diff_id);  // uncompressed
  EXPECT_EQ(layer->chain_id, layer->diff_id);           // a bottom layer
  auto tar = store_->blobs().ReadAll(layer->descriptor.digest);
  ASSERT_TRUE(tar.ok());
  StringReader in(*tar);
  archive::TarReader reader(&in);
  archive::TarEntry e;
  ASSERT_TRUE(*reader.Next(&e));
  EXPECT_EQ(e.path, "file");
  EXPECT_EQ(e.mtime_sec, 1000);
}

TEST_F(SnapshotStoreTest, NoChangesGiveAnEmptyLayer) {
  auto base = PutLayer({File("f", "x")});
  auto parent = snapshots_->EnsureUnpacked({base});
  ASSERT_TRUE(parent.ok());
  auto blobs_before = store_->blobs().List();
  auto active = snapshots_->Prepare(*parent);
  ASSERT_TRUE(active.ok()) << active.status().message();
  EXPECT_EQ(ReadFileAt(active->rootfs() + "/f"), "x");  // reading copies nothing up
  auto layer = snapshots_->Commit(std::move(*active));
  ASSERT_TRUE(layer.ok()) << layer.status().message();
  EXPECT_TRUE(layer->empty);
  EXPECT_EQ(layer->chain_id, *parent);
  EXPECT_TRUE(layer->descriptor.digest.empty());
  EXPECT_EQ(store_->blobs().List()->size(), blobs_before->size());
  EXPECT_EQ(SnapshotDirCount(), 1);
  EXPECT_TRUE(TmpEntries().empty());
}

TEST_F(SnapshotStoreTest, MountsAChainOf120Layers) {
  std::vector<LayerBlob> layers;
  for (int i = 0; i < 120; ++i) {
    layers.push_back(PutLayer({File("f" + std::to_string(i), std::to_string(i)),
                               File("top", "layer " + std::to_string(i))}));
  }
  auto chain = snapshots_->EnsureUnpacked(layers);
  ASSERT_TRUE(chain.ok()) << chain.status().message();
  std::string table_before = MountTable();
  {
    auto active = snapshots_->Prepare(*chain);
    ASSERT_TRUE(active.ok()) << active.status().message();
    EXPECT_EQ(ReadFileAt(active->rootfs() + "/f0"), "0");
    EXPECT_EQ(ReadFileAt(active->rootfs() + "/f119"), "119");
    EXPECT_EQ(ReadFileAt(active->rootfs() + "/top"), "layer 119");
    EXPECT_NE(MountTable(), table_before);
    WriteFileAt(active->rootfs() + "/f0", "changed");
    auto layer = snapshots_->Commit(std::move(*active));
    ASSERT_TRUE(layer.ok()) << layer.status().message();
    EXPECT_EQ(LayerEntries(store_.get(), layer->descriptor.digest),
              std::vector<std::string>{"f0 file"});
  }
  EXPECT_EQ(MountTable(), table_before);
}

TEST_F(SnapshotStoreTest, MountTableIsRestoredAfterSuccessAndFailure) {
  auto base = PutLayer({File("f", "x")});
  auto parent = snapshots_->EnsureUnpacked({base});
  ASSERT_TRUE(parent.ok());
  const std::string table_before = MountTable();

  {  // Success.
    auto active = snapshots_->Prepare(*parent);
    ASSERT_TRUE(active.ok());
    WriteFileAt(active->rootfs() + "/g", "y");
    ASSERT_TRUE(snapshots_->Commit(std::move(*active)).ok());
  }
  EXPECT_EQ(MountTable(), table_before);

  {  // Injected failure inside Commit: the compressor refuses its level.
    auto active = snapshots_->Prepare(*parent);
    ASSERT_TRUE(active.ok());
    WriteFileAt(active->rootfs() + "/h", "z");
    CommitOptions bad;
    bad.compress_options.level = 99;
    auto layer = snapshots_->Commit(std::move(*active), bad);
    ASSERT_FALSE(layer.ok());
    EXPECT_NE(layer.status().message().find("committing the snapshot over " + parent->str()),
              std::string::npos)
        << layer.status().message();
  }
  EXPECT_EQ(MountTable(), table_before);
  EXPECT_TRUE(TmpEntries().empty());

  {  // Abandoned while busy: a file open inside forces the lazy detach.
    auto active = snapshots_->Prepare(*parent);
    ASSERT_TRUE(active.ok());
    int fd = open((active->rootfs() + "/f").c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    { ActiveSnapshot dropped = std::move(*active); }
    EXPECT_EQ(MountTable(), table_before);
    close(fd);
  }
  EXPECT_TRUE(TmpEntries().empty());

  {  // Prepare over a chain that is not unpacked fails before mounting anything.
    auto active = snapshots_->Prepare(oci::Digest::Of("not a chain"));
    ASSERT_FALSE(active.ok());
    EXPECT_EQ(active.status().code(), Status::Code::kNotFound);
    EXPECT_NE(active.status().message().find(oci::Digest::Of("not a chain").str()),
              std::string::npos);
  }
  EXPECT_EQ(MountTable(), table_before);
  EXPECT_TRUE(TmpEntries().empty());
}

TEST_F(SnapshotStoreTest, DropsSandboxPlaceholders) {
  auto base =
      PutLayer({Dir("etc"), File("etc/passwd", "root:x:0:0::/root:/bin/sh\n"), Dir("data")});
  auto parent = snapshots_->EnsureUnpacked({base});
  ASSERT_TRUE(parent.ok());
  auto active = snapshots_->Prepare(*parent);
  ASSERT_TRUE(active.ok()) << active.status().message();
  const std::string root = active->rootfs();
  // What the sandbox creates as mount targets...
  for (const char* d : {"/proc", "/dev", "/sys", "/mnt", "/mnt/bind", "/mnt/bind/target"}) {
    ASSERT_EQ(mkdir((root + d).c_str(), 0755), 0) << d;
  }
  for (const char* f : {"/etc/hosts", "/etc/hostname"}) WriteFileAt(root + f, "");
  // ...a placeholder the step wrote into, and the step's own work.
  WriteFileAt(root + "/etc/resolv.conf", "nameserver 10.0.0.1\n");
  WriteFileAt(root + "/real.txt", "work");

  CommitOptions options;
  options.placeholder_paths = {"/proc",
                               "/dev",
                               "/sys",
                               "/etc/hosts",
                               "/etc/hostname",
                               "/etc/resolv.conf",
                               "/mnt/bind/target",
                               "/data",
                               "/absent"};
  auto layer = snapshots_->Commit(std::move(*active), options);
  ASSERT_TRUE(layer.ok()) << layer.status().message();
  EXPECT_EQ(LayerEntries(store_.get(), layer->descriptor.digest),
            (std::vector<std::string>{"etc directory", "etc/resolv.conf file", "real.txt file"}));
}

TEST_F(SnapshotStoreTest, OnlyPlaceholdersGiveAnEmptyLayer) {
  auto active = snapshots_->Prepare(oci::Digest());
  ASSERT_TRUE(active.ok()) << active.status().message();
  const std::string root = active->rootfs();
  ASSERT_EQ(mkdir((root + "/proc").c_str(), 0755), 0);
  ASSERT_EQ(mkdir((root + "/etc").c_str(), 0755), 0);
  WriteFileAt(root + "/etc/hosts", "");
  CommitOptions options;
  options.placeholder_paths = {"/proc", "/etc/hosts"};
  auto layer = snapshots_->Commit(std::move(*active), options);
  ASSERT_TRUE(layer.ok()) << layer.status().message();
  EXPECT_TRUE(layer->empty);
  EXPECT_TRUE(layer->chain_id.empty());
}

TEST_F(SnapshotStoreTest, PlaceholderThatClimbsOutIsRejected) {
  auto active = snapshots_->Prepare(oci::Digest());
  ASSERT_TRUE(active.ok()) << active.status().message();
  const std::string table_before = MountTable();
  WriteFileAt(active->rootfs() + "/x", "x");
  CommitOptions options;
  options.placeholder_paths = {"/../../etc"};
  auto layer = snapshots_->Commit(std::move(*active), options);
  ASSERT_FALSE(layer.ok());
  EXPECT_EQ(layer.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(layer.status().message().find("/../../etc"), std::string::npos);
  EXPECT_TRUE(TmpEntries().empty());
}

TEST_F(SnapshotStoreTest, ConcurrentUnpacksOfTheSameChain) {
  std::vector<LayerBlob> layers;
  for (const auto& members : ThreeLayers()) layers.push_back(PutLayer(members));
  // Two threads, each with its own Store and SnapshotStore, as two processes would.
  Result<oci::Digest> results[2] = {Status::Error("not run"), Status::Error("not run")};
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      auto store = OpenStore();
      if (store == nullptr) return;
      auto snaps = OpenSnapshots(store.get());
      if (snaps == nullptr) return;
      // Start together, so both unpack the same layers at the same time.
      ready.fetch_add(1);
      while (ready.load() < 2) std::this_thread::yield();
      for (int round = 0; round < 3 && (round == 0 || results[t].ok()); ++round) {
        results[t] = snaps->EnsureUnpacked(layers);
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(results[0].ok()) << results[0].status().message();
  ASSERT_TRUE(results[1].ok()) << results[1].status().message();
  EXPECT_EQ(*results[0], *results[1]);
  EXPECT_EQ(SnapshotDirCount(), 3);
  EXPECT_TRUE(TmpEntries().empty());
  auto active = snapshots_->Prepare(*results[0]);
  ASSERT_TRUE(active.ok()) << active.status().message();
  EXPECT_EQ(ReadFileAt(active->rootfs() + "/f"), "v2");
}

TEST_F(SnapshotStoreTest, CorruptOrMissingLayersPublishNothing) {
  auto good = PutLayer({File("f", "x")});
  LayerBlob wrong_diff = good;
  wrong_diff.diff_id = oci::Digest::Of("something else");
  auto bad = snapshots_->EnsureUnpacked({wrong_diff});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(bad.status().message().find(good.blob.str()), std::string::npos);

  LayerBlob missing{oci::Digest::Of("a"), oci::Digest::Of("no such blob")};
  auto absent = snapshots_->EnsureUnpacked({good, missing});
  ASSERT_FALSE(absent.ok());
  EXPECT_EQ(absent.status().code(), Status::Code::kNotFound);
  EXPECT_NE(absent.status().message().find("layer 2/2"), std::string::npos);

  auto garbage_writer = store_->blobs().Put("this is not a tar archive, not even gzip");
  ASSERT_TRUE(garbage_writer.ok());
  LayerBlob garbage{oci::Digest::Of("this is not a tar archive, not even gzip"), *garbage_writer};
  EXPECT_FALSE(snapshots_->EnsureUnpacked({garbage}).ok());

  EXPECT_EQ(SnapshotDirCount(), 1);  // only `good`, as the bottom of the second attempt
  EXPECT_TRUE(TmpEntries().empty());
}

TEST_F(SnapshotStoreTest, RecoveryRemovesWhatAKilledProcessLeft) {
  auto base = PutLayer({File("f", "x")});
  auto parent = snapshots_->EnsureUnpacked({base});
  ASSERT_TRUE(parent.ok());
  const std::string table_before = MountTable();
  const std::string snaps = root_ + "/snapshots";

  // A killed Prepare: a work directory without a lock holder, still mounted.
  ASSERT_EQ(mkdir((snaps + "/tmp/deadbeef").c_str(), 0700), 0);
  ASSERT_EQ(mkdir((snaps + "/tmp/deadbeef/merged").c_str(), 0755), 0);
  WriteFileAt(snaps + "/tmp/deadbeef.lock", "");
  ASSERT_EQ(mount("tmpfs", (snaps + "/tmp/deadbeef/merged").c_str(), "tmpfs", 0, "size=1m"), 0);
  WriteFileAt(snaps + "/tmp/deadbeef/merged/inside", "must not matter");
  // A killed unpack: no lock file at all.
  ASSERT_EQ(mkdir((snaps + "/tmp/cafe").c_str(), 0700), 0);
  WriteFileAt(snaps + "/tmp/cafe/partial", "p");
  // A killed publish: renamed into place, never recorded.
  ASSERT_EQ(mkdir((snaps + "/999").c_str(), 0700), 0);
  ASSERT_EQ(mkdir((snaps + "/999/fs").c_str(), 0755), 0);
  // A live process's work directory must survive.
  auto live = snapshots_->Prepare(*parent);
  ASSERT_TRUE(live.ok()) << live.status().message();

  auto other_store = OpenStore();
  auto other = SnapshotStore::Open(other_store.get());
  ASSERT_TRUE(other.ok()) << other.status().message();
  auto report = (*other)->Recover();  // Open recovered already: nothing left
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->work_dirs_removed, 0);
  EXPECT_FALSE(Exists(snaps + "/tmp/deadbeef"));
  EXPECT_FALSE(Exists(snaps + "/tmp/deadbeef.lock"));
  EXPECT_FALSE(Exists(snaps + "/tmp/cafe"));
  EXPECT_FALSE(Exists(snaps + "/999"));
  EXPECT_TRUE(Exists(snaps + "/1/fs/f"));
  EXPECT_TRUE(live->mounted());
  EXPECT_EQ(ReadFileAt(live->rootfs() + "/f"), "x");
  { ActiveSnapshot done = std::move(*live); }
  EXPECT_EQ(MountTable(), table_before);
  EXPECT_TRUE(TmpEntries().empty());
}

// A real process killed with SIGKILL at random points while it unpacks,
// mounts, commits and garbage-collects snapshots.
TEST_F(SnapshotStoreTest, SigkilledProcessLeavesNothingThatLooksComplete) {
  std::vector<LayerBlob> layers;
  for (const auto& members : ThreeLayers()) layers.push_back(PutLayer(members));
  const std::string table_before = MountTable();
  std::mt19937 rng(7);
  int interrupted = 0;  // kills that left work behind (recorded, not asserted: timing)
  for (int iteration = 0; iteration < 6; ++iteration) {
    int progress[2];
    ASSERT_EQ(pipe(progress), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(progress[0]);
      auto store = store::Store::Open(root_, &fs_);
      if (!store.ok()) _exit(1);
      auto snaps = SnapshotStore::Open(store->get());
      if (!snaps.ok()) _exit(2);
      for (uint32_t i = 0;; ++i) {
        if (!(*snaps)->RemoveUnreferenced({}).ok()) _exit(3);
        auto chain = (*snaps)->EnsureUnpacked(layers);
        if (!chain.ok()) _exit(4);
        auto active = (*snaps)->Prepare(*chain);
        if (!active.ok()) _exit(5);
        WriteFileAt(active->rootfs() + "/step", std::to_string(i));
        CommitOptions options;
        options.compression = archive::Compression::kNone;
        if (!(*snaps)->Commit(std::move(*active), options).ok()) _exit(6);
        if (write(progress[1], &i, sizeof i) != sizeof i) _exit(7);
      }
    }
    close(progress[1]);
    int wait_for = std::uniform_int_distribution<int>(0, 3)(rng);
    uint32_t done = 0;
    for (int i = 0; i < wait_for; ++i) {
      ASSERT_EQ(read(progress[0], &done, sizeof done), static_cast<ssize_t>(sizeof done));
    }
    // Somewhere inside the next round.
    usleep(std::uniform_int_distribution<int>(0, 30000)(rng));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited early with " << WEXITSTATUS(status);
    close(progress[0]);
    if (!TmpEntries().empty() || MountTable() != table_before) ++interrupted;

    auto reopened = OpenSnapshots(store_.get());
    ASSERT_NE(reopened, nullptr);
    EXPECT_EQ(MountTable(), table_before) << "iteration " << iteration;
    EXPECT_TRUE(TmpEntries().empty()) << "iteration " << iteration;
    // Every recorded chain that claims a directory mounts and shows its content.
    auto chain = reopened->EnsureUnpacked(layers);
    ASSERT_TRUE(chain.ok()) << chain.status().message();
    auto active = reopened->Prepare(*chain);
    ASSERT_TRUE(active.ok()) << active.status().message();
    EXPECT_EQ(ReadFileAt(active->rootfs() + "/f"), "v2");
    EXPECT_EQ(ReadFileAt(active->rootfs() + "/d/new"), "new");
    EXPECT_FALSE(Exists(active->rootfs() + "/d/old"));
  }
  RecordProperty("interrupted_kills", interrupted);
}

TEST_F(SnapshotStoreTest, RecoveryReportCounts) {
  const std::string snaps = root_ + "/snapshots";
  ASSERT_EQ(mkdir((snaps + "/tmp/0123").c_str(), 0700), 0);
  ASSERT_EQ(mkdir((snaps + "/7").c_str(), 0700), 0);
  auto report = snapshots_->Recover();
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->work_dirs_removed, 1);
  EXPECT_EQ(report->unrecorded_dirs_removed, 1);
}

TEST_F(SnapshotStoreTest, RemoveUnreferencedKeepsCachedLayersWithTheirAncestors) {
  auto l0 = PutLayer({File("base", "b")});
  auto l1 = PutLayer({File("one", std::string(100000, '1'))});
  auto l2 = PutLayer({File("two", "2")});
  auto a = snapshots_->EnsureUnpacked({l0, l1});
  auto b = snapshots_->EnsureUnpacked({l0, l2});
  ASSERT_TRUE(a.ok() && b.ok());
  // Nothing named by chain; l2 is a cached layer: its chain (l0+l2) and l0
  // stay, l0+l1 goes with the space its file took.
  uint64_t freed = 0;
  auto removed = snapshots_->RemoveUnreferenced({}, {l2.diff_id}, &freed);
  ASSERT_TRUE(removed.ok()) << removed.status().message();
  EXPECT_EQ(*removed, 1);
  EXPECT_FALSE(snapshots_->HasChain(*a));
  EXPECT_TRUE(snapshots_->HasChain(*b));
  EXPECT_TRUE(snapshots_->HasChain(l0.diff_id));
  EXPECT_GE(freed, 100000u);
  // A layer matched only on top of another parent does not keep this chain:
  // l1 cached keeps nothing once l0+l1 is gone, and l0 is kept as a layer.
  removed = snapshots_->RemoveUnreferenced({}, {l0.diff_id});
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 1);  // l0+l2
  EXPECT_TRUE(snapshots_->HasChain(l0.diff_id));
  EXPECT_FALSE(snapshots_->HasChain(*b));
}

TEST_F(SnapshotStoreTest, RemoveUnreferencedKeepsAncestorsOfKeptChains) {
  auto l0 = PutLayer({File("base", "b")});
  auto l1 = PutLayer({File("one", "1")});
  auto l2 = PutLayer({File("two", "2")});
  auto a = snapshots_->EnsureUnpacked({l0, l1});
  auto b = snapshots_->EnsureUnpacked({l0, l2});
  ASSERT_TRUE(a.ok() && b.ok());
  auto removed = snapshots_->RemoveUnreferenced({*b});
  ASSERT_TRUE(removed.ok()) << removed.status().message();
  EXPECT_EQ(*removed, 1);
  EXPECT_FALSE(snapshots_->HasChain(*a));
  EXPECT_TRUE(snapshots_->HasChain(*b));
  EXPECT_TRUE(snapshots_->HasChain(l0.diff_id));
  EXPECT_EQ(SnapshotDirCount(), 2);

  // A removed chain is unpacked again on demand.
  auto again = snapshots_->EnsureUnpacked({l0, l1});
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(*again, *a);
  EXPECT_TRUE(snapshots_->HasChain(*a));

  removed = snapshots_->RemoveUnreferenced({});
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(*removed, 3);
  EXPECT_EQ(SnapshotDirCount(), 0);
  EXPECT_TRUE(TmpEntries().empty());
}

TEST_F(SnapshotStoreTest, DurableModePublishes) {
  auto synced = OpenSnapshots(store_.get(), /*sync=*/true);
  ASSERT_NE(synced, nullptr);
  auto chain = synced->EnsureUnpacked({PutLayer({File("f", "x")})});
  ASSERT_TRUE(chain.ok()) << chain.status().message();
  EXPECT_TRUE(synced->HasChain(*chain));
}

}  // namespace
}  // namespace distill::snapshot
