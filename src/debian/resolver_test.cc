#include "debian/resolver.h"

#include <gtest/gtest.h>

namespace distill::debian {
namespace {

// A small archive in the shape of bookworm's python3 stack.
constexpr const char* kMain =
    "Package: python3-minimal\nVersion: 3.11.2-1+b1\nArchitecture: amd64\n"
    "Pre-Depends: python3.11-minimal (>= 3.11.2-1~)\nDepends: dpkg (>= 1.13.20)\n\n"
    "Package: python3.11-minimal\nVersion: 3.11.2-6\nArchitecture: amd64\n"
    "Pre-Depends: libc6 (>= 2.36)\nDepends: libpython3.11-minimal (= 3.11.2-6), libexpat1 (>= "
    "2.1~beta3), zlib1g (>= 1:1.2.0)\n\n"
    "Package: libpython3.11-minimal\nVersion: 3.11.2-6\nArchitecture: amd64\nMulti-Arch: same\n"
    "Depends: libc6 (>= 2.14), libssl3 (>= 3.0.0)\n\n"
    "Package: libc6\nVersion: 2.36-9\nArchitecture: amd64\nMulti-Arch: same\n"
    "Depends: libgcc-s1\n\n"
    "Package: libgcc-s1\nVersion: 12.2.0-14\nArchitecture: amd64\nMulti-Arch: same\n"
    "Depends: gcc-12-base (= 12.2.0-14), libc6 (>= 2.35)\n\n"
    "Package: gcc-12-base\nVersion: 12.2.0-14\nArchitecture: amd64\nMulti-Arch: same\n\n"
    "Package: libexpat1\nVersion: 2.5.0-1\nArchitecture: amd64\nDepends: libc6 (>= 2.25)\n\n"
    "Package: zlib1g\nVersion: 1:1.2.13.dfsg-1\nArchitecture: amd64\nProvides: libz1\n"
    "Depends: libc6 (>= 2.14)\n\n"
    "Package: libssl3\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\n"
    "Depends: libc6 (>= 2.34)\n\n"
    "Package: dpkg\nVersion: 1.21.22\nArchitecture: amd64\nEssential: yes\nPriority: required\n"
    "Pre-Depends: libc6 (>= 2.34), tar (>= 1.28-1)\n\n"
    "Package: tar\nVersion: 1.34+dfsg-1.2\nArchitecture: amd64\nEssential: yes\n"
    "Pre-Depends: libc6 (>= 2.34)\n\n"
    "Package: base-files\nVersion: 12.4\nArchitecture: amd64\nEssential: yes\n\n"
    "Package: mawk\nVersion: 1.3.4.20200120-3.1\nArchitecture: amd64\nPriority: required\n"
    "Provides: awk\nDepends: libc6 (>= 2.29)\n\n"
    "Package: gawk\nVersion: 1:5.2.1-2\nArchitecture: amd64\nPriority: optional\nProvides: awk\n\n"
    "Package: ca-certificates\nVersion: 20230311\nArchitecture: all\n"
    "Depends: openssl (>= 1.1.1), debconf (>= 0.5) | debconf-2.0\n\n"
    "Package: openssl\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\n"
    "Depends: libc6 (>= 2.34), libssl3 (>= 3.0.9)\n\n"
    "Package: debconf\nVersion: 1.5.82\nArchitecture: all\nProvides: debconf-2.0\n"
    "Pre-Depends: perl-base (>= 5.20.1-3~)\n\n"
    "Package: perl-base\nVersion: 5.36.0-7\nArchitecture: amd64\n\n"
    "Package: cdebconf\nVersion: 0.270\nArchitecture: amd64\nProvides: debconf-2.0\n\n"
    "Package: libfoo-arm\nVersion: 1\nArchitecture: arm64\n\n"
    "Package: needs-any\nVersion: 1\nArchitecture: amd64\nDepends: python3:any, perl:any\n\n"
    "Package: python3\nVersion: 3.11.2-1+b1\nArchitecture: amd64\nMulti-Arch: allowed\n\n"
    "Package: perl\nVersion: 5.36.0-7\nArchitecture: amd64\n\n"
    "Package: needs-newer-ssl\nVersion: 1\nArchitecture: amd64\nDepends: libssl3 (>= 3.0.12)\n\n"
    "Package: needs-versioned-virtual\nVersion: 1\nArchitecture: amd64\n"
    "Depends: libz1 (>= 1:1.2)\n\n"
    "Package: arch-restricted\nVersion: 1\nArchitecture: amd64\n"
    "Depends: libfoo-arm [arm64], libc6\n";

// What a -security suite adds on top.
constexpr const char* kSecurity =
    "Package: libssl3\nVersion: 3.0.15-1~deb12u1\nArchitecture: amd64\n"
    "Depends: libc6 (>= 2.34)\n\n"
    "Package: libc6\nVersion: 2.36-9\nArchitecture: amd64\nDepends: this-duplicate-is-ignored\n";

std::vector<Package> Parse(const char* text) {
  StringReader in(text);
  auto pkgs = ReadPackages(&in, "Packages");
  EXPECT_TRUE(pkgs.ok()) << pkgs.status().message();
  return pkgs.ok() ? *pkgs : std::vector<Package>{};
}

class ResolverTest : public ::testing::Test {
 protected:
  ResolverTest() : universe_("amd64") {
    universe_.Add(Parse(kMain));
    universe_.Add(Parse(kSecurity));
  }
  static std::vector<std::string> Names(const Resolution& r) {
    std::vector<std::string> out;
    for (const Package* p : r.packages) out.push_back(p->name + "=" + p->version.str());
    return out;
  }
  PackageUniverse universe_;
};

TEST_F(ResolverTest, UniverseKeepsArchAndOrdersVersions) {
  EXPECT_TRUE(universe_.Candidates("libfoo-arm").empty());
  const auto& ssl = universe_.Candidates("libssl3");
  ASSERT_EQ(ssl.size(), 2u);
  EXPECT_EQ(ssl[0]->version.str(), "3.0.15-1~deb12u1");
  ASSERT_EQ(universe_.Candidates("libc6").size(), 1u);  // equal version: first added wins
  EXPECT_EQ(universe_.Candidates("libc6")[0]->depends[0][0].name, "libgcc-s1");
  EXPECT_EQ(universe_.Providers("awk").size(), 2u);
  EXPECT_EQ(universe_.EssentialNames(), (std::vector<std::string>{"base-files", "dpkg", "tar"}));
}

TEST_F(ResolverTest, ResolvesPython3MinimalClosure) {
  auto r = Resolve(universe_, {"python3-minimal"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Names(*r),
            (std::vector<std::string>{"dpkg=1.21.22", "gcc-12-base=12.2.0-14", "libc6=2.36-9",
                                      "libexpat1=2.5.0-1", "libgcc-s1=12.2.0-14",
                                      "libpython3.11-minimal=3.11.2-6", "libssl3=3.0.15-1~deb12u1",
                                      "python3-minimal=3.11.2-1+b1", "python3.11-minimal=3.11.2-6",
                                      "tar=1.34+dfsg-1.2", "zlib1g=1:1.2.13.dfsg-1"}));
  EXPECT_EQ(r->wanted_by.at("python3-minimal"), "");
  EXPECT_EQ(r->wanted_by.at("libssl3"), "libpython3.11-minimal");
  EXPECT_TRUE(r->dropped.empty());
  // Deterministic: the same input gives the same output.
  auto again = Resolve(universe_, {"python3-minimal"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Names(*again), Names(*r));
}

TEST_F(ResolverTest, AlternativesAndVirtualPackages) {
  auto r = Resolve(universe_, {"ca-certificates"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  auto names = Names(*r);
  // "debconf (>= 0.5) | debconf-2.0": the first alternative wins.
  EXPECT_NE(std::find(names.begin(), names.end(), "debconf=1.5.82"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "cdebconf=0.270"), names.end());

  // With debconf excluded the virtual debconf-2.0 is met by the other provider.
  auto excluded = Resolve(universe_, {"ca-certificates"}, {.exclude = {"debconf"}});
  ASSERT_TRUE(excluded.ok()) << excluded.status().message();
  names = Names(*excluded);
  EXPECT_NE(std::find(names.begin(), names.end(), "cdebconf=0.270"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "perl-base=5.36.0-7"), names.end());

  // A virtual root picks its provider by Priority: mawk (required) over gawk (optional).
  auto awk = Resolve(universe_, {"awk"});
  ASSERT_TRUE(awk.ok()) << awk.status().message();
  EXPECT_NE(std::find_if(awk->packages.begin(), awk->packages.end(),
                         [](const Package* p) { return p->name == "mawk"; }),
            awk->packages.end());
}

TEST_F(ResolverTest, VersionedProvidesAndArchQualifiers) {
  auto v = Resolve(universe_, {"needs-versioned-virtual"});
  // zlib1g's "Provides: libz1" has no version, so it cannot meet "libz1 (>= 1:1.2)".
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("no provider of libz1 satisfies it"), std::string::npos)
      << v.status().message();

  // python3 is Multi-Arch: allowed, so python3:any is met; perl is not.
  auto any = Resolve(universe_, {"needs-any"});
  ASSERT_FALSE(any.ok());
  EXPECT_NE(any.status().message().find("depends on perl:any"), std::string::npos)
      << any.status().message();

  auto restricted = Resolve(universe_, {"arch-restricted"});
  ASSERT_TRUE(restricted.ok()) << restricted.status().message();
  EXPECT_EQ(restricted->packages.size(), 4u);  // arch-restricted, libc6, libgcc-s1, gcc-12-base
}

TEST_F(ResolverTest, UnsatisfiableExplainsTheChain) {
  PackageUniverse old_ssl("amd64");
  std::string text = kMain;
  // Replace libssl3 with a 1.1 version that cannot meet ">= 3.0.0".
  size_t at = text.find("Package: libssl3\nVersion: 3.0.11-1~deb12u2");
  text.replace(at, std::string("Package: libssl3\nVersion: 3.0.11-1~deb12u2").size(),
               "Package: libssl3\nVersion: 1.1.1n-0+deb11u5");
  old_ssl.Add(Parse(text.c_str()));
  auto r = Resolve(old_ssl, {"python3-minimal"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(r.status().message(),
            "libpython3.11-minimal 3.11.2-6 depends on libssl3 (>= 3.0.0) but no version of "
            "libssl3 satisfies it (available: 1.1.1n-0+deb11u5); wanted by python3.11-minimal "
            "\u2190 python3-minimal");
}

TEST_F(ResolverTest, ConflictWithAnAlreadyChosenVersion) {
  PackageUniverse main_only("amd64");
  main_only.Add(Parse(kMain));
  auto r = Resolve(main_only, {"libssl3", "needs-newer-ssl"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "needs-newer-ssl 1 depends on libssl3 (>= 3.0.12) but libssl3 3.0.11-1~deb12u2 was "
            "already chosen (wanted by the request); wanted by the request");
}

TEST_F(ResolverTest, RootsVersionsExcludesAndEssential) {
  auto pinned = Resolve(universe_, {"libssl3=3.0.11-1~deb12u2"});
  ASSERT_TRUE(pinned.ok()) << pinned.status().message();
  EXPECT_EQ(Names(*pinned)[3], "libssl3=3.0.11-1~deb12u2");

  auto unknown = Resolve(universe_, {"no-such-package"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(),
            "package no-such-package is not in the amd64 package indexes");
  auto bad_version = Resolve(universe_, {"libssl3=9"});
  ASSERT_FALSE(bad_version.ok());
  EXPECT_EQ(bad_version.status().message(),
            "package libssl3 has no version 9 (available: 3.0.15-1~deb12u1, 3.0.11-1~deb12u2)");
  auto both = Resolve(universe_, {"libc6"}, {.exclude = {"libc6"}});
  ASSERT_FALSE(both.ok());

  // Excluding a dependency with no alternative drops it, and says so.
  auto dropped = Resolve(universe_, {"libexpat1"}, {.exclude = {"libgcc-s1"}});
  ASSERT_TRUE(dropped.ok()) << dropped.status().message();
  EXPECT_EQ(Names(*dropped), (std::vector<std::string>{"libc6=2.36-9", "libexpat1=2.5.0-1"}));
  EXPECT_EQ(dropped->dropped, std::vector<std::string>{"libc6 2.36-9 depends on libgcc-s1"});

  auto essential = Resolve(universe_, {"libexpat1"}, {.include_essential = true, .exclude = {}});
  ASSERT_TRUE(essential.ok()) << essential.status().message();
  auto names = Names(*essential);
  EXPECT_NE(std::find(names.begin(), names.end(), "base-files=12.4"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "tar=1.34+dfsg-1.2"), names.end());
}

TEST_F(ResolverTest, InstallOrderPutsDependenciesFirst) {
  auto r = Resolve(universe_, {"python3-minimal"});
  ASSERT_TRUE(r.ok()) << r.status().message();
  auto order = InstallOrder(*r);
  ASSERT_EQ(order.size(), r->packages.size());
  std::map<std::string, size_t> position;
  for (size_t i = 0; i < order.size(); ++i) position[order[i]->name] = i;
  // Every dependency comes first, except across the libc6 ↔ libgcc-s1 cycle.
  for (const Package* p : order) {
    for (const auto* groups : {&p->pre_depends, &p->depends}) {
      for (const DependencyGroup& g : *groups) {
        const std::string& dep = g.front().name;
        if (!position.count(dep)) continue;
        if (p->name == "libgcc-s1" && dep == "libc6") continue;
        EXPECT_LT(position[dep], position[p->name]) << p->name << " needs " << dep;
      }
    }
  }
  std::vector<std::string> names;
  for (const Package* p : order) names.push_back(p->name);
  EXPECT_EQ(names.front(), "gcc-12-base");
  EXPECT_EQ(names.back(), "python3-minimal");
  auto again = InstallOrder(*r);
  EXPECT_EQ(again, order);
}

}  // namespace
}  // namespace distill::debian
