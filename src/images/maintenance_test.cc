#include "images/maintenance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "images/humanize.h"
#include "images/image_view.h"
#include "images/test_store.h"

namespace distill::images {
namespace {

using MaintenanceTest = StoreFixture;

TEST_F(MaintenanceTest, TagNormalisesAndResolvesByNameIdAndDigest) {
  oci::Digest id = MakeImage("a", {"python:3.9"});
  auto tagged = TagImage(*store_, "python:3.9", "myreg:5000/py:1");
  ASSERT_TRUE(tagged.ok()) << tagged.status().message();
  EXPECT_EQ(*tagged, "myreg:5000/py:1");
  ASSERT_TRUE(TagImage(*store_, id.Short(), "alias").ok());
  ASSERT_TRUE(TagImage(*store_, id.str(), "docker.io/library/other:2").ok());
  auto tags = store_->metadata().TagsOf(id);
  ASSERT_TRUE(tags.ok());
  EXPECT_EQ(tags->size(), 4u);
  auto alias = store_->metadata().LookupTag("docker.io/library/alias:latest");
  ASSERT_TRUE(alias.ok());
  ASSERT_TRUE(alias->has_value());
  EXPECT_EQ(**alias, id);
}

TEST_F(MaintenanceTest, TagRejectsBadTargetsAndMissingSources) {
  MakeImage("a", {"a"});
  auto upper = TagImage(*store_, "a", "Bad");
  ASSERT_FALSE(upper.ok());
  EXPECT_NE(upper.status().message().find("must be lowercase"), std::string::npos);
  EXPECT_NE(upper.status().message().find("\"Bad\""), std::string::npos);
  auto digest = TagImage(*store_, "a", "b@sha256:" + std::string(64, 'a'));
  ASSERT_FALSE(digest.ok());
  EXPECT_NE(digest.status().message().find("digest"), std::string::npos);
  auto missing = TagImage(*store_, "nope:1", "b");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "no such image: nope:1");
}

TEST_F(MaintenanceTest, RmiByNameUntagsOnlyThatName) {
  oci::Digest id = MakeImage("a", {"a", "b"});
  auto lines = RemoveImage(*store_, "a", false);
  ASSERT_TRUE(lines.ok()) << lines.status().message();
  EXPECT_EQ(*lines, std::vector<std::string>{"Untagged: a:latest"});
  auto last = RemoveImage(*store_, "b:latest", false);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, (std::vector<std::string>{"Untagged: b:latest", "Deleted: " + id.str()}));
}

TEST_F(MaintenanceTest, RmiByIdRefusesSeveralTagsUnlessForced) {
  oci::Digest id = MakeImage("a", {"a", "ghcr.io/o/b:1"});
  auto refused = RemoveImage(*store_, id.Short(), false);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(),
            "conflict: unable to delete " + id.Short() + " (" + id.Short() +
                ") (must be forced) - image is referenced in multiple repositories");
  auto forced = RemoveImage(*store_, id.Short(), true);
  ASSERT_TRUE(forced.ok()) << forced.status().message();
  EXPECT_EQ(*forced, (std::vector<std::string>{"Untagged: a:latest", "Untagged: ghcr.io/o/b:1",
                                               "Deleted: " + id.str()}));
  auto again = RemoveImage(*store_, id.Short(), false);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().message(), "no such image: " + id.Short());
}

TEST_F(MaintenanceTest, RmiOfSingleTaggedIdNeedsNoForce) {
  oci::Digest id = MakeImage("a", {"a"});
  auto lines = RemoveImage(*store_, id.str(), false);
  ASSERT_TRUE(lines.ok()) << lines.status().message();
  EXPECT_EQ(lines->back(), "Deleted: " + id.str());
}

TEST_F(MaintenanceTest, PruneRemovesExactlyUnreachableBlobs) {
  oci::Digest keep = MakeImage("keep", {"keep"});
  oci::Digest gone = MakeImage("gone", {"gone"});
  auto gone_image = LoadImage(*store_, gone, "gone");
  ASSERT_TRUE(gone_image.ok());
  auto stray = store_->blobs().Put("unreferenced");
  ASSERT_TRUE(stray.ok());

  auto nothing = PruneStore(*store_);
  ASSERT_TRUE(nothing.ok()) << nothing.status().message();
  ASSERT_EQ(nothing->removed.size(), 1u);  // only the unreferenced blob
  EXPECT_EQ(nothing->removed[0].first, *stray);
  EXPECT_EQ(nothing->removed[0].second, 12u);

  ASSERT_TRUE(RemoveImage(*store_, "gone", false).ok());
  auto result = PruneStore(*store_);
  ASSERT_TRUE(result.ok()) << result.status().message();
  std::vector<oci::Digest> want = {gone, gone_image->manifest.config.digest};
  for (const auto& l : gone_image->manifest.layers) want.push_back(l.digest);
  std::sort(want.begin(), want.end());
  std::vector<oci::Digest> got;
  uint64_t total = 0;
  for (const auto& [d, size] : result->removed) {
    got.push_back(d);
    total += size;
  }
  EXPECT_EQ(got, want);
  EXPECT_EQ(result->report.bytes_freed, total);
  EXPECT_TRUE(store_->blobs().Exists(keep));

  std::string text = FormatPrune(*result);
  EXPECT_NE(text.find("deleted: " + gone.str() + " ("), std::string::npos) << text;
  EXPECT_NE(text.find("Total reclaimed space: " + HumanSize(total)), std::string::npos) << text;
}

TEST_F(MaintenanceTest, FsckReportFindsAndRepairsCorruption) {
  oci::Digest id = MakeImage("a", {"a"});
  auto image = LoadImage(*store_, id, "a");
  ASSERT_TRUE(image.ok());
  std::string layer_path = store_->blobs().PathOf(image->manifest.layers[0].digest);
  {
    std::fstream f(layer_path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(3);
    f.put('\xff');
  }
  auto report = store_->Fsck(false);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(FsckProblemsRemain(*report));
  std::string text = FormatFsck(*report);
  EXPECT_NE(text.find("corrupt blob " + image->manifest.layers[0].digest.str()), std::string::npos)
      << text;
  EXPECT_NE(text.find("dangling tag a:latest"), std::string::npos) << text;
  EXPECT_NE(text.find("run distill fsck --repair"), std::string::npos) << text;

  auto repaired = store_->Fsck(true);
  ASSERT_TRUE(repaired.ok());
  EXPECT_FALSE(FsckProblemsRemain(*repaired));
  EXPECT_NE(FormatFsck(*repaired).find("(repaired)"), std::string::npos);
  auto clean = store_->Fsck(false);
  ASSERT_TRUE(clean.ok());
  EXPECT_EQ(FormatFsck(*clean).find("0 problem(s)") != std::string::npos, true);
  EXPECT_FALSE(FsckProblemsRemain(*clean));
}

}  // namespace
}  // namespace distill::images
