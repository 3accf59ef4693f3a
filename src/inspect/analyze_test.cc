// AnalyzeImage / ImagePackages over a real store with a multi-layer image
// whose layers are written as plain tar blobs.
#include "inspect/analyze.h"

#include <gtest/gtest.h>

#include "archive/tar_writer.h"
#include "images/test_store.h"
#include "inspect/packages.h"

namespace distill::inspect {
namespace {

struct Member {
  std::string path;
  std::string content;
  uint32_t mode = 0644;
};

class AnalyzeTest : public images::StoreFixture {
 protected:
  oci::Descriptor PutLayer(const std::vector<Member>& members) {
    StringWriter out;
    archive::TarWriter tar(&out);
    for (const auto& m : members) {
      archive::TarEntry e;
      e.path = m.path;
      e.size = m.content.size();
      e.mode = m.mode;
      StringReader content(m.content);
      EXPECT_TRUE(tar.WriteEntry(e, &content).ok());
    }
    EXPECT_TRUE(tar.Finish().ok());
    EXPECT_TRUE(store_->blobs().Put(out.str()).ok());
    return oci::DescriptorOf(oci::media_type::kOciLayerTar, out.str());
  }

  void MakeImage(const std::string& tag, const std::vector<std::vector<Member>>& layers,
                 const std::string& user) {
    oci::ImageConfig config;
    config.architecture = "amd64";
    config.os = "linux";
    config.has_config = true;
    config.config.user = user;
    std::vector<oci::Descriptor> descriptors;
    for (size_t i = 0; i < layers.size(); ++i) {
      descriptors.push_back(PutLayer(layers[i]));
      config.rootfs.diff_ids.push_back(descriptors.back().digest);
      oci::HistoryEntry h;
      h.created_by = "step " + std::to_string(i);
      config.history.push_back(h);
    }
    store::WriteImageOptions options;
    options.tags = {tag};
    auto digest = store::WriteImage(*store_, config, descriptors, options);
    ASSERT_TRUE(digest.ok()) << digest.status().message();
  }
};

TEST_F(AnalyzeTest, MultiLayerReport) {
  std::string big(5000, 'b');
  MakeImage("multi:1",
            {{{"bin/sh", "sh", 0755}, {"data/big", big}, {"data/tmp.log", std::string(700, 'l')}},
             {{"data/.wh.tmp.log", ""}, {"data/big2", big}, {"app/.env", "K=V"}}},
            "");
  auto report = AnalyzeImage(*store_, "multi:1");
  ASSERT_TRUE(report.ok()) << report.status().message();
  ASSERT_EQ(report->layers.size(), 2u);
  EXPECT_EQ(report->layers[1].created_by, "step 1");
  EXPECT_EQ(report->wasted_bytes, 700u);
  EXPECT_EQ(report->duplicate_bytes, 5000u);
  ASSERT_FALSE(report->largest_files.empty());
  EXPECT_EQ(report->largest_files[0].path, "/data/big");
  EXPECT_EQ(report->largest_dirs[0].path, "/data");
  EXPECT_EQ(report->largest_dirs[0].size, 10000u);
  auto categories = CategoriesOf(report->findings);
  EXPECT_EQ(categories, (std::vector<std::string>{"shell", "root", "secrets"}));
  for (const auto& f : report->findings) {
    if (f.category == "secrets") {
      EXPECT_EQ(f.layer, 1);
    }
  }
  std::string text = FormatReportText(*report);
  EXPECT_NE(text.find("step 0"), std::string::npos) << text;
  EXPECT_NE(text.find("3 findings: shell, root, secrets"), std::string::npos) << text;
  auto json = ReportToJson(*report);
  EXPECT_EQ(json["wasted"]["bytes"], 700);
}

TEST_F(AnalyzeTest, PackagesFollowTheFinalView) {
  MakeImage("pkgs:1",
            {{{"var/lib/dpkg/status", "Package: old\nVersion: 1\nStatus: install ok installed\n"},
              {"usr/lib/python3/x-1.dist-info/METADATA", "Name: x\nVersion: 1\n"}},
             {{"var/lib/dpkg/status", "Package: new\nVersion: 2\nStatus: install ok installed\n"},
              {"usr/lib/python3/.wh.x-1.dist-info", ""},
              {"var/lib/dpkg/status.d/tz", "Package: tzdata\nVersion: 2024a\n"}}},
            "65532");
  auto image = store::ReadImage(*store_, "pkgs:1");
  ASSERT_TRUE(image.ok());
  auto pkgs = ImagePackages(*store_, *image, "pkgs:1");
  ASSERT_TRUE(pkgs.ok()) << pkgs.status().message();
  ASSERT_EQ(pkgs->size(), 2u);
  EXPECT_EQ((*pkgs)[0].name, "new");
  EXPECT_EQ((*pkgs)[1].name, "tzdata");
}

TEST_F(AnalyzeTest, BrokenStatusNamesImageAndPath) {
  MakeImage("bad:1", {{{"var/lib/dpkg/status", "Package: a\nno colon here\n"}}}, "1");
  auto image = store::ReadImage(*store_, "bad:1");
  ASSERT_TRUE(image.ok());
  auto pkgs = ImagePackages(*store_, *image, "bad:1");
  ASSERT_FALSE(pkgs.ok());
  EXPECT_NE(pkgs.status().message().find("bad:1:/var/lib/dpkg/status"), std::string::npos)
      << pkgs.status().message();
}

TEST_F(AnalyzeTest, MissingImage) {
  auto report = AnalyzeImage(*store_, "nope:1");
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("nope:1"), std::string::npos);
}

TEST(FailOnTest, ParsesAndMatches) {
  auto ok = ParseFailOn("shell,root");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->size(), 2u);
  EXPECT_FALSE(ParseFailOn("shell,bogus").ok());
  std::vector<Finding> findings = {{"compiler", "/usr/bin/gcc", 0, ""}};
  EXPECT_FALSE(ShouldFail(findings, *ok));
  EXPECT_TRUE(ShouldFail(findings, {"compiler"}));
}

}  // namespace
}  // namespace distill::inspect
