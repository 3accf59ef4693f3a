#include "context/copy_into.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <map>

#include "context/copy_plan.h"
#include "context/dest_tree.h"
#include "context/local_archive.h"
#include "exec/user_lookup.h"
#include "oci/digest.h"

namespace distill::context {
namespace {

std::string Join(const std::string& dir, const std::string& rel) {
  if (rel.empty()) return dir;
  return dir == "/" ? "/" + rel : dir + "/" + rel;
}

std::string Parent(const std::string& abs) {
  size_t slash = abs.rfind('/');
  return slash == 0 ? "/" : abs.substr(0, slash);
}

std::string Base(const std::string& abs) {
  return abs.substr(abs.rfind('/') + 1);
}

bool AllDigits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// --chown: Docker's rules for COPY/ADD, resolved in the destination rootfs.
Result<std::optional<Owner>> ResolveChown(const std::string& spec, const std::string& rootfs) {
  if (spec.empty()) return std::optional<Owner>();
  DISTILL_ASSIGN_OR_RETURN(exec::ResolvedUser user, exec::ResolveUserInRootfs(rootfs, spec));
  Owner owner{user.uid, user.gid};
  if (spec.find(':') == std::string::npos && AllDigits(spec)) owner.gid = owner.uid;
  return std::optional<Owner>(owner);
}

class Copier {
 public:
  Copier(const BuildContext& source, const CopyRequest& request, DestTree* dest,
         std::optional<Owner> chown, std::optional<uint32_t> chmod)
      : source_(source), request_(request), dest_(dest), chown_(chown), chmod_(chmod) {}

  // Metadata for a copied object whose source lstat is `st`.
  WriteMeta MetaFor(const struct stat& st) const {
    WriteMeta m;
    m.mode = (chmod_ && !S_ISLNK(st.st_mode)) ? *chmod_ : (st.st_mode & 07777);
    if (chown_) {
      m.owner = chown_;
    } else if (source_.kind() == BuildContext::Kind::kStageRootfs) {
      m.owner = Owner{st.st_uid, st.st_gid};
    } else {
      m.owner = Owner{0, 0};
    }
    m.mtime = st.st_mtim;
    m.atime = st.st_atim;
    return m;
  }
  // Metadata for a directory this copy creates to hold what it copies.
  WriteMeta HolderMeta() const {
    WriteMeta m;
    m.mode = 0755;
    m.owner = chown_ ? chown_ : std::optional<Owner>(Owner{0, 0});
    return m;
  }

  // Writes one object (not a directory's contents) at absolute `target`.
  Status WriteOne(const std::string& real, const struct stat& st, const std::string& target,
                  int parent_fd) {
    std::string name = Base(target);
    WriteMeta meta = MetaFor(st);
    if (S_ISREG(st.st_mode)) {
      if (st.st_nlink > 1) {
        auto key = std::make_pair(st.st_dev, st.st_ino);
        auto it = links_.find(key);
        if (it != links_.end()) return dest_->WriteHardlink(parent_fd, name, target, it->second);
        links_[key] = target;
      }
      DISTILL_ASSIGN_OR_RETURN(exec::UniqueFd in, source_.OpenFile(real));
      return dest_->WriteFileFromFd(parent_fd, name, target, in.get(), meta);
    }
    if (S_ISLNK(st.st_mode)) {
      std::string link(4096, '\0');
      ssize_t n = readlinkat(source_.root_fd(), real.c_str(), link.data(), link.size());
      if (n < 0) return Status::FromErrno("readlink " + real + " in " + source_.root(), errno);
      link.resize(static_cast<size_t>(n));
      return dest_->WriteSymlink(parent_fd, name, target, link, meta);
    }
    if (S_ISDIR(st.st_mode)) {
      bool created = false;
      DISTILL_RETURN_IF_ERROR(dest_->WriteDirectory(parent_fd, name, target, meta, &created));
      return Status::Ok();
    }
    if (S_ISSOCK(st.st_mode)) return Status::Ok();  // sockets are not copied
    return dest_->WriteSpecial(parent_fd, name, target, st.st_mode & S_IFMT, st.st_rdev, meta);
  }

