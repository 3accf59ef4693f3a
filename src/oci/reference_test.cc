#include "oci/reference.h"

#include <gtest/gtest.h>

#include <string>

namespace distill::oci {
namespace {

constexpr char kHex[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

std::string Sha(std::string_view hex = kHex) {
  return "sha256:" + std::string(hex);
}

struct ValidCase {
  std::string input;
  std::string domain;
  std::string path;
  std::string tag;
  bool has_digest;
  std::string familiar;  // FamiliarString()
};

class ValidReferenceTest : public testing::TestWithParam<ValidCase> {};

TEST_P(ValidReferenceTest, ParsesAndNormalises) {
  const ValidCase& c = GetParam();
  auto ref = Reference::Parse(c.input);
  ASSERT_TRUE(ref.ok()) << c.input << ": " << ref.status().message();
  EXPECT_EQ(ref->domain(), c.domain) << c.input;
  EXPECT_EQ(ref->path(), c.path) << c.input;
  EXPECT_EQ(ref->tag(), c.tag) << c.input;
  EXPECT_EQ(ref->digest().has_value(), c.has_digest) << c.input;
  if (c.has_digest) {
    EXPECT_EQ(ref->digest()->str(), Sha());
  }
  EXPECT_EQ(ref->FamiliarString(), c.familiar) << c.input;
  // The full string parses back to the same reference.
  auto again = Reference::Parse(ref->String());
  ASSERT_TRUE(again.ok()) << ref->String() << ": " << again.status().message();
  EXPECT_EQ(*again, *ref);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ValidReferenceTest,
    testing::Values(
        ValidCase{"python", "docker.io", "library/python", "latest", false, "python:latest"},
        ValidCase{"python:3.9-slim", "docker.io", "library/python", "3.9-slim", false,
                  "python:3.9-slim"},
        ValidCase{"user/app", "docker.io", "user/app", "latest", false, "user/app:latest"},
        ValidCase{"docker.io/library/python:3.9", "docker.io", "library/python", "3.9", false,
                  "python:3.9"},
        ValidCase{"index.docker.io/library/alpine", "docker.io", "library/alpine", "latest", false,
                  "alpine:latest"},
        ValidCase{"docker.io/alpine", "docker.io", "library/alpine", "latest", false,
                  "alpine:latest"},
        ValidCase{"library/alpine:3", "docker.io", "library/alpine", "3", false, "alpine:3"},
        ValidCase{"docker.io/library/a/b", "docker.io", "library/a/b", "latest", false,
                  "library/a/b:latest"},
        ValidCase{"localhost/app", "localhost", "app", "latest", false, "localhost/app:latest"},
        ValidCase{"localhost:5000/app", "localhost:5000", "app", "latest", false,
                  "localhost:5000/app:latest"},
        ValidCase{"localhost:5000/app:v1", "localhost:5000", "app", "v1", false,
                  "localhost:5000/app:v1"},
        ValidCase{"registry.example.com:443/a/b/c:tag", "registry.example.com:443", "a/b/c", "tag",
                  false, "registry.example.com:443/a/b/c:tag"},
        ValidCase{"ghcr.io/owner/app", "ghcr.io", "owner/app", "latest", false,
                  "ghcr.io/owner/app:latest"},
        ValidCase{"gcr.io/distroless/static-debian12:nonroot", "gcr.io",
                  "distroless/static-debian12", "nonroot", false,
                  "gcr.io/distroless/static-debian12:nonroot"},
        ValidCase{"python@" + Sha(), "docker.io", "library/python", "", true, "python@" + Sha()},
        ValidCase{"python:3.9@" + Sha(), "docker.io", "library/python", "3.9", true,
                  "python:3.9@" + Sha()},
        ValidCase{"quay.io/a/b@" + Sha(), "quay.io", "a/b", "", true, "quay.io/a/b@" + Sha()},
        ValidCase{"localhost:5000/x:y@" + Sha(), "localhost:5000", "x", "y", true,
                  "localhost:5000/x:y@" + Sha()},
        ValidCase{"a_b/c__d/e-f/g---h/i.j", "docker.io", "a_b/c__d/e-f/g---h/i.j", "latest", false,
                  "a_b/c__d/e-f/g---h/i.j:latest"},
        ValidCase{"app:V1.0_rc-2", "docker.io", "library/app", "V1.0_rc-2", false, "app:V1.0_rc-2"},
        ValidCase{"app:_x", "docker.io", "library/app", "_x", false, "app:_x"},
        ValidCase{"app:" + std::string(128, 'a'), "docker.io", "library/app", std::string(128, 'a'),
                  false, "app:" + std::string(128, 'a')},
        ValidCase{"[::1]:5000/app", "[::1]:5000", "app", "latest", false, "[::1]:5000/app:latest"},
        ValidCase{"[fe80::1]/app:t", "[fe80::1]", "app", "t", false, "[fe80::1]/app:t"},
        ValidCase{"127.0.0.1:5000/app", "127.0.0.1:5000", "app", "latest", false,
                  "127.0.0.1:5000/app:latest"},
        // A first component with uppercase letters is a registry, as in Docker.
        ValidCase{"Registry/app", "Registry", "app", "latest", false, "Registry/app:latest"},
        ValidCase{"my-registry.local/team/app", "my-registry.local", "team/app", "latest", false,
                  "my-registry.local/team/app:latest"},
        // Without a '/', "localhost:5000" is the image localhost with tag 5000.
        ValidCase{"localhost:5000", "docker.io", "library/localhost", "5000", false,
                  "localhost:5000"},
        ValidCase{"foo.bar", "docker.io", "library/foo.bar", "latest", false, "foo.bar:latest"},
        ValidCase{"a/b/c/d/e/f", "docker.io", "a/b/c/d/e/f", "latest", false, "a/b/c/d/e/f:latest"},
        ValidCase{"x1:1", "docker.io", "library/x1", "1", false, "x1:1"}));

struct InvalidCase {
  std::string input;
  std::string reason;  // a substring of the error
};

class InvalidReferenceTest : public testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidReferenceTest, RejectsWithReason) {
  const InvalidCase& c = GetParam();
  auto ref = Reference::Parse(c.input);
  ASSERT_FALSE(ref.ok()) << c.input << " parsed as " << ref->String();
  EXPECT_NE(ref.status().message().find(c.reason), std::string::npos)
      << c.input << ": " << ref.status().message();
  EXPECT_EQ(ref.status().code(), Status::Code::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(
    Table, InvalidReferenceTest,
    testing::Values(
        InvalidCase{"", "at least one component"},
        InvalidCase{"Python", "repository name (Python) must be lowercase"},
        InvalidCase{"python:3.9-SLIM@sha256:x", "digest"},
        InvalidCase{"user/App", "must be lowercase"},
        InvalidCase{"ghcr.io/Owner/app", "repository name (Owner/app) must be lowercase"},
        InvalidCase{"app:", "tag \"\""}, InvalidCase{"app:.x", "tag \".x\""},
        InvalidCase{"app:-x", "tag \"-x\""}, InvalidCase{"app:a b", "invalid reference format"},
        InvalidCase{"app:" + std::string(129, 'a'), "tag"}, InvalidCase{"app@", "digest"},
        InvalidCase{"app@sha256:abc", "digest \"sha256:abc\""},
        InvalidCase{"app@sha256:" + std::string(64, 'A'), "not lowercase hex"},
        InvalidCase{"app@sha512:" + std::string(128, 'a'), "unsupported digest algorithm"},
        InvalidCase{"app@" + std::string(kHex), "not algorithm:hex"},
        InvalidCase{kHex, "64-byte hexadecimal"}, InvalidCase{"-app", "path component \"-app\""},
        InvalidCase{"app-", "path component \"app-\""}, InvalidCase{"a..b", "path component"},
        InvalidCase{"a___b", "path component"}, InvalidCase{"a._b", "path component"},
        InvalidCase{"a//b", "empty path component"}, InvalidCase{"a/", "empty path component"},
        InvalidCase{"/a", "empty path component"},
        InvalidCase{"example.com/", "empty path component"},
        InvalidCase{"-bad.com/app", "not a valid registry"},
        InvalidCase{"bad-.com/app", "not a valid registry"},
        InvalidCase{"bad_host.com/app", "not a valid registry"},
        InvalidCase{"host:port/app", "not a valid registry"},
        InvalidCase{"host:/app", "not a valid registry"},
        InvalidCase{"[zz::1]/app", "not a valid registry"},
        InvalidCase{"[]:5000/app", "not a valid registry"},
        InvalidCase{"app name", "path component"}, InvalidCase{"app!", "path component"},
        InvalidCase{"a@b@" + Sha(), "digest"},
        InvalidCase{"example.com/" + std::string(250, 'a'), "not be more than 255 characters"},
        InvalidCase{std::string(300, 'a'), "not be more than 255 characters"}));

TEST(ReferenceTest, ErrorNamesTheInputAndTheDockerReason) {
  auto ref = Reference::Parse("MyImage:1");
  ASSERT_FALSE(ref.ok());
  EXPECT_EQ(ref.status().message(),
            "\"MyImage:1\": invalid reference format: repository name (MyImage) must be "
            "lowercase");
}

TEST(ReferenceTest, FamiliarNameStripsOnlyDockerHubDefaults) {
  EXPECT_EQ(Reference::Parse("docker.io/library/python:3.9")->FamiliarName(), "python");
  EXPECT_EQ(Reference::Parse("docker.io/user/app")->FamiliarName(), "user/app");
  EXPECT_EQ(Reference::Parse("quay.io/library/python")->FamiliarName(), "quay.io/library/python");
  EXPECT_EQ(Reference::Parse("python:3.9")->String(), "docker.io/library/python:3.9");
}

TEST(ReferenceTest, WithTagDropsDigest) {
  auto ref = Reference::Parse("python@" + Sha());
  ASSERT_TRUE(ref.ok());
  Reference tagged = ref->WithTag("3.12");
  EXPECT_EQ(tagged.String(), "docker.io/library/python:3.12");
  EXPECT_FALSE(tagged.digest().has_value());
}

TEST(ReferenceTest, TagGrammar) {
  EXPECT_TRUE(IsValidTag("latest"));
  EXPECT_TRUE(IsValidTag("1.0.0-rc.1_b"));
  EXPECT_TRUE(IsValidTag(std::string(128, 'x')));
  EXPECT_FALSE(IsValidTag(std::string(129, 'x')));
  EXPECT_FALSE(IsValidTag(""));
  EXPECT_FALSE(IsValidTag(".hidden"));
  EXPECT_FALSE(IsValidTag("a/b"));
  EXPECT_FALSE(IsValidTag("a:b"));
}

TEST(ReferenceTest, NameLengthLimitCountsDomain) {
  // docker.io/library/ + 237 = 255 characters: the longest allowed name.
  std::string at_limit(255 - std::string("docker.io/library/").size(), 'a');
  EXPECT_TRUE(Reference::Parse(at_limit).ok());
  EXPECT_FALSE(Reference::Parse(at_limit + "a").ok());
}

}  // namespace
}  // namespace distill::oci
