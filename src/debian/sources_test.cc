#include "debian/sources.h"

#include <gtest/gtest.h>

#include "util/in_memory_file_system.h"

namespace distill::debian {
namespace {

// The shape of a stock Debian 12 host (deb822), with a snapshot comment.
constexpr const char* kHostDeb822 =
    "Types: deb\n"
    "# http://snapshot.debian.org/archive/debian/20250520T000000Z\n"
    "URIs: http://mirror.example/debian\n"
    "Suites: bookworm bookworm-updates\n"
    "Components: main\n"
    "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
    "\n"
    "Types: deb\n"
    "URIs: http://security.example/debian-security/\n"
    "Suites: bookworm-security\n"
    "Components: main\n"
    "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n";

TEST(SourcesTest, ParsesDeb822) {
  auto entries = ParseDeb822Sources(kHostDeb822, "/etc/apt/sources.list.d/debian.sources");
  ASSERT_TRUE(entries.ok()) << entries.status().message();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].uri, "http://mirror.example/debian");
  EXPECT_EQ((*entries)[0].suite, "bookworm");
  EXPECT_EQ((*entries)[1].suite, "bookworm-updates");
  EXPECT_EQ((*entries)[0].components, std::vector<std::string>{"main"});
  EXPECT_EQ((*entries)[0].keyring_paths,
            std::vector<std::string>{"/usr/share/keyrings/debian-archive-keyring.gpg"});
  EXPECT_EQ((*entries)[0].origin, "/etc/apt/sources.list.d/debian.sources:1");
  EXPECT_EQ((*entries)[2].uri, "http://security.example/debian-security");  // no trailing '/'
  EXPECT_EQ((*entries)[2].origin, "/etc/apt/sources.list.d/debian.sources:8");
  EXPECT_TRUE((*entries)[2].check_valid_until);
}

TEST(SourcesTest, Deb822EnabledArchitecturesInlineKeyAndValidUntil) {
  const char* text =
      "Enabled: no\n"
      "Types: deb\n"
      "URIs: http://off.example/debian\n"
      "Suites: bookworm\n"
      "\n"
      "Types: deb deb-src\n"
      "URIs: http://a.example/debian http://b.example/debian\n"
      "Suites: trixie\n"
      "Components: main contrib\n"
      "Architectures: amd64 arm64\n"
      "Check-Valid-Until: no\n"
      "Signed-By:\n"
      " -----BEGIN PGP PUBLIC KEY BLOCK-----\n"
      " .\n"
      " mQINBGPL0BUBEADmW5NlOQ==\n"
      " -----END PGP PUBLIC KEY BLOCK-----\n";
  auto entries = ParseDeb822Sources(text, "x.sources");
  ASSERT_TRUE(entries.ok()) << entries.status().message();
  ASSERT_EQ(entries->size(), 2u);
  const SourceEntry& a = (*entries)[0];
  EXPECT_EQ(a.uri, "http://a.example/debian");
  EXPECT_EQ((*entries)[1].uri, "http://b.example/debian");
  EXPECT_TRUE(a.HasType("deb-src"));
  EXPECT_EQ(a.components, (std::vector<std::string>{"main", "contrib"}));
  EXPECT_TRUE(a.AppliesToArch("arm64"));
  EXPECT_FALSE(a.AppliesToArch("riscv64"));
  EXPECT_FALSE(a.check_valid_until);
  EXPECT_TRUE(a.keyring_paths.empty());
  EXPECT_EQ(a.inline_key,
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGPL0BUBEADmW5NlOQ==\n"
            "-----END PGP PUBLIC KEY BLOCK-----");
}

TEST(SourcesTest, Deb822Errors) {
  auto no_uris = ParseDeb822Sources("Types: deb\nSuites: bookworm\n", "a.sources");
  ASSERT_FALSE(no_uris.ok());
  EXPECT_EQ(no_uris.status().message(), "a.sources:1: source has no URIs");
  auto bad_bool =
      ParseDeb822Sources("\nTypes: deb\nURIs: http://x/\nSuites: s\nEnabled: maybe\n", "b.sources");
  ASSERT_FALSE(bad_bool.ok());
  EXPECT_EQ(bad_bool.status().message(), "b.sources:2: Enabled: \"maybe\" is not yes or no");
}

