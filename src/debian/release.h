// Release files: checking their OpenPGP signature with gpgv against the
// archive keyring, and reading the verified text (suite, dates, the SHA-256
// list every index is checked against). Only text that gpgv printed as signed
// is ever parsed: nothing from the unverified download reaches ParseRelease.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace distill::debian {

// The keys a suite may be signed with: keyring files (binary OpenPGP, as in
// /usr/share/keyrings) and/or one armored key block (deb822 inline Signed-By).
struct TrustedKeys {
  std::vector<std::string> keyring_paths;
  std::string inline_key;
};

// Checks OpenPGP signatures. `url` names the document in every error.
class SignatureVerifier {
 public:
  virtual ~SignatureVerifier() = default;
  // `signed_text` is an InRelease (clearsigned) file; returns the signed body.
  virtual Result<std::string> VerifyClearsigned(std::string_view signed_text,
                                                const TrustedKeys& keys,
                                                const std::string& url) = 0;
  // `data` is a Release file, `signature` its Release.gpg; returns `data` once verified.
  virtual Result<std::string> VerifyDetached(std::string_view data, std::string_view signature,
                                             const TrustedKeys& keys, const std::string& url) = 0;
};

// Runs gpgv (as apt does) in a private temporary directory, with GNUPGHOME
// pointing there so no user keyring is read or created. A signature counts
// when gpgv reports GOODSIG and VALIDSIG for it with a hash stronger than SHA-1;
// any BADSIG makes the whole file bad. Thread-safe.
class GpgvVerifier : public SignatureVerifier {
 public:
  explicit GpgvVerifier(std::string gpgv_path = "/usr/bin/gpgv");
  Result<std::string> VerifyClearsigned(std::string_view signed_text, const TrustedKeys& keys,
                                        const std::string& url) override;
  Result<std::string> VerifyDetached(std::string_view data, std::string_view signature,
                                     const TrustedKeys& keys, const std::string& url) override;

 private:
  // Runs gpgv on files written from `inputs` (name → bytes) with `args`
  // appended; returns the --output file's content when the status is good.
  Result<std::string> Run(const std::vector<std::pair<std::string, std::string_view>>& inputs,
                          const std::vector<std::string>& args, const TrustedKeys& keys,
                          const std::string& output_name, const std::string& url);
  std::string gpgv_path_;
};

// The verdict on gpgv's --status-fd lines: ok, or why the signature fails.
Status JudgeGpgvStatus(std::string_view status_lines, const std::string& url);

// Turns an ASCII-armored key block (or several) into binary OpenPGP packets.
Result<std::string> DearmorKey(std::string_view armored);

// "Sat, 10 Jun 2023 08:54:53 UTC" → seconds since the epoch.
Result<int64_t> ParseReleaseDate(std::string_view text);

struct ReleaseFileEntry {
  std::string path;  // relative to dists/<suite>/, e.g. "main/binary-amd64/Packages.xz"
  uint64_t size = 0;
  std::string sha256;  // lowercase hex
};

struct Release {
  std::string origin;
  std::string label;
  std::string suite;
  std::string codename;
  std::string version;
  std::optional<int64_t> date;
  std::optional<int64_t> valid_until;
  bool acquire_by_hash = false;
  std::vector<std::string> architectures;
  std::vector<std::string> components;
  std::map<std::string, ReleaseFileEntry> files;  // by path, from the SHA256 field

  const ReleaseFileEntry* Find(std::string_view path) const;
};

// Parses verified Release text. `url` names it in errors.
Result<Release> ParseRelease(std::string_view verified_text, const std::string& url);

// Rejects a Release that has expired (Valid-Until in the past, unless
// check_valid_until is off as in "Check-Valid-Until: no"), or whose Date lies
// more than `max_future_seconds` ahead of `now` (a clock or replay problem).
Status CheckReleaseFreshness(const Release& release, int64_t now, bool check_valid_until,
                             const std::string& url, int64_t max_future_seconds = 10 * 86400);

// Rejects a Release whose Suite and Codename both differ from the suite it
// was fetched as (a mirror serving the wrong distribution, or a replay).
Status CheckReleaseSuite(const Release& release, std::string_view requested_suite,
                         const std::string& url);

}  // namespace distill::debian
