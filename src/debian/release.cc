#include "debian/release.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "debian/control.h"

extern char** environ;

namespace distill::debian {
namespace {

std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
    size_t start = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '\n') ++i;
    if (i > start) out.emplace_back(s.substr(start, i - start));
  }
  return out;
}

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

Result<std::string> DecodeBase64(std::string_view text) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    int v = Base64Value(c);
    if (v < 0) return Status::Invalid(std::string("invalid base64 character '") + c + "'");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Status WriteWholeFile(const std::string& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out) return Status::Io("cannot write " + path);
  return Status::Ok();
}

// A private directory removed when the scope ends.
class TempDir {
 public:
  static Result<TempDir> Make() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl =
        std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/distill-gpgv-XXXXXX";
    if (mkdtemp(tmpl.data()) == nullptr) return Status::FromErrno("mkdtemp " + tmpl, errno);
    return TempDir(tmpl);
  }
  TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  TempDir(const TempDir&) = delete;
  ~TempDir() {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

bool IsBlankText(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

Result<std::string> DearmorKey(std::string_view armored) {
  std::string out;
  std::istringstream in{std::string(armored)};
  std::string line;
  enum { kOutside, kHeaders, kBody } state = kOutside;
  std::string body;
  int blocks = 0;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (state == kOutside) {
      if (line == "-----BEGIN PGP PUBLIC KEY BLOCK-----") state = kHeaders;
      continue;
    }
    if (state == kHeaders) {
      if (IsBlankText(line)) state = kBody;
      continue;
    }
    if (line.starts_with("-----END PGP PUBLIC KEY BLOCK-----")) {
      auto decoded = DecodeBase64(body);
      if (!decoded.ok()) return decoded.status().Prefixed("armored key");
      out += *decoded;
      body.clear();
      ++blocks;
      state = kOutside;
      continue;
    }
    if (line.starts_with("=")) continue;  // CRC-24 line; gpgv checks the packets themselves
    body += line;
  }
  if (state != kOutside) return Status::Invalid("armored key: missing END line");
  if (blocks == 0 || out.empty()) return Status::Invalid("armored key: no PGP PUBLIC KEY BLOCK");
  return out;
}

Status JudgeGpgvStatus(std::string_view status_lines, const std::string& url) {
  int good = 0;
  std::string problems;
  std::istringstream in{std::string(status_lines)};
  std::string line;
  auto note = [&](const std::string& what) {
    if (!problems.empty()) problems += "; ";
    problems += what;
  };
  while (std::getline(in, line)) {
    auto w = Words(line);
    if (w.size() < 2 || w[0] != "[GNUPG:]") continue;
    const std::string& key = w[1];
    if (key == "BADSIG") {
      return Status::Corrupt("bad OpenPGP signature on " + url + " (key " +
                             (w.size() > 2 ? w[2] : "?") + "): the file was altered");
    } else if (key == "VALIDSIG") {
      // VALIDSIG <fpr> <date> <ts> <expire> <ver> <reserved> <pk-algo> <hash-algo> ...
      int hash_algo = w.size() > 9 ? std::atoi(w[9].c_str()) : 0;
      if (hash_algo == 1 || hash_algo == 2 || hash_algo == 3) {
        note("signature by " + w[2] + " uses a weak digest (algorithm " + w[9] + ")");
      } else {
        ++good;
      }
    } else if (key == "NO_PUBKEY") {
      note("signed by unknown key " + (w.size() > 2 ? w[2] : "?"));
    } else if (key == "EXPKEYSIG" || key == "REVKEYSIG" || key == "EXPSIG") {
      note(key + " " + (w.size() > 2 ? w[2] : "?"));
    } else if (key == "ERRSIG") {
      note("signature by " + (w.size() > 2 ? w[2] : "?") + " cannot be checked");
    }
  }
  if (good > 0) return Status::Ok();
  if (problems.empty()) problems = "no signature";
  return Status::Corrupt("no valid OpenPGP signature on " + url + ": " + problems);
}

GpgvVerifier::GpgvVerifier(std::string gpgv_path) : gpgv_path_(std::move(gpgv_path)) {}

Result<std::string> GpgvVerifier::Run(
    const std::vector<std::pair<std::string, std::string_view>>& inputs,
    const std::vector<std::string>& args, const TrustedKeys& keys, const std::string& output_name,
    const std::string& url) {
  DISTILL_ASSIGN_OR_RETURN(TempDir dir, TempDir::Make());
  for (const auto& [name, bytes] : inputs) {
    DISTILL_RETURN_IF_ERROR(WriteWholeFile(dir.path() + "/" + name, bytes));
  }
  std::vector<std::string> argv = {gpgv_path_, "--homedir", dir.path(), "--status-fd", "3"};
  if (!output_name.empty()) {
    argv.push_back("--output");
    argv.push_back(dir.path() + "/" + output_name);
  }
  for (const std::string& keyring : keys.keyring_paths) {
    if (access(keyring.c_str(), R_OK) != 0) {
      return Status::NotFound("keyring " + keyring + " for " + url +
                              " is not readable (install debian-archive-keyring?)");
    }
    argv.push_back("--keyring");
    argv.push_back(keyring);
  }
  if (!keys.inline_key.empty()) {
    auto binary = DearmorKey(keys.inline_key);
    if (!binary.ok()) return binary.status().Prefixed("Signed-By key for " + url);
    std::string path = dir.path() + "/inline-key.gpg";
    DISTILL_RETURN_IF_ERROR(WriteWholeFile(path, *binary));
    argv.push_back("--keyring");
    argv.push_back(path);
  }
  if (keys.keyring_paths.empty() && keys.inline_key.empty()) {
    return Status::Invalid("no keyring to check " + url + " against");
  }
  for (const std::string& a : args) argv.push_back(dir.path() + "/" + a);

  std::string status_path = dir.path() + "/status";
  std::string stderr_path = dir.path() + "/stderr";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&actions, 3, status_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  std::vector<char*> cargv;
  for (std::string& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  std::string env_lc = "LC_ALL=C";
  std::string env_home = "GNUPGHOME=" + dir.path();
  std::vector<char*> cenv = {env_lc.data(), env_home.data(), nullptr};
  pid_t pid = 0;
  int rc = posix_spawn(&pid, gpgv_path_.c_str(), &actions, nullptr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return Status::FromErrno("cannot run " + gpgv_path_ + " to verify " + url + " (install gpgv)",
                             rc);
  }
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0) {
    if (errno != EINTR) return Status::FromErrno("waitpid gpgv", errno);
  }
  auto status_text = ReadWholeFile(status_path);
  if (!status_text.ok()) return status_text.status();
  Status verdict = JudgeGpgvStatus(*status_text, url);
  if (!verdict.ok()) {
    auto err = ReadWholeFile(stderr_path);
    if (status_text->empty() && err.ok() && !err->empty()) {
      std::string first = err->substr(0, err->find('\n'));
      return Status::Corrupt("cannot verify " + url + ": gpgv: " + first);
    }
    return verdict;
  }
  if (output_name.empty()) return std::string();
  return ReadWholeFile(dir.path() + "/" + output_name);
}

Result<std::string> GpgvVerifier::VerifyClearsigned(std::string_view signed_text,
                                                    const TrustedKeys& keys,
                                                    const std::string& url) {
  // apt's rule: the file is one clearsigned message and nothing else.
  size_t start = signed_text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos ||
      !signed_text.substr(start).starts_with("-----BEGIN PGP SIGNED MESSAGE-----")) {
    return Status::Corrupt(url + " is not a clearsigned file (no OpenPGP signature)");
  }
  return Run({{"InRelease", signed_text}}, {"InRelease"}, keys, "body", url);
}