TEST(SourcesTest, ParsesOneLineStyle) {
  const char* text =
      "# comment\n"
      "deb http://deb.example/debian/ bullseye main contrib # trailing\n"
      "deb-src http://deb.example/debian bullseye main\n"
      "\n"
      "deb [ arch=amd64,arm64 signed-by=/etc/apt/keyrings/k.gpg check-valid-until=no ] "
      "http://sec.example/debian-security bullseye-security main\n";
  auto entries = ParseOneLineSources(text, "/etc/apt/sources.list");
  ASSERT_TRUE(entries.ok()) << entries.status().message();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].uri, "http://deb.example/debian");
  EXPECT_EQ((*entries)[0].components, (std::vector<std::string>{"main", "contrib"}));
  EXPECT_EQ((*entries)[0].origin, "/etc/apt/sources.list:2");
  EXPECT_TRUE((*entries)[1].HasType("deb-src"));
  const SourceEntry& sec = (*entries)[2];
  EXPECT_EQ(sec.architectures, (std::vector<std::string>{"amd64", "arm64"}));
  EXPECT_EQ(sec.keyring_paths, std::vector<std::string>{"/etc/apt/keyrings/k.gpg"});
  EXPECT_FALSE(sec.check_valid_until);
  EXPECT_EQ(sec.suite, "bullseye-security");
}

TEST(SourcesTest, OneLineErrors) {
  auto r = ParseOneLineSources("\ndeb http://x\n", "s.list");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "s.list:2: expected \"deb URI SUITE [COMPONENT...]\"");
  r = ParseOneLineSources("rpm http://x a b\n", "s.list");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "s.list:1: unknown source type \"rpm\"");
  r = ParseOneLineSources("deb [arch=amd64 http://x a b\n", "s.list");
  ASSERT_FALSE(r.ok());
  r = ParseOneLineSources("deb [check-valid-until=perhaps] http://x a b\n", "s.list");
  ASSERT_FALSE(r.ok());
}

TEST(SourcesTest, LoadsHostFilesInAptOrder) {
  InMemoryFileSystem fs;
  ASSERT_TRUE(fs.MakeDirs("/etc/apt/sources.list.d").ok());
  ASSERT_TRUE(fs.WriteFileAtomically("/etc/apt/sources.list",
                                     "deb http://one.example/debian bookworm main\n")
                  .ok());
  ASSERT_TRUE(fs.WriteFileAtomically("/etc/apt/sources.list.d/b.sources", kHostDeb822).ok());
  ASSERT_TRUE(fs.WriteFileAtomically("/etc/apt/sources.list.d/a.list",
                                     "deb http://two.example/debian bookworm main\n")
                  .ok());
  ASSERT_TRUE(
      fs.WriteFileAtomically("/etc/apt/sources.list.d/c.list.disabled", "this is not parsed\n")
          .ok());
  auto entries = LoadAptSources(&fs);
  ASSERT_TRUE(entries.ok()) << entries.status().message();
  ASSERT_EQ(entries->size(), 5u);
  EXPECT_EQ((*entries)[0].uri, "http://one.example/debian");
  EXPECT_EQ((*entries)[1].uri, "http://two.example/debian");
  EXPECT_EQ((*entries)[2].uri, "http://mirror.example/debian");

  InMemoryFileSystem empty;
  auto none = LoadAptSources(&empty);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(SourcesTest, ReleaseNamesAndNumbers) {
  for (const char* name : {"12", "bookworm", "Bookworm", "debian12", "Debian 12"}) {
    auto r = LookupDebianRelease(name);
    ASSERT_TRUE(r.ok()) << name;
    EXPECT_EQ(r->number, 12);
    EXPECT_EQ(r->codename, "bookworm");
  }
  EXPECT_EQ(LookupDebianRelease("11")->codename, "bullseye");
  EXPECT_EQ(LookupDebianRelease("trixie")->number, 13);
  EXPECT_FALSE(LookupDebianRelease("hamm").ok());
  EXPECT_FALSE(LookupDebianRelease("").ok());
}

TEST(SourcesTest, PlanFromHostDeb822) {
  auto host = ParseDeb822Sources(kHostDeb822, "debian.sources");
  ASSERT_TRUE(host.ok());
  auto plan = PlanSuites(*host, *LookupDebianRelease("13"), {});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  ASSERT_EQ(plan->size(), 3u);
  EXPECT_EQ((*plan)[0].kind, SuiteKind::kRelease);
  EXPECT_EQ((*plan)[0].DistUrl(), "http://mirror.example/debian/dists/trixie");
  EXPECT_EQ((*plan)[1].DistUrl(), "http://mirror.example/debian/dists/trixie-updates");
  EXPECT_EQ((*plan)[2].kind, SuiteKind::kSecurity);
  EXPECT_EQ((*plan)[2].DistUrl(), "http://security.example/debian-security/dists/trixie-security");
  EXPECT_EQ((*plan)[2].keyring_paths,
            std::vector<std::string>{"/usr/share/keyrings/debian-archive-keyring.gpg"});
  EXPECT_EQ((*plan)[0].components, std::vector<std::string>{"main"});
}

TEST(SourcesTest, PlanMirrorOverrideKeepsHostSecurityArchive) {
  auto host = ParseDeb822Sources(kHostDeb822, "debian.sources");
  ASSERT_TRUE(host.ok());
  SuitePlanOptions options;
  options.mirror = "http://local.mirror/debian/";
  options.updates = false;
  auto plan = PlanSuites(*host, *LookupDebianRelease("bookworm"), options);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 2u);
  EXPECT_EQ((*plan)[0].DistUrl(), "http://local.mirror/debian/dists/bookworm");
  EXPECT_EQ((*plan)[0].origin, "--mirror");
  EXPECT_EQ((*plan)[0].keyring_paths, std::vector<std::string>{kDebianArchiveKeyring});
  EXPECT_EQ((*plan)[1].DistUrl(),
            "http://security.example/debian-security/dists/bookworm-security");
}

