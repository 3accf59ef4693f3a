#include "recipe/image_recipe.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace distill::recipe {
namespace {

constexpr const char* kFull = R"(version: 1
release: bookworm
base: distroless/cc
arch: amd64
packages: [libsqlite3-0, zlib1g]
groups:
  - {name: app, gid: 1000}
users:
  - name: app
    uid: 1000
    gid: 1000
  - {name: worker, uid: 1001, home: /srv/worker, shell: /bin/false}
env:
  APP_MODE: production
  EMPTY: ""
workdir: /app/
user: app
entrypoint: ["/app/run"]
cmd: ["--serve", "8080"]
labels:
  org.opencontainers.image.title: demo
files:
  - {src: run.sh, dest: /app/run, mode: "0755", owner: "app"}
  - src: ../conf/app.conf
    dest: /etc/app.conf
    mode: 0600
tags: [demo/app-base:1, localhost:5000/x]
)";

TEST(ImageRecipeTest, ParsesEveryField) {
  auto r = ParseImageRecipe(kFull, "/recipes/app/recipe.yaml");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->release, 12);
  EXPECT_EQ(r->kind, BaseKind::kDistroless);
  EXPECT_EQ(r->flavour, distroless::Flavour::kCc);
  EXPECT_EQ(r->arch, "amd64");
  EXPECT_EQ(r->packages, (std::vector<std::string>{"libsqlite3-0", "zlib1g"}));
  ASSERT_EQ(r->groups.size(), 1u);
  EXPECT_EQ(r->groups[0].gid, 1000u);
  ASSERT_EQ(r->users.size(), 2u);
  EXPECT_EQ(r->users[0].home, "/home/app");
  EXPECT_EQ(r->users[0].shell, "/sbin/nologin");
  EXPECT_EQ(*r->users[0].gid, 1000u);
  EXPECT_FALSE(r->users[1].gid.has_value());
  EXPECT_EQ(r->users[1].home, "/srv/worker");
  EXPECT_EQ(r->env, (std::vector<std::pair<std::string, std::string>>{{"APP_MODE", "production"},
                                                                      {"EMPTY", ""}}));
  EXPECT_EQ(*r->workdir, "/app");
  EXPECT_EQ(*r->user, "app");
  EXPECT_EQ(*r->entrypoint, std::vector<std::string>{"/app/run"});
  EXPECT_EQ(*r->cmd, (std::vector<std::string>{"--serve", "8080"}));
  EXPECT_EQ(r->labels.at("org.opencontainers.image.title"), "demo");
  ASSERT_EQ(r->files.size(), 2u);
  EXPECT_EQ(r->files[0].source, "/recipes/app/run.sh");
  EXPECT_EQ(r->files[0].dest, "/app/run");
  EXPECT_EQ(r->files[0].mode, 0755u);
  EXPECT_EQ(r->files[0].owner, "app");
  EXPECT_EQ(r->files[0].where, "/recipes/app/recipe.yaml:23");
  EXPECT_EQ(r->files[1].source, "/recipes/conf/app.conf");
  EXPECT_EQ(r->files[1].mode, 0600u);  // a bare 0600 is read as octal too
  EXPECT_EQ(r->tags,
            (std::vector<std::string>{"docker.io/demo/app-base:1", "localhost:5000/x:latest"}));
}

TEST(ImageRecipeTest, DebianBases) {
  auto slim = ParseImageRecipe("version: 1\nrelease: 13\nbase: debian-slim\n", "r.yaml");
  ASSERT_TRUE(slim.ok()) << slim.status().message();
  EXPECT_EQ(slim->kind, BaseKind::kDebian);
  EXPECT_TRUE(slim->slim);
  EXPECT_EQ(slim->release, 13);
  auto full = ParseImageRecipe("version: 1\nrelease: bullseye\nbase: debian\n", "r.yaml");
  ASSERT_TRUE(full.ok());
  EXPECT_FALSE(full->slim);
  EXPECT_EQ(full->release, 11);
}

