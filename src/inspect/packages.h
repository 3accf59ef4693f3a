// Packages an image carries (Go binaries' embedded module lists included), read from the files
// package managers leave behind: dpkg's /var/lib/dpkg/status, distroless-style
// /var/lib/dpkg/status.d/<name> (one control paragraph per package), and
// Python's *.dist-info/METADATA and *.egg-info/PKG-INFO.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "inspect/image_walk.h"
#include "store/image_store.h"
#include "store/store.h"
#include "util/status.h"

namespace distill::inspect {

struct Package {
  std::string ecosystem;  // "deb", "pypi", "golang"
  std::string name;
  std::string version;
  std::string arch;      // deb only
  std::string source;    // deb: the source package when it differs
  std::string license;   // when the metadata says
  std::string location;  // the file it was read from

  // pkg:deb/debian/NAME@VERSION?arch=ARCH, pkg:pypi/name@version.
  std::string Purl() const;
};

// Installed packages of a dpkg status document ("Status: ... installed";
// status.d files carry no Status field and count as installed). Errors name
// `source_name` and the line.
Result<std::vector<Package>> ParseDpkgStatus(std::string_view text, const std::string& source_name);

// Name, Version and License (or a "License ::" classifier) of a Python core
// metadata file; an error when Name or Version is missing.
Result<Package> ParsePythonMetadata(std::string_view text, const std::string& source_name);

// True for the paths the two parsers above read.
bool IsDpkgStatusPath(std::string_view path);
bool IsPythonMetadataPath(std::string_view path);

// All packages of the image's final filesystem, sorted by ecosystem and name.
// When `walk_out` is given, the walk made to find them is kept there (one pass
// over the layers serves callers that need both).
Result<std::vector<Package>> ImagePackages(store::Store& store, const store::StoredImage& image,
                                           std::string_view name, ImageWalk* walk_out = nullptr);

}  // namespace distill::inspect