TEST(SourcesTest, PlanOldStyleSecurityAndDerivedSecurityArchive) {
  // A buster host names its security suite "buster/updates"; bullseye and later use -security.
  auto host = ParseOneLineSources(
      "deb http://m.example/debian buster main\n"
      "deb http://s.example/debian-security buster/updates main\n",
      "sources.list");
  ASSERT_TRUE(host.ok());
  auto bullseye = PlanSuites(*host, *LookupDebianRelease("11"), {});
  ASSERT_TRUE(bullseye.ok());
  EXPECT_EQ(bullseye->back().DistUrl(), "http://s.example/debian-security/dists/bullseye-security");
  auto buster = PlanSuites(*host, *LookupDebianRelease("10"), {});
  ASSERT_TRUE(buster.ok());
  EXPECT_EQ(buster->back().DistUrl(), "http://s.example/debian-security/dists/buster/updates");

  // No security entry: Debian's layout puts debian-security beside debian.
  auto only_main = ParseOneLineSources("deb http://m.example/debian bookworm main\n", "l");
  ASSERT_TRUE(only_main.ok());
  auto plan = PlanSuites(*only_main, *LookupDebianRelease("12"), {});
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan->size(), 3u);
  EXPECT_EQ((*plan)[2].DistUrl(), "http://m.example/debian-security/dists/bookworm-security");
}

TEST(SourcesTest, PlanSkipsForeignAndOtherArchEntries) {
  auto host = ParseOneLineSources(
      "deb https://packages.cloud.example/apt cloud-sdk-bookworm main\n"
      "deb [arch=arm64] http://arm.example/debian bookworm main\n"
      "deb-src http://src.example/debian bookworm main\n"
      "deb http://m.example/debian bullseye main\n",
      "sources.list");
  ASSERT_TRUE(host.ok());
  auto plan = PlanSuites(*host, *LookupDebianRelease("12"), {});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ((*plan)[0].DistUrl(), "http://m.example/debian/dists/bookworm");

  auto foreign = ParseOneLineSources("deb https://x.example/apt nodistro main\n", "l");
  ASSERT_TRUE(foreign.ok());
  auto none = PlanSuites(*foreign, *LookupDebianRelease("12"), {});
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("--mirror"), std::string::npos);
}

}  // namespace
}  // namespace distill::debian
