// AptClient: the pieces of this module put together the way apt uses them.
// For each suite of a plan (sources.h): InRelease → gpgv → Release checks →
// Packages index (by-hash, SHA-256 checked) → package records; and for each
// chosen package, its .deb from the pool, checked against the index.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "debian/fetch.h"
#include "debian/packages_index.h"
#include "debian/release.h"
#include "debian/resolver.h"
#include "debian/sources.h"

namespace distill::debian {

class AptClient {
 public:
  // `now` gives the current time in seconds since the epoch (a seam for tests
  // of Valid-Until). The downloader and verifier must outlive the client.
  AptClient(Downloader* downloader, SignatureVerifier* verifier,
            std::function<int64_t()> now = nullptr);

  // Fetches <dist>/InRelease (or, when the archive has none, Release and
  // Release.gpg), verifies its signature with the suite's keys, and parses the
  // verified text. Rejects an expired Release (unless the source says
  // Check-Valid-Until: no) and one for another suite.
  Result<Release> FetchRelease(const SuiteSource& suite);

  // Fetches, verifies and parses <component>/binary-<arch>/Packages of a suite.
  Result<std::vector<Package>> FetchPackages(const SuiteSource& suite, const Release& release,
                                             const std::string& component, const std::string& arch);

  // Every component of every suite of `plan`, added to `universe` in plan order.
  Status LoadUniverse(const std::vector<SuiteSource>& plan, PackageUniverse* universe);

  // The .deb of `package` in the cache (downloaded when missing), checked
  // against the SHA256 and Size of its index entry.
  Result<std::string> FetchDeb(const Package& package);
  std::vector<Result<std::string>> FetchDebs(const std::vector<const Package*>& packages);

 private:
  static DownloadRequest DebRequest(const Package& package);

  Downloader* downloader_;
  SignatureVerifier* verifier_;
  std::function<int64_t()> now_;
};

}  // namespace distill::debian
