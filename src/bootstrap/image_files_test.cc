#include "bootstrap/image_files.h"

#include <gtest/gtest.h>

#include "debian/sources.h"

namespace distill::bootstrap {
namespace {

TEST(SlimFilterTest, TextHasTheRulesInDpkgOrder) {
  std::string text = SlimDpkgFilterText();
  size_t doc = text.find("path-exclude /usr/share/doc/*\n");
  size_t copyright = text.find("path-include /usr/share/doc/*/copyright\n");
  ASSERT_NE(doc, std::string::npos);
  ASSERT_NE(copyright, std::string::npos);
  EXPECT_LT(doc, copyright);  // the include must come after the exclude to win
  for (const char* line :
       {"path-exclude /usr/share/man/*\n", "path-exclude /usr/share/groff/*\n",
        "path-exclude /usr/share/info/*\n", "path-exclude /usr/share/lintian/*\n",
        "path-exclude /usr/share/linda/*\n", "path-exclude /usr/share/locale/*\n",
        "path-include /usr/share/locale/locale.alias\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line;
  }
  EXPECT_LT(text.find("path-exclude /usr/share/locale/*"),
            text.find("path-include /usr/share/locale/locale.alias"));
}

TEST(SlimFilterTest, ExcludesLikeDpkg) {
  EXPECT_TRUE(SlimExcludes("/usr/share/doc/bash/README"));
  EXPECT_TRUE(SlimExcludes("/usr/share/doc/bash/examples/x/y"));
  EXPECT_TRUE(SlimExcludes("/usr/share/doc/libfoo"));  // a symlinked doc dir
  EXPECT_FALSE(SlimExcludes("/usr/share/doc/bash/copyright"));
  EXPECT_FALSE(SlimExcludes("/usr/share/doc"));
  EXPECT_TRUE(SlimExcludes("/usr/share/man/man1/ls.1.gz"));
  EXPECT_TRUE(SlimExcludes("/usr/share/locale/de/LC_MESSAGES/dpkg.mo"));
  EXPECT_FALSE(SlimExcludes("/usr/share/locale/locale.alias"));
  EXPECT_TRUE(SlimExcludes("/usr/share/info/dir"));
  EXPECT_TRUE(SlimExcludes("/usr/share/lintian/overrides/bash"));
  EXPECT_FALSE(SlimExcludes("/usr/bin/bash"));
  EXPECT_FALSE(SlimExcludes("/usr/share/zoneinfo/UTC"));
  EXPECT_FALSE(SlimExcludes("/usr/share/i18n/locales/C"));
}

debian::SuiteSource Suite(debian::SuiteKind kind, std::string uri, std::string suite) {
  debian::SuiteSource s;
  s.kind = kind;
  s.uri = std::move(uri);
  s.suite = std::move(suite);
  s.components = {"main"};
  s.keyring_paths = {"/host/only/keyring.gpg"};
  return s;
}

TEST(DebianSourcesTest, FromTheHostPlan) {
  // The host's apt configuration, planned for bookworm.
  auto host = debian::ParseDeb822Sources(
      "Types: deb\n"
      "URIs: http://mirror.example.org/debian\n"
      "Suites: bookworm bookworm-updates\n"
      "Components: main\n"
      "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
      "\n"
      "Types: deb\n"
      "URIs: http://security.example.org/debian-security\n"
      "Suites: bookworm-security\n"
      "Components: main\n",
      "/etc/apt/sources.list.d/debian.sources");
  ASSERT_TRUE(host.ok()) << host.status().message();
  auto plan = debian::PlanSuites(*host, {12, "bookworm"}, {});
  ASSERT_TRUE(plan.ok()) << plan.status().message();
  EXPECT_EQ(DebianSourcesText(*plan),
            "Types: deb\n"
            "URIs: http://mirror.example.org/debian\n"
            "Suites: bookworm bookworm-updates\n"
            "Components: main\n"
            "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
            "\n"
            "Types: deb\n"
            "URIs: http://security.example.org/debian-security\n"
            "Suites: bookworm-security\n"
            "Components: main\n"
            "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n");
}

TEST(DebianSourcesTest, MirrorOverrideAndSnapshotValidity) {
  std::vector<debian::SuiteSource> plan = {
      Suite(debian::SuiteKind::kRelease, "http://snap.example/debian", "trixie"),
      Suite(debian::SuiteKind::kSecurity, "http://snap.example/debian-security", "trixie-security"),
      Suite(debian::SuiteKind::kUpdates, "http://snap.example/debian", "trixie-updates"),
  };
  plan[0].check_valid_until = false;
  plan[1].components = {"main", "contrib"};
  std::string text = DebianSourcesText(plan);
  EXPECT_EQ(text,
            "Types: deb\n"
            "URIs: http://snap.example/debian\n"
            "Suites: trixie trixie-updates\n"
            "Components: main\n"
            "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
            "Check-Valid-Until: no\n"
            "\n"
            "Types: deb\n"
            "URIs: http://snap.example/debian-security\n"
            "Suites: trixie-security\n"
            "Components: main contrib\n"
            "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n");
  EXPECT_EQ(text.find("/host/only"), std::string::npos);  // the image's keyring, not the host's
  EXPECT_EQ(DebianSourcesText({}), "");
}

TEST(DockerAptTweaksTest, OfficialImageSettings) {
  std::string all;
  for (const auto& [path, text] : DockerAptTweaks()) {
    EXPECT_FALSE(path.starts_with("/")) << path;
    all += path + "\n" + text;
  }
  EXPECT_NE(all.find("etc/apt/apt.conf.d/docker-clean"), std::string::npos);
  EXPECT_NE(all.find("Dir::Cache::pkgcache \"\";"), std::string::npos);
  EXPECT_NE(all.find("Acquire::Languages \"none\";"), std::string::npos);
  EXPECT_NE(all.find("Acquire::GzipIndexes \"true\";"), std::string::npos);
  EXPECT_NE(all.find("force-unsafe-io"), std::string::npos);
}

}  // namespace
}  // namespace distill::bootstrap
