#include "context/copy_request.h"

#include <gtest/gtest.h>

namespace distill::context {
namespace {

Destination Dest(const std::string& dest, const std::string& workdir = "/") {
  CopyRequest r;
  r.dest = dest;
  r.workdir = workdir;
  return ResolveDestination(r);
}

TEST(CopyRequestTest, DestinationRules) {
  EXPECT_EQ(Dest("/app").path, "/app");
  EXPECT_FALSE(Dest("/app").ends_with_slash);
  EXPECT_TRUE(Dest("/app/").ends_with_slash);
  EXPECT_EQ(Dest("rel", "/work").path, "/work/rel");
  EXPECT_EQ(Dest("../up", "/work/dir").path, "/work/up");
  EXPECT_EQ(Dest("../../../x", "/w").path, "/x");
  EXPECT_TRUE(Dest(".", "/work").ends_with_slash);
  EXPECT_EQ(Dest(".", "/work").path, "/work");
  EXPECT_TRUE(Dest("sub/.", "/w").ends_with_slash);
  EXPECT_TRUE(Dest("/").ends_with_slash);
  EXPECT_EQ(Dest("x", "relative-workdir").path, "/relative-workdir/x");
}

TEST(CopyRequestTest, Chmod) {
  EXPECT_EQ(*ParseChmod("0755"), std::optional<uint32_t>(0755));
  EXPECT_EQ(*ParseChmod("4755"), std::optional<uint32_t>(04755));
  EXPECT_EQ(*ParseChmod("644"), std::optional<uint32_t>(0644));
  EXPECT_FALSE(ParseChmod("")->has_value());
  EXPECT_FALSE(ParseChmod("u+x").ok());
  EXPECT_FALSE(ParseChmod("0789").ok());
  EXPECT_FALSE(ParseChmod("77777").ok());
}

TEST(CopyRequestTest, UrlKinds) {
  EXPECT_TRUE(IsRemoteUrl("https://example.com/a.tgz"));
  EXPECT_TRUE(IsRemoteUrl("http://example.com/a"));
  EXPECT_FALSE(IsRemoteUrl("ftp://example.com/a"));
  EXPECT_FALSE(IsRemoteUrl("src/http:/x"));
  EXPECT_TRUE(IsGitUrl("git@github.com:moby/moby.git"));
  EXPECT_TRUE(IsGitUrl("https://github.com/moby/moby.git#v1.0"));
  EXPECT_TRUE(IsGitUrl("git://host/repo"));
  EXPECT_FALSE(IsGitUrl("https://example.com/file.tar.gz"));
  EXPECT_FALSE(IsGitUrl("local.git"));
}

TEST(CopyRequestTest, FromCommand) {
  dockerfile::CopyCommand cmd;
  cmd.is_add = true;
  cmd.sources = {"a", "b"};
  cmd.dest = "dst/";
  cmd.chown = "1:2";
  cmd.chmod = "0600";
  cmd.excludes = {"*.md"};
  cmd.checksum = "sha256:" + std::string(64, 'a');
  cmd.link = true;
  CopyRequest r = CopyRequestFrom(cmd, "/work");
  EXPECT_TRUE(r.is_add);
  EXPECT_EQ(r.sources, cmd.sources);
  EXPECT_EQ(r.workdir, "/work");
  EXPECT_EQ(r.chown, "1:2");
  EXPECT_EQ(r.chmod, "0600");
  EXPECT_EQ(r.excludes, cmd.excludes);
  EXPECT_EQ(r.checksum, cmd.checksum);
  EXPECT_TRUE(r.link);
  EXPECT_EQ(RequestWhere(r), "ADD");
  r.where = "Dockerfile:9: ADD";
  EXPECT_EQ(RequestWhere(r), "Dockerfile:9: ADD");
  EXPECT_EQ(CopyRequestFrom(cmd, "").workdir, "/");
}

}  // namespace
}  // namespace distill::context