// Each bad recipe and the "file:line: ..." words its error must contain.
TEST(ImageRecipeTest, ErrorsNameFileLineAndProblem) {
  struct Case {
    const char* text;
    const char* want;
  } cases[] = {
      {"version: 1\nrelease: 12\nbase: debian\npakages: [curl]\n",
       "r.yaml:4: unknown key \"pakages\" in the recipe"},
      {"release: 12\nbase: debian\n", "r.yaml:1: the recipe needs \"version: 1\""},
      {"version: 2\nrelease: 12\nbase: debian\n", "r.yaml:1: recipe version 2 is not one"},
      {"version: 1\nbase: debian\n", "needs \"release\""},
      {"version: 1\nrelease: 10\nbase: debian\n", "r.yaml:2: release \"10\" is not 11"},
      {"version: 1\nrelease: 12\nbase: alpine\n", "r.yaml:3: base \"alpine\" is not one of"},
      {"version: 1\nrelease: 12\nbase: distroless/java\n", "unknown distroless flavour"},
      {"version: 1\nrelease: 12\nbase: debian\nworkdir: app\n",
       "r.yaml:4: workdir must be an absolute path"},
      {"version: 1\nrelease: 12\nbase: debian\nworkdir: /a/../b\n", "must be a clean path"},
      {"version: 1\nrelease: 12\nbase: debian\nenv: [A=1]\n", "r.yaml:4: env must be a mapping"},
      {"version: 1\nrelease: 12\nbase: debian\nenv:\n  1A: x\n",
       "r.yaml:5: \"1A\" is not a variable"},
      {"version: 1\nrelease: 12\nbase: debian\npackages: [Curl]\n", "not a Debian package name"},
      {"version: 1\nrelease: 12\nbase: debian\nentrypoint: /app\n",
       "r.yaml:4: entrypoint must be a list of strings"},
      {"version: 1\nrelease: 12\nbase: debian\nentrypoint: []\n", "entrypoint must not be empty"},
      {"version: 1\nrelease: 12\nbase: debian\nusers:\n  - {name: a, uid: 5}\n  - {name: b, uid: "
       "5}\n",
       "r.yaml:6: user b (5) repeats the name or uid of user a"},
      {"version: 1\nrelease: 12\nbase: debian\nusers:\n  - {name: a}\n",
       "r.yaml:5: a user needs \"uid\""},
      {"version: 1\nrelease: 12\nbase: debian\nusers:\n  - {name: a, uid: -1}\n",
       "uid must be a whole number"},
      {"version: 1\nrelease: 12\nbase: debian\nusers:\n  - name: a\n    uid: 1\n    homedir: /x\n",
       "r.yaml:7: unknown key \"homedir\" in a user"},
      {"version: 1\nrelease: 12\nbase: debian\nusers:\n  - {name: Bad Name, uid: 1}\n",
       "is not a valid user name"},
      {"version: 1\nrelease: 12\nbase: debian\nfiles:\n  - {src: a, dest: /a, mode: rwx}\n",
       "r.yaml:5: mode must be octal permission bits"},
      {"version: 1\nrelease: 12\nbase: debian\nfiles:\n  - {src: a, dest: /a, mode: \"0855\"}\n",
       "mode must be octal"},
      {"version: 1\nrelease: 12\nbase: debian\nfiles:\n  - {src: a}\n", "a file needs \"dest\""},
      {"version: 1\nrelease: 12\nbase: debian\ntags: [\"a b\"]\n", "r.yaml:4:"},
      {"version: 1\nrelease: 12\nbase: debian\nuser: app\nuser: root\n",
       "r.yaml:5: \"user\" is given twice"},
      {"version: 1\nrelease: 12\nbase: [debian\n", "r.yaml:"},
      {"- version: 1\n", "r.yaml:1: a recipe is a mapping"},
  };
  for (const Case& c : cases) {
    auto r = ParseImageRecipe(c.text, "r.yaml");
    ASSERT_FALSE(r.ok()) << c.text;
    EXPECT_NE(r.status().message().find(c.want), std::string::npos)
        << "recipe:\n"
        << c.text << "error: " << r.status().message() << "\nwant: " << c.want;
  }
}

TEST(ImageRecipeTest, LoadChecksFilesExist) {
  std::string dir =
      (std::filesystem::path(::testing::TempDir()) / "recipe-load").lexically_normal().string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/r.yaml") << "version: 1\nrelease: 12\nbase: distroless/static\n"
                                    "files:\n  - {src: missing.txt, dest: /m}\n";
  auto missing = LoadImageRecipe(dir + "/r.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find(dir + "/r.yaml:5: src " + dir + "/missing.txt"),
            std::string::npos)
      << missing.status().message();
  std::ofstream(dir + "/missing.txt") << "now here\n";
  EXPECT_TRUE(LoadImageRecipe(dir + "/r.yaml").ok());
  auto absent = LoadImageRecipe(dir + "/nope.yaml");
  ASSERT_FALSE(absent.ok());
  EXPECT_NE(absent.status().message().find("nope.yaml: cannot read"), std::string::npos);
}

}  // namespace
}  // namespace distill::recipe
