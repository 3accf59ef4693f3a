// Packages indexes (dists/<suite>/<component>/binary-<arch>/Packages.*): which
// file of the Release to fetch (by-hash when the archive offers it), and the
// package records parsed from its decompressed stream.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "debian/control.h"
#include "debian/dependency.h"
#include "debian/release.h"
#include "debian/version.h"
#include "util/io.h"
#include "util/status.h"

namespace distill::debian {

// One binary package of an index. `repository` is the archive URI the
// Filename is relative to (set by the caller that knows where the index came from).
struct Package {
  std::string name;
  Version version;
  std::string architecture;  // "amd64", "all", ...
  std::string multi_arch;    // "", "same", "foreign", "allowed"
  std::vector<DependencyGroup> depends;
  std::vector<DependencyGroup> pre_depends;
  std::vector<Dependency> provides;
  bool essential = false;
  std::string priority;
  std::string section;
  std::string source;  // source package name (defaults to the package name)
  std::string filename;
  uint64_t size = 0;
  std::string sha256;
  uint64_t installed_size_kib = 0;
  std::string description;  // the synopsis (first line)
  std::string repository;

  // "name version arch", as apt prints a candidate.
  std::string Label() const;
};

// Reads one index paragraph. `where` ("Packages:123") names it in errors.
Result<Package> PackageFromParagraph(const Paragraph& p, const std::string& where);

// Reads every paragraph of a decompressed Packages stream.
Result<std::vector<Package>> ReadPackages(Reader* decompressed, const std::string& source_name);

// Which file to download for an index, and from where.
struct IndexLocation {
  std::string path;          // in the Release: "main/binary-amd64/Packages.xz"
  std::string url;           // by-hash URL when the Release says Acquire-By-Hash: yes
  std::string fallback_url;  // the plain URL (by-hash files can vanish during a mirror push)
  ReleaseFileEntry entry;
};

// Picks Packages.xz, else .gz, else the plain Packages of component/arch from
// the Release; `dist_url` is ".../dists/<suite>". Fails naming the Release
// when the suite has no such index.
Result<IndexLocation> LocatePackagesIndex(const Release& release, const std::string& dist_url,
                                          std::string_view component, std::string_view arch);

// Streams the index file at `path` (compressed as found): checks its size and
// SHA-256 against `location.entry` while decompressing and parsing, and
// rejects it, naming the URL, on any mismatch. Sets each package's repository.
Result<std::vector<Package>> ReadVerifiedPackagesFile(const std::string& path,
                                                      const IndexLocation& location,
                                                      const std::string& repository);

}  // namespace distill::debian
