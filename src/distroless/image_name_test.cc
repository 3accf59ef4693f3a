#include "distroless/image_name.h"

#include <gtest/gtest.h>

namespace distill::distroless {
namespace {

TEST(ImageNameTest, ParsesFlavourReleaseAndVariant) {
  auto p = ParseDistrolessName("gcr.io/distroless/static-debian12");
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(p->has_value());
  EXPECT_EQ((*p)->flavour, Flavour::kStatic);
  EXPECT_EQ((*p)->debian_release, 12);
  EXPECT_EQ((*p)->variant, Variant::kLatest);
  EXPECT_EQ((*p)->arch, "");

  auto q = ParseDistrolessName("gcr.io/distroless/base-nossl-debian13:debug-nonroot");
  ASSERT_TRUE(q.ok() && q->has_value());
  EXPECT_EQ((*q)->flavour, Flavour::kBaseNossl);
  EXPECT_EQ((*q)->debian_release, 13);
  EXPECT_EQ((*q)->variant, Variant::kDebugNonroot);

  auto r = ParseDistrolessName("gcr.io/distroless/python3-debian12:nonroot-amd64");
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->flavour, Flavour::kPython3);
  EXPECT_EQ((*r)->variant, Variant::kNonroot);
  EXPECT_EQ((*r)->arch, "amd64");
}

TEST(ImageNameTest, OtherImagesAreNotDistroless) {
  for (const char* name : {"debian:12", "docker.io/library/alpine", "gcr.io/other/static-debian12",
                           "gcr.io/distrolessx/static-debian12"}) {
    auto p = ParseDistrolessName(name);
    ASSERT_TRUE(p.ok()) << name;
    EXPECT_FALSE(p->has_value()) << name;
  }
}

TEST(ImageNameTest, DistrolessNamesDistillCannotMake) {
  for (const char* name :
       {"gcr.io/distroless/java17-debian12", "gcr.io/distroless/static-debian12:root",
        "gcr.io/distroless/static", "gcr.io/distroless/static-debianXII",
        "gcr.io/distroless/python3-debian10", "gcr.io/distroless/static-debian9",
        "gcr.io/distroless/static-debian12@sha256:0000"}) {
    auto p = ParseDistrolessName(name);
    ASSERT_FALSE(p.ok()) << name;
    EXPECT_NE(p.status().message().find("gcr.io/distroless/"), std::string::npos)
        << p.status().message();
  }
}

}  // namespace
}  // namespace distill::distroless
