#include <gtest/gtest.h>

#include "images/history.h"
#include "images/image_view.h"
#include "images/inspect.h"
#include "images/test_store.h"

namespace distill::images {
namespace {

using InspectHistoryTest = StoreFixture;

TEST_F(InspectHistoryTest, InspectIsDockerShaped) {
  oci::Digest id = MakeImage("web", {"python:3.9", "python:3", "ghcr.io/o/app:v1"});
  auto image = LoadImage(*store_, id, "python:3.9");
  ASSERT_TRUE(image.ok()) << image.status().message();
  auto tags = store_->metadata().TagsOf(id);
  ASSERT_TRUE(tags.ok());
  auto json = InspectImage(*image, *tags);
  EXPECT_EQ(json.begin().key(), "Id");
  EXPECT_EQ(json["Id"], id.str());
  EXPECT_EQ(json["RepoTags"].size(), 3u);
  // One repo digest per repository, not per tag.
  ASSERT_EQ(json["RepoDigests"].size(), 2u);
  for (const auto& d : json["RepoDigests"]) {
    std::string s = d;
    EXPECT_TRUE(s == "python@" + id.str() || s == "ghcr.io/o/app@" + id.str()) << s;
  }
  EXPECT_EQ(json["ConfigDigest"], image->manifest.config.digest.str());
  EXPECT_EQ(json["Created"], "2024-01-02T03:00:05Z");
  EXPECT_EQ(json["Architecture"], "amd64");
  EXPECT_EQ(json["Os"], "linux");
  EXPECT_FALSE(json.contains("Variant"));
  EXPECT_EQ(json["Config"]["Cmd"][0], "/bin/sh");
  EXPECT_EQ(json["Config"]["Env"][0], "PATH=/usr/bin");
  EXPECT_TRUE(json["Config"]["ExposedPorts"]["80/tcp"].is_object());
  EXPECT_TRUE(json["Config"]["Entrypoint"].is_null());
  EXPECT_TRUE(json["Config"]["Healthcheck"].is_null());
  EXPECT_EQ(json["RootFS"]["Type"], "layers");
  EXPECT_EQ(json["RootFS"]["Layers"].size(), 2u);
  EXPECT_EQ(json["Size"], ContentSize(*image));
  EXPECT_EQ(json["Manifest"]["config"]["digest"], image->manifest.config.digest.str());
}

TEST(ContainerConfigJsonTest, HealthcheckLabelsVolumes) {
  oci::ContainerConfig c;
  c.healthcheck = oci::Healthcheck{};
  c.healthcheck->test = {"CMD", "true"};
  c.healthcheck->interval_ns = 30'000'000'000;
  c.healthcheck->retries = 3;
  c.labels = {{"a", "b"}};
  c.volumes = {"/data"};
  c.stop_signal = "SIGTERM";
  auto json = ContainerConfigToJson(c);
  EXPECT_EQ(json["Healthcheck"]["Test"][1], "true");
  EXPECT_EQ(json["Healthcheck"]["Interval"], 30'000'000'000);
  EXPECT_EQ(json["Healthcheck"]["Retries"], 3);
  EXPECT_EQ(json["Labels"]["a"], "b");
  EXPECT_TRUE(json["Volumes"]["/data"].is_object());
  EXPECT_EQ(json["StopSignal"], "SIGTERM");
}

TEST_F(InspectHistoryTest, HistoryNewestFirstWithLayerSizes) {
  oci::Digest id = MakeImage("hist", {"hist"}, 2);
  auto image = LoadImage(*store_, id, "hist");
  ASSERT_TRUE(image.ok());
  auto rows = HistoryRows(*image, "hist");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].id, id.str());
  EXPECT_EQ((*rows)[0].created_by, "CMD [\"/bin/sh\"]");
  EXPECT_EQ((*rows)[0].size, 0u);
  EXPECT_EQ((*rows)[1].id, "<missing>");
  EXPECT_EQ((*rows)[1].created_by, "RUN step 1 of hist");
  EXPECT_EQ((*rows)[1].size, static_cast<uint64_t>(image->manifest.layers[1].size));
  EXPECT_EQ((*rows)[2].size, static_cast<uint64_t>(image->manifest.layers[0].size));

  std::string table = FormatHistory(*rows, kNow);
  EXPECT_EQ(table.substr(0, table.find('\n')),
            "IMAGE          CREATED         CREATED BY           SIZE      COMMENT");
  EXPECT_NE(table.find(id.Short() + "   4 minutes ago   CMD [\"/bin/sh\"]      0B"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("<missing>      4 minutes ago   RUN step 1 of hist"), std::string::npos)
      << table;
  EXPECT_EQ(FormatHistory(*rows, kNow, {.no_trunc = false, .quiet = true}),
            id.Short() + "\n<missing>\n<missing>\n");
  EXPECT_NE(FormatHistory(*rows, kNow, {.no_trunc = true, .quiet = true}).find(id.str()),
            std::string::npos);
}

TEST_F(InspectHistoryTest, HistoryTruncatesLongCommands) {
  oci::Digest id = MakeImage("x", {"x"}, 1);
  auto image = LoadImage(*store_, id, "x");
  ASSERT_TRUE(image.ok());
  image->config.history[0].created_by =
      "/bin/sh -c\tapt-get update && apt-get install -y curl ca-certificates";
  auto rows = HistoryRows(*image, "x");
  ASSERT_TRUE(rows.ok());
  std::string table = FormatHistory(*rows, kNow);
  EXPECT_NE(table.find("/bin/sh -c apt-get update && apt-get install…"), std::string::npos)
      << table;
  EXPECT_NE(
      FormatHistory(*rows, kNow, {.no_trunc = true, .quiet = false}).find("curl ca-certificates"),
      std::string::npos);
}

TEST_F(InspectHistoryTest, HistoryWithoutEntriesAndWithTooMany) {
  oci::Digest id = MakeImage("y", {"y"}, 2);
  auto image = LoadImage(*store_, id, "y");
  ASSERT_TRUE(image.ok());
  store::StoredImage bare = *image;
  bare.config.history.clear();
  auto rows = HistoryRows(bare, "y");
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);  // one per layer
  EXPECT_EQ(FormatHistory(*rows, kNow).find("N/A") != std::string::npos, true);

  store::StoredImage extra = *image;
  oci::HistoryEntry more;
  more.created_by = "RUN more";
  extra.config.history.push_back(more);
  auto bad = HistoryRows(extra, "y");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("image y"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("3 layer-making steps"), std::string::npos);
}

TEST_F(InspectHistoryTest, LoadImageErrorsNameTheImage) {
  auto missing = LoadImage(*store_, oci::Digest::Of("nothing"), "ghost:1");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("ghost:1"), std::string::npos);
  std::string index = R"({"schemaVersion":2,"manifests":[]})";
  auto digest = store_->blobs().Put(index);
  ASSERT_TRUE(digest.ok());
  auto idx = LoadImage(*store_, *digest, "multi");
  ASSERT_FALSE(idx.ok());
  EXPECT_NE(idx.status().message().find("multi-platform index"), std::string::npos)
      << idx.status().message();
}

}  // namespace
}  // namespace distill::images
