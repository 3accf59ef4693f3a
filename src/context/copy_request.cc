#include "context/copy_request.h"

#include <nlohmann/json.hpp>

#include "dockerfile/clean_path.h"

namespace distill::context {

CopyRequest CopyRequestFrom(const dockerfile::CopyCommand& cmd, const std::string& workdir) {
  CopyRequest r;
  r.is_add = cmd.is_add;
  r.sources = cmd.sources;
  r.heredocs = cmd.heredoc_sources;
  r.dest = cmd.dest;
  r.workdir = workdir.empty() ? "/" : workdir;
  r.chown = cmd.chown;
  r.chmod = cmd.chmod;
  r.excludes = cmd.excludes;
  r.parents = cmd.parents;
  r.link = cmd.link;
  r.checksum = cmd.checksum;
  return r;
}

std::string CopyRequestFingerprint(const CopyRequest& r) {
  nlohmann::json heredocs = nlohmann::json::array();
  for (const dockerfile::HeredocSource& h : r.heredocs) {
    heredocs.push_back({h.path, h.content, h.expand});
  }
  nlohmann::json j = {{"v", 1},
                      {"add", r.is_add},
                      {"sources", r.sources},
                      {"heredocs", heredocs},
                      {"dest", r.dest},
                      {"workdir", r.workdir},
                      {"chown", r.chown},
                      {"chmod", r.chmod},
                      {"excludes", r.excludes},
                      {"parents", r.parents},
                      {"checksum", r.checksum}};
  return j.dump();
}

std::string RequestWhere(const CopyRequest& request) {
  if (!request.where.empty()) return request.where;
  return request.is_add ? "ADD" : "COPY";
}

Result<std::optional<uint32_t>> ParseChmod(std::string_view chmod) {
  if (chmod.empty()) return std::optional<uint32_t>();
  uint32_t mode = 0;
  for (char c : chmod) {
    if (c < '0' || c > '7') {
      return Status::Invalid("--chmod=" + std::string(chmod) +
                             ": only octal modes (like 0755) are supported");
    }
    mode = mode * 8 + static_cast<uint32_t>(c - '0');
    if (mode > 07777) return Status::Invalid("--chmod=" + std::string(chmod) + ": mode too large");
  }
  return std::optional<uint32_t>(mode);
}

bool IsRemoteUrl(std::string_view source) {
  return source.starts_with("http://") || source.starts_with("https://");
}

bool IsGitUrl(std::string_view source) {
  if (source.starts_with("git@") || source.starts_with("git://") || source.starts_with("ssh://")) {
    return true;
  }
  if (!IsRemoteUrl(source)) return false;
  std::string_view path = source.substr(0, source.find('#'));
  return path.ends_with(".git") || path.ends_with(".git/");
}

Destination ResolveDestination(const CopyRequest& request) {
  Destination d;
  const std::string& dest = request.dest;
  d.ends_with_slash = dest.ends_with("/") || dest == "." || dest.ends_with("/.") || dest.empty();
  std::string abs = dest.starts_with("/") ? dest : request.workdir + "/" + dest;
  d.path = dockerfile::CleanPath(abs.starts_with("/") ? abs : "/" + abs);
  if (d.path == "/") d.ends_with_slash = true;
  return d;
}

}  // namespace distill::context
