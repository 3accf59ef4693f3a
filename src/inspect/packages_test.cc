#include "inspect/packages.h"

#include <gtest/gtest.h>

#include <set>

#include "inspect/sbom.h"

namespace distill::inspect {
namespace {

constexpr char kStatus[] =
    "Package: libc6\n"
    "Status: install ok installed\n"
    "Architecture: amd64\n"
    "Source: glibc (2.36-9)\n"
    "Version: 2.36-9+deb12u4\n"
    "Description: GNU C Library\n"
    " shared libraries\n"
    "\n"
    "Package: gone\n"
    "Status: deinstall ok config-files\n"
    "Version: 1.0\n"
    "\n"
    "Package: base-files\n"
    "Status: install ok installed\n"
    "Architecture: amd64\n"
    "Version: 12.4+deb12u5\n";

TEST(DpkgStatusTest, InstalledPackagesOnly) {
  auto pkgs = ParseDpkgStatus(kStatus, "img:/var/lib/dpkg/status");
  ASSERT_TRUE(pkgs.ok()) << pkgs.status().message();
  ASSERT_EQ(pkgs->size(), 2u);
  EXPECT_EQ((*pkgs)[0].name, "libc6");
  EXPECT_EQ((*pkgs)[0].version, "2.36-9+deb12u4");
  EXPECT_EQ((*pkgs)[0].source, "glibc");
  EXPECT_EQ((*pkgs)[0].Purl(), "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64");
  EXPECT_EQ((*pkgs)[1].name, "base-files");
}

TEST(DpkgStatusTest, StatusDFileWithoutStatusCounts) {
  auto pkgs = ParseDpkgStatus("Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n",
                              "status.d/tzdata");
  ASSERT_TRUE(pkgs.ok());
  ASSERT_EQ(pkgs->size(), 1u);
  EXPECT_EQ((*pkgs)[0].arch, "all");
}

TEST(DpkgStatusTest, BadInputNamesTheFile) {
  auto no_colon = ParseDpkgStatus("Package: a\nthis line has no colon\n", "img:/status");
  ASSERT_FALSE(no_colon.ok());
  EXPECT_NE(no_colon.status().message().find("img:/status"), std::string::npos);
  auto no_name = ParseDpkgStatus("Version: 1\n", "img:/status");
  ASSERT_FALSE(no_name.ok());
  EXPECT_NE(no_name.status().message().find("without a Package"), std::string::npos);
}

TEST(PythonMetadataTest, NameVersionLicense) {
  auto pkg = ParsePythonMetadata(
      "Metadata-Version: 2.1\nName: Flask_Cors\nVersion: 4.0.1\nLicense: UNKNOWN\n"
      "Classifier: License :: OSI Approved :: MIT License\n\nLicense: not a header\n",
      "x/METADATA");
  ASSERT_TRUE(pkg.ok()) << pkg.status().message();
  EXPECT_EQ(pkg->name, "Flask_Cors");
  EXPECT_EQ(pkg->version, "4.0.1");
  EXPECT_EQ(pkg->license, "MIT License");
  EXPECT_EQ(pkg->Purl(), "pkg:pypi/flask-cors@4.0.1");
  EXPECT_FALSE(ParsePythonMetadata("Name: x\n", "y/METADATA").ok());
}

TEST(PackagePathsTest, Recognized) {
  EXPECT_TRUE(IsDpkgStatusPath("/var/lib/dpkg/status"));
  EXPECT_TRUE(IsDpkgStatusPath("/var/lib/dpkg/status.d/libc6"));
  EXPECT_FALSE(IsDpkgStatusPath("/var/lib/dpkg/status.d/libc6.md5sums"));
  EXPECT_FALSE(IsDpkgStatusPath("/var/lib/dpkg/status-old"));
  EXPECT_TRUE(IsPythonMetadataPath("/usr/lib/python3/dist-packages/six-1.16.0.dist-info/METADATA"));
  EXPECT_TRUE(IsPythonMetadataPath("/usr/lib/python3/x.egg-info/PKG-INFO"));
  EXPECT_FALSE(IsPythonMetadataPath("/usr/lib/METADATA"));
}

std::vector<Package> Sample() {
  auto pkgs = ParseDpkgStatus(kStatus, "s");
  EXPECT_TRUE(pkgs.ok());
  Package py;
  py.ecosystem = "pypi";
  py.name = "six";
  py.version = "1.16.0";
  py.license = "MIT";
  pkgs->push_back(py);
  return *pkgs;
}

TEST(SbomTest, SpdxShape) {
  auto doc = ToSpdx({"app:1", "sha256:abcd"}, Sample(), {1704164645, RandomUuid()});
  EXPECT_EQ(doc["spdxVersion"], "SPDX-2.3");
  EXPECT_EQ(doc["dataLicense"], "CC0-1.0");
  EXPECT_EQ(doc["SPDXID"], "SPDXRef-DOCUMENT");
  EXPECT_EQ(doc["creationInfo"]["created"], "2024-01-02T03:04:05Z");
  ASSERT_EQ(doc["packages"].size(), 4u);  // the image + 3 packages
  std::set<std::string> ids;
  for (const auto& p : doc["packages"]) {
    EXPECT_TRUE(ids.insert(p["SPDXID"].get<std::string>()).second);
    EXPECT_EQ(p["downloadLocation"], "NOASSERTION");
  }
  EXPECT_EQ(doc["packages"][1]["externalRefs"][0]["referenceLocator"],
            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64");
  EXPECT_EQ(doc["relationships"][0]["relationshipType"], "DESCRIBES");
  EXPECT_EQ(doc["relationships"].size(), 4u);
}

TEST(SbomTest, CycloneDxShape) {
  std::string uuid = RandomUuid();
  ASSERT_EQ(uuid.size(), 36u);
  EXPECT_EQ(uuid[14], '4');
  auto doc = ToCycloneDx({"app:1", "sha256:abcd"}, Sample(), {0, uuid});
  EXPECT_EQ(doc["bomFormat"], "CycloneDX");
  EXPECT_EQ(doc["specVersion"], "1.5");
  EXPECT_EQ(doc["serialNumber"], "urn:uuid:" + uuid);
  EXPECT_EQ(doc["version"], 1);
  EXPECT_EQ(doc["metadata"]["component"]["type"], "container");
  ASSERT_EQ(doc["components"].size(), 3u);
  EXPECT_EQ(doc["components"][2]["purl"], "pkg:pypi/six@1.16.0");
  EXPECT_EQ(doc["components"][2]["licenses"][0]["license"]["name"], "MIT");
}

}  // namespace
}  // namespace distill::inspect