Result<std::string> GpgvVerifier::VerifyDetached(std::string_view data, std::string_view signature,
                                                 const TrustedKeys& keys, const std::string& url) {
  auto verified = Run({{"Release", data}, {"Release.gpg", signature}}, {"Release.gpg", "Release"},
                      keys, "", url);
  if (!verified.ok()) return verified.status();
  return std::string(data);
}

Result<int64_t> ParseReleaseDate(std::string_view text) {
  std::string s(text);
  struct tm tm = {};
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S", &tm);
  if (end == nullptr) {
    end = strptime(s.c_str(), "%d %b %Y %H:%M:%S", &tm);  // without the weekday
  }
  if (end == nullptr) return Status::Invalid("cannot parse date \"" + s + "\"");
  std::string zone = Words(end).empty() ? "" : Words(end)[0];
  int64_t offset = 0;
  if (zone == "UTC" || zone == "GMT" || zone == "Z" || zone.empty()) {
    offset = 0;
  } else if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-')) {
    int hh = std::atoi(zone.substr(1, 2).c_str());
    int mm = std::atoi(zone.substr(3, 2).c_str());
    offset = (zone[0] == '+' ? 1 : -1) * (hh * 3600 + mm * 60);
  } else {
    return Status::Invalid("unknown time zone in date \"" + s + "\"");
  }
  return static_cast<int64_t>(timegm(&tm)) - offset;
}

