#include "inspect/image_walk.h"

#include <gtest/gtest.h>

#include "archive/tar_writer.h"

namespace distill::inspect {
namespace {

using archive::TarEntry;

struct Member {
  std::string path;
  std::string content;
};

std::string Tar(const std::vector<Member>& members) {
  StringWriter out;
  archive::TarWriter tar(&out);
  for (const auto& m : members) {
    TarEntry e;
    e.path = m.path;
    e.size = m.content.size();
    StringReader content(m.content);
    EXPECT_TRUE(tar.WriteEntry(e, &content).ok());
  }
  EXPECT_TRUE(tar.Finish().ok());
  return out.str();
}

Result<ImageWalk> Walk(const std::vector<std::string>& tars, const WalkOptions& options) {
  std::vector<LayerInfo> layers;
  for (size_t i = 0; i < tars.size(); ++i) {
    LayerInfo l;
    l.index = static_cast<int>(i);
    l.digest = "test-layer-" + std::to_string(i);
    layers.push_back(l);
  }
  return WalkLayerStreams(
      layers,
      [&](int i) -> Result<std::unique_ptr<Reader>> {
        return std::unique_ptr<Reader>(new StringReader(tars[static_cast<size_t>(i)]));
      },
      options);
}

TEST(ImageWalkTest, DuplicatesNeedSameSizeAndContent) {
  std::vector<std::string> tars = {
      Tar({{"a/one", "same bytes"}, {"a/two", "diff bytes"}, {"a/unique", "xyz"}}),
      Tar({{"b/copy", "same bytes"}, {"b/copy2", "same bytes"}}),
  };
  WalkOptions options;
  options.find_duplicates = true;
  auto walk = Walk(tars, options);
  ASSERT_TRUE(walk.ok()) << walk.status().message();
  ASSERT_EQ(walk->duplicates.size(), 1u);
  EXPECT_EQ(walk->duplicates[0].copies.size(), 3u);
  EXPECT_EQ(walk->duplicates[0].copies[0], "/a/one (layer 0)");
  EXPECT_EQ(walk->duplicate_bytes, 20u);
  EXPECT_EQ(walk->layers[0].content_bytes, 23u);
  EXPECT_EQ(walk->layers[1].entries, 2u);
}

TEST(ImageWalkTest, ContentVisitorSeesWantedFilesOnly) {
  std::vector<std::string> tars = {Tar({{"var/lib/dpkg/status", "Package: a\n"}, {"x", "y"}})};
  WalkOptions options;
  std::vector<std::string> seen;
  options.wants_content = [](const std::string& path, const TarEntry&) {
    return path == "/var/lib/dpkg/status";
  };
  options.on_content = [&](const std::string& path, int layer, const TarEntry&,
                           Reader* content) -> Status {
    char buf[64];
    DISTILL_ASSIGN_OR_RETURN(size_t n, content->Read(buf, sizeof buf));
    seen.push_back(path + "@" + std::to_string(layer) + "=" + std::string(buf, n));
    return Status::Ok();
  };
  auto walk = Walk(tars, options);
  ASSERT_TRUE(walk.ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0], "/var/lib/dpkg/status@0=Package: a\n");
}

TEST(ImageWalkTest, CorruptLayerIsAnErrorNamingIt) {
  std::string bad(1024, 'z');
  auto walk = Walk({bad}, {});
  ASSERT_FALSE(walk.ok());
  EXPECT_NE(walk.status().message().find("test-layer-0"), std::string::npos)
      << walk.status().message();
}

TEST(ImageWalkTest, CreatedBySkipsEmptyLayerSteps) {
  oci::ImageConfig config;
  config.history = {{"", "ADD rootfs", "", "", false},
                    {"", "ENV A=1", "", "", true},
                    {"", "RUN make", "", "", false}};
  auto by = LayerCreatedBy(config, 3);
  ASSERT_EQ(by.size(), 3u);
  EXPECT_EQ(by[0], "ADD rootfs");
  EXPECT_EQ(by[1], "RUN make");
  EXPECT_EQ(by[2], "");
}

}  // namespace
}  // namespace distill::inspect
