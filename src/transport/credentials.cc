#include "transport/credentials.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "transport/auth_challenge.h"

extern char** environ;

namespace distill::transport {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

// The parsed file; a missing file is an empty object.
Result<nlohmann::json> ReadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return nlohmann::json::object();
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().empty()) return nlohmann::json::object();
  auto doc = nlohmann::json::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::Invalid(path + ": not a JSON object (fix or remove the credentials file)");
  }
  return doc;
}

std::string StringMember(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) return "";
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

Result<Credentials> FromHelper(const HelperRunner& runner, const std::string& helper,
                               const std::string& key, const std::string& file) {
  std::string program = "docker-credential-" + helper;
  auto out = runner(program, {"get"}, key);
  if (!out.ok()) {
    return Status(out.status().code(), "credential helper " + program + " (configured in " + file +
                                           ") failed for " + key + ": " + out.status().message());
  }
  auto doc = nlohmann::json::parse(*out, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::Invalid("credential helper " + program + " gave no JSON object for " + key);
  }
  Credentials c;
  std::string user = StringMember(doc, "Username");
  std::string secret = StringMember(doc, "Secret");
  if (user == "<token>") {
    c.identity_token = secret;
  } else {
    c.username = user;
    c.password = secret;
  }
  return c;
}

// Looks `host` up in one config file.
Result<std::optional<Credentials>> LookUp(const std::string& file, const std::string& host,
                                          const HelperRunner& runner) {
  DISTILL_ASSIGN_OR_RETURN(nlohmann::json doc, ReadConfigFile(file));
  auto keys = CredentialKeysFor(host);
  if (doc.contains("credHelpers") && doc["credHelpers"].is_object()) {
    for (const auto& k : keys) {
      std::string helper = StringMember(doc["credHelpers"], k.c_str());
      if (!helper.empty()) {
        DISTILL_ASSIGN_OR_RETURN(Credentials c, FromHelper(runner, helper, k, file));
        return std::optional<Credentials>(c);
      }
    }
  }
  if (doc.contains("auths") && doc["auths"].is_object()) {
    for (const auto& k : keys) {
      auto it = doc["auths"].find(k);
      if (it == doc["auths"].end() || !it->is_object()) continue;
      Credentials c;
      c.identity_token = StringMember(*it, "identitytoken");
      std::string auth = StringMember(*it, "auth");
      if (!auth.empty()) {
        auto decoded = Base64Decode(auth);
        size_t colon = decoded.ok() ? decoded->find(':') : std::string::npos;
        if (colon == std::string::npos) {
          return Status::Invalid(file + ": the \"auth\" entry for " + k +
                                 " is not base64 of user:password (run distill login " + host +
                                 " again)");
        }
        c.username = decoded->substr(0, colon);
        c.password = decoded->substr(colon + 1);
      } else {
        c.username = StringMember(*it, "username");
        c.password = StringMember(*it, "password");
      }
      if (c.username.empty() && c.identity_token.empty()) continue;  // only a placeholder
      return std::optional<Credentials>(c);
    }
  }
  std::string store = StringMember(doc, "credsStore");
  if (!store.empty()) {
    auto c = FromHelper(runner, store, keys.front(), file);
    // A store that has nothing for this host answers an error: not fatal.
    if (c.ok()) return std::optional<Credentials>(*c);
  }
  return std::optional<Credentials>();
}

Status WriteFileAtomically(const std::string& path, const std::string& text) {
  std::filesystem::path p(path);
  std::error_code ec;
  std::filesystem::create_directories(p.parent_path(), ec);
  if (ec) return Status::Io("cannot create " + p.parent_path().string() + ": " + ec.message());
  std::string tmp = path + ".tmp." + std::to_string(getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Status::FromErrno("cannot write " + tmp, errno);
  size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Status::FromErrno("cannot write " + tmp, err);
    }
    off += size_t(n);
  }
  ::fchmod(fd, 0600);
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Status::FromErrno("cannot write " + tmp, errno);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Status::FromErrno("cannot replace " + path, err);
  }
  return Status::Ok();
}

}  // namespace