const ReleaseFileEntry* Release::Find(std::string_view path) const {
  auto it = files.find(std::string(path));
  return it == files.end() ? nullptr : &it->second;
}

Result<Release> ParseRelease(std::string_view verified_text, const std::string& url) {
  DISTILL_ASSIGN_OR_RETURN(auto paragraphs, ParseControl(verified_text, url));
  if (paragraphs.empty()) return Status::Corrupt(url + ": empty Release file");
  const Paragraph& p = paragraphs.front();
  Release r;
  r.origin = p.Get("Origin");
  r.label = p.Get("Label");
  r.suite = p.Get("Suite");
  r.codename = p.Get("Codename");
  r.version = p.Get("Version");
  if (p.Has("Date")) {
    auto date = ParseReleaseDate(p.Get("Date"));
    if (!date.ok()) return date.status().Prefixed(url + ": Date");
    r.date = *date;
  }
  if (p.Has("Valid-Until")) {
    auto until = ParseReleaseDate(p.Get("Valid-Until"));
    if (!until.ok()) return until.status().Prefixed(url + ": Valid-Until");
    r.valid_until = *until;
  }
  r.acquire_by_hash = p.Get("Acquire-By-Hash") == "yes";
  r.architectures = Words(p.Get("Architectures"));
  r.components = Words(p.Get("Components"));
  std::istringstream lines{p.Get("SHA256")};
  std::string line;
  while (std::getline(lines, line)) {
    auto w = Words(line);
    if (w.empty()) continue;
    if (w.size() != 3 || w[0].size() != 64 ||
        w[0].find_first_not_of("0123456789abcdef") != std::string::npos ||
        w[1].find_first_not_of("0123456789") != std::string::npos) {
      return Status::Corrupt(url + ": malformed SHA256 line \"" + line + "\"");
    }
    ReleaseFileEntry e{w[2], std::stoull(w[1]), w[0]};
    r.files[e.path] = std::move(e);
  }
  if (r.files.empty()) return Status::Corrupt(url + ": Release has no SHA256 file list");
  return r;
}

Status CheckReleaseFreshness(const Release& release, int64_t now, bool check_valid_until,
                             const std::string& url, int64_t max_future_seconds) {
  if (check_valid_until && release.valid_until && *release.valid_until < now) {
    return Status::Corrupt(url + " expired " + std::to_string((now - *release.valid_until) / 3600) +
                           " hours ago (Valid-Until); the mirror is stale, or set "
                           "Check-Valid-Until: no for a snapshot");
  }
  if (release.date && *release.date > now + max_future_seconds) {
    return Status::Corrupt(url + " is dated in the future (" +
                           std::to_string((*release.date - now) / 3600) +
                           " hours ahead); check the system clock");
  }
  return Status::Ok();
}

Status CheckReleaseSuite(const Release& release, std::string_view requested_suite,
                         const std::string& url) {
  std::string_view base = requested_suite.substr(0, requested_suite.find('/'));
  if (release.suite == requested_suite || release.codename == requested_suite ||
      (base != requested_suite && (release.codename == base || release.suite == base))) {
    return Status::Ok();
  }
  return Status::Corrupt(url + " is for suite \"" + release.suite + "\" (codename \"" +
                         release.codename + "\"), not the requested \"" +
                         std::string(requested_suite) + "\"");
}

}  // namespace distill::debian