  // Copies the planned contents of a directory source; landings are taken
  // from `dest_dir`.
  Status WriteContents(const PlannedSource& item, const std::string& dest_dir) {
    std::string cached_parent;
    exec::UniqueFd parent_fd;
    for (const auto& e : item.contents) {
      std::string target = Join(dest_dir, e.landing);
      std::string parent = Parent(target);
      if (parent != cached_parent || !parent_fd.valid()) {
        DISTILL_ASSIGN_OR_RETURN(parent_fd, dest_->OpenDir(parent));
        cached_parent = parent;
      }
      DISTILL_RETURN_IF_ERROR(WriteOne(e.entry.path, e.entry.st, target, parent_fd.get()));
    }
    return Status::Ok();
  }

 private:
  const BuildContext& source_;
  const CopyRequest& request_;
  DestTree* dest_;
  std::optional<Owner> chown_;
  std::optional<uint32_t> chmod_;
  std::map<std::pair<dev_t, ino_t>, std::string> links_;
};

struct Download {
  exec::UniqueFd fd;  // a memfd holding the body
  FetchedFile file;
};

Status ParseChecksum(const std::string& checksum, oci::Digest* out) {
  auto d = oci::Digest::Parse(checksum);
  if (!d.ok()) return Status::Invalid("--checksum=" + checksum + ": " + d.status().message());
  if (d->algorithm() != "sha256") {
    return Status::Invalid("--checksum=" + checksum + ": only sha256 is supported");
  }
  *out = *d;
  return Status::Ok();
}

}  // namespace

Status CopyInto(const BuildContext& source, const CopyRequest& request,
                const std::string& dest_rootfs, const CopyEnv& env) {
  const std::string where = RequestWhere(request);
  const std::string verb = request.is_add ? "ADD" : "COPY";
  auto fail = [&](const Status& s) { return s.Prefixed(where); };

  auto chmod = ParseChmod(request.chmod);
  if (!chmod.ok()) return fail(chmod.status());
  size_t urls = 0;
  for (const auto& s : request.sources) {
    if (IsGitUrl(s)) {
      return Status::Invalid(where + ": " + s +
                             ": adding a git repository is not supported yet; clone it in a "
                             "RUN step or an earlier stage and COPY from there");
    }
    if (IsRemoteUrl(s)) {
      if (!request.is_add) {
        return Status::Invalid(where + ": source can't be a URL for COPY: " + s);
      }
      ++urls;
    }
  }
  oci::Digest want_checksum;
  if (!request.checksum.empty()) {
    if (urls == 0) {
      return Status::Invalid(where + ": --checksum can only be used with http(s) sources");
    }
    DISTILL_RETURN_IF_ERROR(fail(ParseChecksum(request.checksum, &want_checksum)));
  }

  auto plan = PlanSources(source, request);
  if (!plan.ok()) return plan.status();  // already names the instruction
  Destination dest = ResolveDestination(request);
  size_t args = request.sources.size() + request.heredocs.size();
  size_t items = plan->size() + urls + request.heredocs.size();
  if ((args > 1 || items > 1) && !dest.ends_with_slash) {
    return Status::Invalid(where + ": When using " + verb +
                           " with more than one source file, the destination must be a "
                           "directory and end with a /");
  }

  auto tree = DestTree::Open(dest_rootfs);
  if (!tree.ok()) return fail(tree.status());
  auto owner = ResolveChown(request.chown, dest_rootfs);
  if (!owner.ok()) return fail(owner.status().Prefixed("--chown=" + request.chown));
  Copier copier(source, request, &*tree, *owner, *chmod);
  WriteMeta holder = copier.HolderMeta();
  bool dest_is_dir = dest.ends_with_slash || request.parents || tree->IsDirectory(dest.path);

  // Remote sources are downloaded (to memory) and verified before anything
  // is written, so a bad checksum leaves the destination untouched.
  std::vector<Download> downloads;
  if (urls > 0) {
    std::unique_ptr<UrlFetcher> curl;
    UrlFetcher* fetcher = env.fetcher;
    if (fetcher == nullptr) {
      curl = NewCurlFetcher();
      fetcher = curl.get();
    }
    for (const auto& url : request.sources) {
      if (!IsRemoteUrl(url)) continue;
      Download d;
      d.fd = exec::UniqueFd(memfd_create("distill-add-url", MFD_CLOEXEC));
      if (!d.fd.valid()) return fail(Status::FromErrno("memfd_create", errno));
      auto fetched = fetcher->Fetch(url, d.fd.get());
      if (!fetched.ok()) return fail(fetched.status());
      if (!want_checksum.empty() && fetched->sha256_hex != want_checksum.hex()) {
        return Status::Corrupt(where + ": " + url + ": checksum mismatch: expected " +
                               want_checksum.str() + ", got sha256:" + fetched->sha256_hex);
      }
      if (dest_is_dir && fetched->filename.empty()) {
        return Status::Invalid(where + ": cannot determine a file name from " + url +
                               "; give a destination file path instead of a directory");
      }
      if (lseek(d.fd.get(), 0, SEEK_SET) != 0) return fail(Status::FromErrno("seek", errno));
      d.file = std::move(fetched).value();
      downloads.push_back(std::move(d));
    }
  }

  // Makes the destination directory and the directories of `rel` below it.
  auto make_holders = [&](const std::string& rel) -> Result<exec::UniqueFd> {
    return tree->MakeDirs(Join(dest.path, rel), holder);
  };
  auto dir_of = [](const std::string& rel) {
    size_t slash = rel.rfind('/');
    return slash == std::string::npos ? std::string() : rel.substr(0, slash);
  };

  // Where a single file with landing path `landing` goes, and its directory.
  auto file_target = [&](const std::string& landing, exec::UniqueFd* parent_fd,
                         std::string* target) -> Status {
    if (dest_is_dir) {
      DISTILL_ASSIGN_OR_RETURN(*parent_fd, make_holders(dir_of(landing)));
      *target = Join(dest.path, landing);
    } else {
      DISTILL_ASSIGN_OR_RETURN(*parent_fd, tree->MakeDirs(Parent(dest.path), holder));
      *target = dest.path;
    }
    return Status::Ok();
  };

  for (const auto& item : *plan) {
    const struct stat& st = item.match.st;
    if (item.is_dir()) {
      std::string base = Join(dest.path, item.landing);
      // The directory receiving the contents is made like any other missing
      // directory (0755, --chown owner), as BuildKit's copy does; an
      // existing one keeps its metadata.
      auto dir = tree->MakeDirs(base, holder);
      if (!dir.ok()) return fail(dir.status());
      DISTILL_RETURN_IF_ERROR(fail(copier.WriteContents(item, dest.path)));
      continue;
    }
    if (request.is_add && S_ISREG(st.st_mode)) {
      auto in = source.OpenFile(item.match.real);
      if (!in.ok()) return fail(in.status());
      if (IsTarArchive(in->get(), item.match.logical)) {
        auto dir = tree->MakeDirs(dest.path, holder);
        if (!dir.ok()) return fail(dir.status());
        DISTILL_RETURN_IF_ERROR(fail(ExtractArchive(in->get(), item.match.logical, dir->get())));
        continue;
      }
    }
    exec::UniqueFd parent_fd;
    std::string target;
    DISTILL_RETURN_IF_ERROR(fail(file_target(item.landing, &parent_fd, &target)));
    DISTILL_RETURN_IF_ERROR(fail(copier.WriteOne(item.match.real, st, target, parent_fd.get())));
  }

  for (const auto& heredoc : request.heredocs) {
    exec::UniqueFd parent_fd;
    std::string target;
    DISTILL_RETURN_IF_ERROR(fail(file_target(heredoc.path, &parent_fd, &target)));
    exec::UniqueFd mem(memfd_create("distill-heredoc", MFD_CLOEXEC));
    if (!mem.valid()) return fail(Status::FromErrno("memfd_create", errno));
    if (write(mem.get(), heredoc.content.data(), heredoc.content.size()) !=
            static_cast<ssize_t>(heredoc.content.size()) ||
        lseek(mem.get(), 0, SEEK_SET) != 0) {
      return fail(Status::FromErrno("buffer heredoc " + heredoc.path, errno));
    }
    WriteMeta meta = copier.HolderMeta();
    meta.mode = chmod->value_or(0644);
    DISTILL_RETURN_IF_ERROR(
        fail(tree->WriteFileFromFd(parent_fd.get(), Base(target), target, mem.get(), meta)));
  }

  for (auto& download : downloads) {
    exec::UniqueFd parent_fd;
    std::string target;
    DISTILL_RETURN_IF_ERROR(fail(file_target(download.file.filename, &parent_fd, &target)));
    WriteMeta meta = copier.HolderMeta();
    meta.mode = chmod->value_or(0600);
    if (download.file.mtime_seconds) {
      meta.mtime = timespec{static_cast<time_t>(*download.file.mtime_seconds), 0};
    }
    DISTILL_RETURN_IF_ERROR(fail(
        tree->WriteFileFromFd(parent_fd.get(), Base(target), target, download.fd.get(), meta)));
  }
  return fail(tree->FinishDirectories());
}

}  // namespace distill::context
