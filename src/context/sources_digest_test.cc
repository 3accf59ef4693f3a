#include "context/sources_digest.h"

#include <gtest/gtest.h>

#include "context/test_util.h"

namespace distill::context {
namespace {

using testing::TempTree;

class SourcesDigestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t_.Write("app/main.py", "print('hi')\n");
    t_.Write("app/lib/util.py", "X = 1\n");
    t_.Write("app/notes.txt", "notes");
    t_.Write("README.md", "readme");
    t_.Symlink("main.py", "app/entry");
  }

  oci::Digest DigestOf(const CopyRequest& r, const std::vector<std::string>& ignore = {}) {
    auto patterns = dockerfile::DockerIgnore::FromPatterns(ignore);
    auto ctx = BuildContext::Open(t_.root(), *patterns);
    EXPECT_TRUE(ctx.ok());
    FileDigester files(nullptr);
    auto d = SourcesDigest(*ctx, r, &files);
    EXPECT_TRUE(d.ok()) << d.status().message();
    return d.ok() ? *d : oci::Digest();
  }

  CopyRequest Request(std::vector<std::string> sources, std::string dest = "/dst/") {
    CopyRequest r;
    r.sources = std::move(sources);
    r.dest = std::move(dest);
    return r;
  }

  TempTree t_;
};

TEST_F(SourcesDigestTest, StableAndMtimeBlind) {
  oci::Digest first = DigestOf(Request({"app"}));
  EXPECT_EQ(first.algorithm(), "sha256");
  EXPECT_EQ(DigestOf(Request({"app"})), first);
  t_.SetMtime("app/main.py", 1'000'000'000);
  t_.SetMtime("app/lib", 1'000'000'000);
  EXPECT_EQ(DigestOf(Request({"app"})), first);
}

TEST_F(SourcesDigestTest, ChangesWithContentModePathAndLinks) {
  oci::Digest base = DigestOf(Request({"app"}));
  t_.Write("app/main.py", "print('bye')\n");
  oci::Digest content = DigestOf(Request({"app"}));
  EXPECT_NE(content, base);
  chmod(t_.Path("app/main.py").c_str(), 0755);
  oci::Digest mode = DigestOf(Request({"app"}));
  EXPECT_NE(mode, content);
  std::rename(t_.Path("app/notes.txt").c_str(), t_.Path("app/notes2.txt").c_str());
  oci::Digest renamed = DigestOf(Request({"app"}));
  EXPECT_NE(renamed, mode);
  unlink(t_.Path("app/entry").c_str());
  t_.Symlink("lib/util.py", "app/entry");
  EXPECT_NE(DigestOf(Request({"app"})), renamed);
}

TEST_F(SourcesDigestTest, FlagsThatChangeTheResultChangeTheDigest) {
  CopyRequest r = Request({"app"});
  oci::Digest base = DigestOf(r);
  r.chmod = "0700";
  oci::Digest chmodded = DigestOf(r);
  EXPECT_NE(chmodded, base);
  r.chown = "1000:1000";
  oci::Digest chowned = DigestOf(r);
  EXPECT_NE(chowned, chmodded);
  CopyRequest parents = Request({"app"});
  parents.parents = true;
  EXPECT_NE(DigestOf(parents), base);
  CopyRequest excluded = Request({"app"});
  excluded.excludes = {"*.txt"};
  EXPECT_NE(DigestOf(excluded), base);
}

TEST_F(SourcesDigestTest, IgnoredAndExcludedFilesNeverContribute) {
  std::vector<std::string> ignore = {"app/*.txt"};
  oci::Digest base = DigestOf(Request({"app"}), ignore);
  t_.Write("app/notes.txt", "changed notes");
  EXPECT_EQ(DigestOf(Request({"app"}), ignore), base);
  t_.Write("app/other.txt", "new ignored file");
  EXPECT_EQ(DigestOf(Request({"app"}), ignore), base);

  CopyRequest excluded = Request({"app"});
  excluded.excludes = {"lib"};
  oci::Digest ex = DigestOf(excluded);
  t_.Write("app/lib/util.py", "X = 2\n");
  EXPECT_EQ(DigestOf(excluded), ex);
  // Files outside the selection do not matter either.
  t_.Write("README.md", "other");
  EXPECT_EQ(DigestOf(excluded), ex);
}

TEST_F(SourcesDigestTest, HeredocsAndUrls) {
  CopyRequest r = Request({}, "/etc/");
  r.heredocs.push_back({"a.conf", "x=1\n", true});
  oci::Digest base = DigestOf(r);
  r.heredocs[0].content = "x=2\n";
  oci::Digest changed = DigestOf(r);
  EXPECT_NE(changed, base);
  r.chmod = "0600";
  EXPECT_NE(DigestOf(r), changed);
  CopyRequest url = Request({"https://example.com/a.tgz"}, "/opt/");
  url.is_add = true;
  oci::Digest u = DigestOf(url);
  url.checksum = "sha256:" + std::string(64, 'e');
  EXPECT_NE(DigestOf(url), u);
}

TEST_F(SourcesDigestTest, ParentsPivotIsReflected) {
  CopyRequest full = Request({"app/lib/util.py"});
  full.parents = true;
  CopyRequest pivoted = Request({"app/./lib/util.py"});
  pivoted.parents = true;
  EXPECT_NE(DigestOf(full), DigestOf(pivoted));
}

TEST_F(SourcesDigestTest, StageRootfsKeepsOwnership) {
  TempTree rootfs;
  rootfs.Write("opt/app/bin", "binary", 0755);
  auto tree = BuildContext::OpenStageRootfs(rootfs.root());
  ASSERT_TRUE(tree.ok());
  FileDigester files(nullptr);
  CopyRequest r = Request({"/opt/app"});
  auto before = SourcesDigest(*tree, r, &files);
  ASSERT_TRUE(before.ok());
  if (geteuid() == 0) {
    ASSERT_EQ(lchown(rootfs.Path("opt/app/bin").c_str(), 123, 456), 0);
    auto after = SourcesDigest(*tree, r, &files);
    ASSERT_TRUE(after.ok());
    EXPECT_NE(*before, *after);
  }
}

TEST_F(SourcesDigestTest, ErrorsNameTheInstruction) {
  CopyRequest r = Request({"missing.txt"});
  r.where = "Dockerfile:3: COPY";
  auto ctx = BuildContext::Open(t_.root(), {});
  FileDigester files(nullptr);
  auto d = SourcesDigest(*ctx, r, &files);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(),
            "Dockerfile:3: COPY failed: file not found in build context or excluded by "
            ".dockerignore: stat missing.txt: file does not exist");
  r = Request({"app"});
  r.chmod = "u+x";
  d = SourcesDigest(*ctx, r, &files);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.status().message().find("only octal modes"), std::string::npos);
}

TEST_F(SourcesDigestTest, SecondDigestReadsNothingWithTheStatCache) {
  testing::WaitForClockTick();
  auto cache = StatCache::Load("");
  auto ctx = BuildContext::Open(t_.root(), {});
  FileDigester files(cache->get());
  auto a = SourcesDigest(*ctx, Request({"app", "README.md"}), &files);
  ASSERT_TRUE(a.ok());
  uint64_t reads = files.files_read();
  EXPECT_EQ(reads, 4u);  // main.py, util.py, notes.txt, README.md
  auto b = SourcesDigest(*ctx, Request({"app", "README.md"}), &files);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(files.files_read(), reads);
  EXPECT_EQ(*a, *b);
}

}  // namespace
}  // namespace distill::context
