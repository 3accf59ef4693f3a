#include "debian/apt_client.h"

#include <ctime>

namespace distill::debian {

AptClient::AptClient(Downloader* downloader, SignatureVerifier* verifier,
                     std::function<int64_t()> now)
    : downloader_(downloader), verifier_(verifier), now_(std::move(now)) {
  if (!now_) now_ = [] { return static_cast<int64_t>(std::time(nullptr)); };
}

Result<Release> AptClient::FetchRelease(const SuiteSource& suite) {
  const TrustedKeys keys{suite.keyring_paths, suite.inline_key};
  std::string url = suite.DistUrl() + "/InRelease";
  std::string verified;
  auto inrelease = downloader_->FetchText(url);
  if (inrelease.ok()) {
    DISTILL_ASSIGN_OR_RETURN(verified, verifier_->VerifyClearsigned(*inrelease, keys, url));
  } else if (inrelease.status().code() == Status::Code::kNotFound) {
    // Older or third-party archives publish only Release + Release.gpg.
    url = suite.DistUrl() + "/Release";
    DISTILL_ASSIGN_OR_RETURN(std::string release, downloader_->FetchText(url));
    auto signature = downloader_->FetchText(url + ".gpg");
    if (!signature.ok()) {
      return Status::Corrupt("no signature for " + url + " (" + signature.status().message() +
                             "): refusing an unsigned archive");
    }
    DISTILL_ASSIGN_OR_RETURN(verified, verifier_->VerifyDetached(release, *signature, keys, url));
  } else {
    return inrelease.status().Prefixed(std::string(SuiteKindName(suite.kind)) + " suite " +
                                       suite.suite + " from " + suite.origin);
  }
  DISTILL_ASSIGN_OR_RETURN(Release release, ParseRelease(verified, url));
  DISTILL_RETURN_IF_ERROR(CheckReleaseSuite(release, suite.suite, url));
  DISTILL_RETURN_IF_ERROR(CheckReleaseFreshness(release, now_(), suite.check_valid_until, url));
  return release;
}

Result<std::vector<Package>> AptClient::FetchPackages(const SuiteSource& suite,
                                                      const Release& release,
                                                      const std::string& component,
                                                      const std::string& arch) {
  DISTILL_ASSIGN_OR_RETURN(IndexLocation location,
                           LocatePackagesIndex(release, suite.DistUrl(), component, arch));
  DownloadRequest request;
  request.urls = {location.url};
  if (location.fallback_url != location.url) request.urls.push_back(location.fallback_url);
  request.sha256 = location.entry.sha256;
  request.size = location.entry.size;
  DISTILL_ASSIGN_OR_RETURN(std::string path, downloader_->Fetch(request));
  return ReadVerifiedPackagesFile(path, location, suite.uri);
}

Status AptClient::LoadUniverse(const std::vector<SuiteSource>& plan, PackageUniverse* universe) {
  for (const SuiteSource& suite : plan) {
    DISTILL_ASSIGN_OR_RETURN(Release release, FetchRelease(suite));
    for (const std::string& component : suite.components) {
      DISTILL_ASSIGN_OR_RETURN(auto packages,
                               FetchPackages(suite, release, component, universe->arch()));
      universe->Add(std::move(packages));
    }
  }
  return Status::Ok();
}

DownloadRequest AptClient::DebRequest(const Package& package) {
  DownloadRequest request;
  request.urls = {package.repository + "/" + package.filename};
  request.sha256 = package.sha256;
  if (package.size > 0) request.size = package.size;
  return request;
}

Result<std::string> AptClient::FetchDeb(const Package& package) {
  if (package.filename.empty() || package.sha256.empty() || package.repository.empty()) {
    return Status::Invalid("package " + package.Label() +
                           " has no Filename/SHA256 in its index; cannot download it");
  }
  auto path = downloader_->Fetch(DebRequest(package));
  if (!path.ok()) return path.status().Prefixed(package.Label());
  return path;
}

std::vector<Result<std::string>> AptClient::FetchDebs(const std::vector<const Package*>& packages) {
  std::vector<DownloadRequest> requests;
  std::vector<size_t> request_of(packages.size(), SIZE_MAX);
  std::vector<Result<std::string>> results(packages.size(), Status::Error("not fetched"));
  for (size_t i = 0; i < packages.size(); ++i) {
    const Package& p = *packages[i];
    if (p.filename.empty() || p.sha256.empty() || p.repository.empty()) {
      results[i] = Status::Invalid("package " + p.Label() + " has no Filename/SHA256 in its index");
      continue;
    }
    request_of[i] = requests.size();
    requests.push_back(DebRequest(p));
  }
  auto fetched = downloader_->FetchAll(requests);
  for (size_t i = 0; i < packages.size(); ++i) {
    if (request_of[i] == SIZE_MAX) continue;
    Result<std::string>& r = fetched[request_of[i]];
    results[i] = r.ok() ? r : Result<std::string>(r.status().Prefixed(packages[i]->Label()));
  }
  return results;
}

}  // namespace distill::debian
