#include "debian/packages_index.h"

#include <charconv>

#include "archive/decompress.h"
#include "archive/verifying_reader.h"
#include "oci/digest.h"
#include "util/file_system.h"

namespace distill::debian {
namespace {

Result<uint64_t> ParseCount(const std::string& text, const std::string& where, const char* field) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return Status::Corrupt(where + ": " + field + " \"" + text + "\" is not a number");
  }
  return value;
}

// Reads the rest of a stream so a VerifyingReader reaches its end-of-stream check.
Status Drain(Reader* in) {
  char buf[64 * 1024];
  while (true) {
    DISTILL_ASSIGN_OR_RETURN(size_t n, in->Read(buf, sizeof buf));
    if (n == 0) return Status::Ok();
  }
}

}  // namespace

std::string Package::Label() const {
  return name + " " + version.str() + " " + architecture;
}

Result<Package> PackageFromParagraph(const Paragraph& p, const std::string& where) {
  Package pkg;
  pkg.name = p.Get("Package");
  if (pkg.name.empty()) return Status::Corrupt(where + ": paragraph has no Package field");
  std::string here = where + " (" + pkg.name + ")";
  auto version = Version::Parse(p.Get("Version"));
  if (!version.ok()) return version.status().Prefixed(here);
  pkg.version = std::move(*version);
  pkg.architecture = p.Get("Architecture");
  pkg.multi_arch = p.Get("Multi-Arch");
  if (const std::string* v = p.Find("Depends")) {
    auto d = ParseDependencies(*v, "Depends");
    if (!d.ok()) return d.status().Prefixed(here);
    pkg.depends = std::move(*d);
  }
  if (const std::string* v = p.Find("Pre-Depends")) {
    auto d = ParseDependencies(*v, "Pre-Depends");
    if (!d.ok()) return d.status().Prefixed(here);
    pkg.pre_depends = std::move(*d);
  }
  if (const std::string* v = p.Find("Provides")) {
    auto d = ParseDependencyList(*v, "Provides");
    if (!d.ok()) return d.status().Prefixed(here);
    pkg.provides = std::move(*d);
  }
  pkg.essential = p.Get("Essential") == "yes";
  pkg.priority = p.Get("Priority");
  pkg.section = p.Get("Section");
  pkg.source = p.Get("Source");
  // "Source: glibc (2.36-9)" names the source version when it differs.
  if (size_t space = pkg.source.find(' '); space != std::string::npos) pkg.source.resize(space);
  if (pkg.source.empty()) pkg.source = pkg.name;
  pkg.filename = p.Get("Filename");
  pkg.sha256 = p.Get("SHA256");
  if (p.Has("Size")) {
    DISTILL_ASSIGN_OR_RETURN(pkg.size, ParseCount(p.Get("Size"), here, "Size"));
  }
  if (p.Has("Installed-Size")) {
    DISTILL_ASSIGN_OR_RETURN(pkg.installed_size_kib,
                             ParseCount(p.Get("Installed-Size"), here, "Installed-Size"));
  }
  std::string description = p.Get("Description");
  pkg.description = description.substr(0, description.find('\n'));
  return pkg;
}

Result<std::vector<Package>> ReadPackages(Reader* decompressed, const std::string& source_name) {
  ParagraphReader reader(decompressed, source_name);
  std::vector<Package> out;
  Paragraph p;
  while (true) {
    DISTILL_ASSIGN_OR_RETURN(bool got, reader.Next(&p));
    if (!got) break;
    DISTILL_ASSIGN_OR_RETURN(Package pkg,
                             PackageFromParagraph(p, source_name + ":" + std::to_string(p.line())));
    out.push_back(std::move(pkg));
  }
  return out;
}

Result<IndexLocation> LocatePackagesIndex(const Release& release, const std::string& dist_url,
                                          std::string_view component, std::string_view arch) {
  std::string dir = std::string(component) + "/binary-" + std::string(arch);
  for (const char* suffix : {".xz", ".gz", ""}) {
    std::string path = dir + "/Packages" + suffix;
    const ReleaseFileEntry* entry = release.Find(path);
    if (entry == nullptr) continue;
    IndexLocation loc;
    loc.path = path;
    loc.entry = *entry;
    loc.fallback_url = dist_url + "/" + path;
    loc.url = release.acquire_by_hash ? dist_url + "/" + dir + "/by-hash/SHA256/" + entry->sha256
                                      : loc.fallback_url;
    return loc;
  }
  return Status::NotFound(dist_url + "/InRelease lists no Packages index for " + dir);
}

Result<std::vector<Package>> ReadVerifiedPackagesFile(const std::string& path,
                                                      const IndexLocation& location,
                                                      const std::string& repository) {
  auto digest = oci::Digest::Parse("sha256:" + location.entry.sha256);
  if (!digest.ok()) return digest.status().Prefixed(location.url);
  DISTILL_ASSIGN_OR_RETURN(auto file, DefaultFileSystem()->OpenForRead(path));
  archive::VerifyingReader verified(file.get(), *digest, location.url, location.entry.size);
  auto decompressed = archive::NewDecompressor(&verified, location.url);
  auto packages = ReadPackages(decompressed.get(), location.url);
  // The digest is checked at the end of the compressed stream, which the
  // decompressor may not have read up to: read it out before trusting anything.
  Status end = Drain(&verified);
  if (!end.ok()) return end;
  if (!verified.verified()) return Status::Corrupt(location.url + ": not verified");
  if (!packages.ok()) return packages.status();
  for (Package& p : *packages) p.repository = repository;
  return packages;
}

}  // namespace distill::debian
