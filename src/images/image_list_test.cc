#include "images/image_list.h"

#include <gtest/gtest.h>

#include "images/test_store.h"

namespace distill::images {
namespace {

using ImageListTest = StoreFixture;

TEST_F(ImageListTest, OneRowPerTagInFamiliarFormNewestFirst) {
  oci::Digest old_image = MakeImage("old", {"python:3.9"}, 1, "2023-12-01T00:00:00Z");
  oci::Digest new_image = MakeImage("new", {"ghcr.io/o/app:v1", "app"}, 2, "2024-01-02T03:00:05Z");
  auto rows = ListImageSummaries(*store_);
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].repository, "app");
  EXPECT_EQ((*rows)[0].tag, "latest");
  EXPECT_EQ((*rows)[1].repository, "ghcr.io/o/app");
  EXPECT_EQ((*rows)[1].tag, "v1");
  EXPECT_EQ((*rows)[0].id, new_image);
  EXPECT_EQ((*rows)[2].repository, "python");
  EXPECT_EQ((*rows)[2].id, old_image);
  EXPECT_TRUE((*rows)[0].problem.empty());

  auto image = store::ReadImageByDigest(*store_, new_image, "app");
  ASSERT_TRUE(image.ok());
  uint64_t want_size = static_cast<uint64_t>(image->manifest.config.size);
  for (const auto& l : image->manifest.layers) want_size += static_cast<uint64_t>(l.size);
  EXPECT_EQ((*rows)[0].size, want_size);

  std::string table = FormatImagesTable(*rows, kNow);
  EXPECT_EQ(table.substr(0, table.find('\n')),
            "REPOSITORY      TAG       IMAGE ID       CREATED         SIZE");
  EXPECT_NE(table.find("app             latest    " + new_image.Short() + "   4 minutes ago"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("python          3.9       " + old_image.Short() + "   4 weeks ago"),
            std::string::npos)
      << table;

  std::string ids = FormatImageIds(*rows);
  EXPECT_EQ(ids, new_image.Short() + "\n" + new_image.Short() + "\n" + old_image.Short() + "\n");

  std::string with_digests = FormatImagesTable(*rows, kNow, {.digests = true, .no_trunc = true});
  EXPECT_NE(with_digests.find("DIGEST"), std::string::npos);
  EXPECT_NE(with_digests.find(new_image.str() + "   " + new_image.str()), std::string::npos);

  auto json = ImagesToJson(*rows, kNow);
  ASSERT_EQ(json.size(), 3u);
  EXPECT_EQ(json[2]["Repository"], "python");
  EXPECT_EQ(json[2]["Tag"], "3.9");
  EXPECT_EQ(json[2]["ID"], old_image.str());
  EXPECT_EQ(json[2]["Created"], 1701388800);
  EXPECT_EQ(json[2]["CreatedSince"], "4 weeks ago");
  EXPECT_TRUE(json[2]["Size"].is_number());
}

TEST_F(ImageListTest, UntaggedImagesShowAsNone) {
  oci::Digest dangling = MakeImage("dangling", {});
  auto rows = ListImageSummaries(*store_);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].repository, "<none>");
  EXPECT_EQ((*rows)[0].tag, "<none>");
  EXPECT_EQ((*rows)[0].id, dangling);
}

TEST_F(ImageListTest, IndexChildrenOnlyWithAll) {
  oci::Digest child = MakeImage("child", {});
  std::string index = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json",)"
                      R"("manifests":[]})";
  auto index_digest = store_->blobs().Put(index);
  ASSERT_TRUE(index_digest.ok());
  ASSERT_TRUE(store_->Tag("docker.io/library/multi:latest", *index_digest, {child}).ok());

  auto rows = ListImageSummaries(*store_);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);  // the index; its child is not dangling
  EXPECT_EQ((*rows)[0].repository, "multi");
  EXPECT_NE((*rows)[0].problem.find("multi-platform index"), std::string::npos)
      << (*rows)[0].problem;
  EXPECT_EQ((*rows)[0].size, index.size());

  auto all = ListImageSummaries(*store_, {.all = true});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].id, child);  // created known: sorts first
}

TEST_F(ImageListTest, BrokenImageIsListedWithItsProblem) {
  oci::Digest image = MakeImage("broken", {"broken"});
  auto read = store::ReadImageByDigest(*store_, image, "broken");
  ASSERT_TRUE(read.ok());
  ASSERT_TRUE(
      DefaultFileSystem()->RemoveTree(store_->blobs().PathOf(read->manifest.config.digest)).ok());
  auto rows = ListImageSummaries(*store_);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_NE((*rows)[0].problem.find("broken"), std::string::npos) << (*rows)[0].problem;
  EXPECT_EQ(FormatImagesTable(*rows, kNow).find("N/A") != std::string::npos, true);
}

TEST_F(ImageListTest, EmptyStoreHasHeaderOnly) {
  auto rows = ListImageSummaries(*store_);
  ASSERT_TRUE(rows.ok());
  EXPECT_TRUE(rows->empty());
  EXPECT_EQ(FormatImagesTable(*rows, kNow), "REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n");
  EXPECT_EQ(ImagesToJson(*rows, kNow).dump(), "[]");
}

}  // namespace
}  // namespace distill::images