std::vector<std::string> CredentialKeysFor(const std::string& host) {
  if (host == "docker.io" || host == "index.docker.io" || host == "registry-1.docker.io") {
    return {"https://index.docker.io/v1/", "docker.io", "index.docker.io", "registry-1.docker.io",
            "https://index.docker.io/v1"};
  }
  return {host, "https://" + host, "http://" + host, "https://" + host + "/v1/",
          "https://" + host + "/v2/"};
}

Result<std::string> RunCredentialHelper(const std::string& program,
                                        const std::vector<std::string>& args,
                                        const std::string& input) {
  int in_pipe[2], out_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0) return Status::FromErrno("pipe", errno);
  if (pipe2(out_pipe, O_CLOEXEC) != 0) {
    ::close(in_pipe[0]);
    ::close(in_pipe[1]);
    return Status::FromErrno("pipe", errno);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_pipe[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(in_pipe[0]);
  ::close(out_pipe[1]);
  if (rc != 0) {
    ::close(in_pipe[1]);
    ::close(out_pipe[0]);
    return Status::FromErrno("cannot run " + program + " (is it on PATH?)", rc);
  }
  // The input is one short line: it fits in the pipe buffer.
  (void)!::write(in_pipe[1], input.data(), input.size());
  ::close(in_pipe[1]);
  std::string out;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(out_pipe[0], buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buf, size_t(n));
  }
  ::close(out_pipe[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::NotFound(program + " exited with status " +
                            std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  }
  return out;
}

CredentialStore::CredentialStore(std::vector<std::string> files, HelperRunner runner)
    : files_(std::move(files)), runner_(std::move(runner)) {}

CredentialStore CredentialStore::Default() {
  std::vector<std::string> files;
  std::string home = Env("HOME");
  if (!Env("DISTILL_AUTH_FILE").empty()) {
    files.push_back(Env("DISTILL_AUTH_FILE"));
  } else {
    std::string xdg = Env("XDG_CONFIG_HOME");
    if (xdg.empty()) xdg = home + "/.config";
    files.push_back(xdg + "/distill/auth.json");
  }
  std::string docker = Env("DOCKER_CONFIG");
  files.push_back((docker.empty() ? home + "/.docker" : docker) + "/config.json");
  return CredentialStore(std::move(files));
}

Result<std::optional<Credentials>> CredentialStore::Get(const std::string& host) const {
  auto preset = preset_.find(host);
  if (preset != preset_.end()) return std::optional<Credentials>(preset->second);
  for (const auto& f : files_) {
    DISTILL_ASSIGN_OR_RETURN(auto found, LookUp(f, host, runner_));
    if (found) return found;
  }
  return std::optional<Credentials>();
}

Status CredentialStore::Store(const std::string& host, const Credentials& creds) const {
  if (files_.empty()) return Status::Invalid("no credentials file configured");
  DISTILL_ASSIGN_OR_RETURN(nlohmann::json doc, ReadConfigFile(files_.front()));
  if (!doc.contains("auths") || !doc["auths"].is_object()) doc["auths"] = nlohmann::json::object();
  std::string key = CredentialKeysFor(host).front();
  nlohmann::json entry = nlohmann::json::object();
  entry["auth"] = Base64Encode(creds.username + ":" + creds.password);
  if (!creds.identity_token.empty()) entry["identitytoken"] = creds.identity_token;
  doc["auths"][key] = entry;
  return WriteFileAtomically(files_.front(), doc.dump(1, '\t') + "\n");
}

Status CredentialStore::Erase(const std::string& host) const {
  if (files_.empty()) return Status::Invalid("no credentials file configured");
  DISTILL_ASSIGN_OR_RETURN(nlohmann::json doc, ReadConfigFile(files_.front()));
  bool erased = false;
  if (doc.contains("auths") && doc["auths"].is_object()) {
    for (const auto& k : CredentialKeysFor(host)) erased |= doc["auths"].erase(k) > 0;
  }
  if (!erased) return Status::NotFound("not logged in to " + host + " (" + files_.front() + ")");
  return WriteFileAtomically(files_.front(), doc.dump(1, '\t') + "\n");
}

}  // namespace distill::transport
