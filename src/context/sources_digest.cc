#include "context/sources_digest.h"

#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <map>
#include <utility>

#include "context/copy_plan.h"
#include "util/sha256.h"

namespace distill::context {
namespace {

// Feeds length-prefixed fields, so no two different inputs share a stream.
class KeyWriter {
 public:
  void Field(std::string_view s) {
    std::string len = std::to_string(s.size()) + ":";
    hasher_.Update(len);
    hasher_.Update(s);
  }
  void Field(uint64_t n) { Field(std::to_string(n)); }
  void End() { hasher_.Update("\n"); }
  std::string Finish() { return hasher_.FinishHex(); }

 private:
  Sha256 hasher_;
};

char TypeLetter(mode_t mode) {
  if (S_ISREG(mode)) return 'f';
  if (S_ISDIR(mode)) return 'd';
  if (S_ISLNK(mode)) return 'l';
  if (S_ISCHR(mode)) return 'c';
  if (S_ISBLK(mode)) return 'b';
  if (S_ISFIFO(mode)) return 'p';
  return 's';
}

struct Hardlinks {
  std::map<std::pair<dev_t, ino_t>, std::string> first_landing;
};

Status Record(KeyWriter* key, const BuildContext& tree, const CopyRequest& request,
              const std::optional<uint32_t>& chmod, const std::string& real, const struct stat& st,
              const std::string& landing, FileDigester* files, Hardlinks* links) {
  key->Field(std::string(1, TypeLetter(st.st_mode)));
  key->Field(landing.empty() ? std::string(".") : landing);
  uint32_t mode = st.st_mode & 07777;
  if (chmod && !S_ISLNK(st.st_mode)) mode = *chmod;
  key->Field(mode);
  if (!request.chown.empty()) {
    key->Field("chown=" + request.chown);
  } else if (tree.kind() == BuildContext::Kind::kStageRootfs) {
    key->Field(std::to_string(st.st_uid) + ":" + std::to_string(st.st_gid));
  } else {
    key->Field("0:0");
  }
  if (S_ISREG(st.st_mode)) {
    if (st.st_nlink > 1) {
      auto [it, inserted] =
          links->first_landing.emplace(std::make_pair(st.st_dev, st.st_ino), landing);
      if (!inserted) {
        key->Field("hardlink=" + it->second);
        key->End();
        return Status::Ok();
      }
    }
    DISTILL_ASSIGN_OR_RETURN(std::string hex, files->Sha256Of(tree, real, st));
    key->Field(hex);
  } else if (S_ISLNK(st.st_mode)) {
    std::string target(4096, '\0');
    ssize_t n = readlinkat(tree.root_fd(), real.c_str(), target.data(), target.size());
    if (n < 0) return Status::FromErrno("readlink " + real + " in " + tree.root(), errno);
    target.resize(static_cast<size_t>(n));
    key->Field(target);
  } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
    key->Field(std::to_string(major(st.st_rdev)) + "," + std::to_string(minor(st.st_rdev)));
  }
  key->End();
  return Status::Ok();
}

}  // namespace

Result<oci::Digest> SourcesDigest(const BuildContext& tree, const CopyRequest& request,
                                  FileDigester* files) {
  const std::string where = RequestWhere(request);
  auto chmod = ParseChmod(request.chmod);
  if (!chmod.ok()) return chmod.status().Prefixed(where);
  KeyWriter key;
  key.Field("distill.context.sources.v" + std::to_string(kSourcesDigestVersion));
  key.Field(request.is_add ? "add" : "copy");
  key.Field(request.parents ? "parents" : "-");
  key.Field(tree.kind() == BuildContext::Kind::kStageRootfs ? "stage" : "context");
  key.Field("chmod=" + request.chmod);
  key.Field("chown=" + request.chown);
  key.End();
  for (const auto& pattern : request.excludes) {
    key.Field("exclude");
    key.Field(pattern);
    key.End();
  }
  for (const auto& source : request.sources) {
    if (request.is_add && IsRemoteUrl(source)) {
      key.Field("url");
      key.Field(source);
      key.Field(request.checksum);
      key.End();
    }
  }
  for (const auto& heredoc : request.heredocs) {
    key.Field("heredoc");
    key.Field(heredoc.path);
    key.Field(Sha256::HexOf(heredoc.content));
    key.End();
  }
  DISTILL_ASSIGN_OR_RETURN(auto plan, PlanSources(tree, request));
  Hardlinks links;
  for (const auto& item : plan) {
    key.Field("source");
    key.Field(item.match.logical);
    key.End();
    DISTILL_RETURN_IF_ERROR(Record(&key, tree, request, *chmod, item.match.real, item.match.st,
                                   item.landing, files, &links));
    for (const auto& e : item.contents) {
      DISTILL_RETURN_IF_ERROR(
          Record(&key, tree, request, *chmod, e.entry.path, e.entry.st, e.landing, files, &links));
    }
  }
  return oci::Digest::Sha256Hex(key.Finish());
}

}  // namespace distill::context
