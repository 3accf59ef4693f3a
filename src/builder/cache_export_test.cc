#include "builder/cache_export.h"

#include <gtest/gtest.h>

#include "builder/cache_artifact_testing.h"
#include "builder/cache_import.h"
#include "dockerfile/parser.h"
#include "frontend/build_plan.h"

namespace distill::builder {
namespace {

using testing::Key;
using testing::TempDir;

// Stage 0 a, 1 b (FROM a), 2 helper, 3 the target (FROM b, COPY --from=helper).
frontend::Plan FourStages() {
  auto df = dockerfile::Parse(R"(FROM scratch AS a
RUN x
FROM a AS b
RUN y
FROM scratch AS helper
RUN h
FROM b
COPY --from=helper /h /h
)",
                              "Dockerfile");
  EXPECT_TRUE(df.ok());
  frontend::PlanOptions options;
  options.build_platform = "linux/amd64";
  auto plan = frontend::BuildPlan(*df, options);
  EXPECT_TRUE(plan.ok()) << plan.status().message();
  return std::move(plan).value();
}

solver::BuildResult Finished(std::vector<std::pair<int, std::string>> steps) {
  solver::BuildResult result;
  for (auto& [stage, key] : steps) {
    solver::StepTiming t;
    t.stage = stage;
    t.key = key;
    result.stats.steps.push_back(t);
  }
  return result;
}

TEST(CacheExportTest, MinExportsTheImageStagesMaxEveryStage) {
  frontend::Plan plan = FourStages();
  ASSERT_EQ(plan.target, 3);
  solver::BuildResult result =
      Finished({{2, Key("h")}, {0, Key("x")}, {1, Key("y")}, {3, Key("copy")}, {3, Key("x")}});
  EXPECT_EQ(SelectCacheKeys(plan, result, CacheMode::kMin),
            (std::vector<std::string>{Key("x"), Key("y"), Key("copy")}));
  EXPECT_EQ(SelectCacheKeys(plan, result, CacheMode::kMax),
            (std::vector<std::string>{Key("h"), Key("x"), Key("y"), Key("copy")}));
}

TEST(CacheExportTest, WritesAnOciLayoutWithRecordsAndLayers) {
  TempDir tmp;
  auto store = testing::OpenStore(tmp.path() + "/store");
  ASSERT_TRUE(store);
  solver::LayerRef one = testing::PutLayer(*store, "layer one");
  testing::PutRecord(*store, Key("run"), one);
  testing::PutRecord(*store, Key("noop"), std::nullopt);
  testing::PutRecord(*store, Key("not exported"), testing::PutLayer(*store, "other"));

  auto dest = OpenCacheDirectory(tmp.path() + "/cache");
  ASSERT_TRUE(dest.ok());
  auto manifest =
      ExportCache(*store, {Key("run"), Key("noop"), Key("never recorded")}, dest->get());
  ASSERT_TRUE(manifest.ok()) << manifest.status().message();
  for (const char* f : {"oci-layout", "index.json"}) {
    EXPECT_TRUE(std::filesystem::exists(tmp.path() + "/cache/" + f)) << f;
  }
  EXPECT_TRUE(std::filesystem::exists(tmp.path() + "/cache/blobs/sha256/" + one.blob.digest.hex()));
  EXPECT_FALSE(std::filesystem::exists(tmp.path() + "/cache/blobs/sha256/" +
                                       oci::Digest::Of("other").hex()));

  auto artifact = ReadCacheArtifact(dest->get());
  ASSERT_TRUE(artifact.ok()) << artifact.status().message();
  ASSERT_TRUE(artifact->has_value());
  ASSERT_EQ((*artifact)->records.size(), 2u);
  for (const CacheArtifactRecord& r : (*artifact)->records) {
    if (r.key == Key("run")) {
      EXPECT_EQ(r.layer, one);
    } else {
      EXPECT_EQ(r.key, Key("noop"));
      EXPECT_FALSE(r.layer.has_value());
    }
  }

  // Exporting the same records again gives the same manifest.
  auto again = ExportCache(*store, {Key("noop"), Key("run")}, dest->get());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *manifest);
}

}  // namespace
}  // namespace distill::builder
