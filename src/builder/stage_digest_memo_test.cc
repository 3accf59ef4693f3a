#include "builder/stage_digest_memo.h"

#include <gtest/gtest.h>

#include "util/in_memory_file_system.h"

namespace distill::builder {
namespace {

context::CopyRequest Request(const std::string& source) {
  context::CopyRequest r;
  r.sources = {source};
  r.dest = "/app/";
  return r;
}

TEST(StageDigestMemoTest, RemembersPerChainAndRequest) {
  InMemoryFileSystem fs;
  StageDigestMemo memo(&fs, "/store/cache/copy-from");
  const oci::Digest chain_a = oci::Digest::Of("chain a");
  const oci::Digest chain_b = oci::Digest::Of("chain b");
  const oci::Digest digest = oci::Digest::Of("selected files");
  EXPECT_FALSE(memo.Get(chain_a, Request("/out/app")).has_value());
  ASSERT_TRUE(memo.Put(chain_a, Request("/out/app"), digest).ok());
  ASSERT_TRUE(memo.Get(chain_a, Request("/out/app")).has_value());
  EXPECT_EQ(*memo.Get(chain_a, Request("/out/app")), digest);
  // Another stage content, or another selection, is another entry.
  EXPECT_FALSE(memo.Get(chain_b, Request("/out/app")).has_value());
  EXPECT_FALSE(memo.Get(chain_a, Request("/out/other")).has_value());
  context::CopyRequest chmod = Request("/out/app");
  chmod.chmod = "0755";
  EXPECT_FALSE(memo.Get(chain_a, chmod).has_value());
}

TEST(StageDigestMemoTest, ADamagedEntryIsAMiss) {
  InMemoryFileSystem fs;
  StageDigestMemo memo(&fs, "/m");
  const oci::Digest chain = oci::Digest::Of("chain");
  ASSERT_TRUE(memo.Put(chain, Request("/x"), oci::Digest::Of("x")).ok());
  auto names = fs.ListDir("/m");
  ASSERT_TRUE(names.ok());
  ASSERT_EQ(names->size(), 1u);
  ASSERT_TRUE(fs.WriteFileAtomically("/m/" + (*names)[0], "not a digest").ok());
  EXPECT_FALSE(memo.Get(chain, Request("/x")).has_value());
}

TEST(CopyRequestFingerprintTest, CoversWhatChangesTheCopyButNotTheLocation) {
  context::CopyRequest a = Request("/out/app");
  context::CopyRequest b = a;
  b.where = "Dockerfile:9: COPY";
  EXPECT_EQ(context::CopyRequestFingerprint(a), context::CopyRequestFingerprint(b));
  b = a;
  b.excludes = {"*.pyc"};
  EXPECT_NE(context::CopyRequestFingerprint(a), context::CopyRequestFingerprint(b));
  b = a;
  b.workdir = "/srv";
  EXPECT_NE(context::CopyRequestFingerprint(a), context::CopyRequestFingerprint(b));
  b = a;
  b.chown = "1000:1000";
  EXPECT_NE(context::CopyRequestFingerprint(a), context::CopyRequestFingerprint(b));
}

}  // namespace
}  // namespace distill::builder
