#include "context/file_digester.h"

#include <unistd.h>

#include <cerrno>
#include <vector>

#include "util/sha256.h"

namespace distill::context {

Result<std::string> FileDigester::Sha256Of(const BuildContext& tree, const std::string& real,
                                           const struct stat& st) {
  std::string key = JoinTreePath(tree.root(), real);
  if (cache_ != nullptr) {
    if (auto hit = cache_->Lookup(key, st)) return *hit;
  }
  int64_t hashed_at = StatCache::CoarseNowNs();
  DISTILL_ASSIGN_OR_RETURN(exec::UniqueFd fd, tree.OpenFile(real));
  struct stat before;
  if (fstat(fd.get(), &before) != 0) return Status::FromErrno("stat " + key, errno);
  files_read_.fetch_add(1);
  Sha256 hasher;
  std::vector<char> buf(1 << 17);
  for (;;) {
    ssize_t n = read(fd.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::FromErrno("read " + key, errno);
    if (n == 0) break;
    hasher.Update(buf.data(), static_cast<size_t>(n));
    bytes_read_.fetch_add(static_cast<uint64_t>(n));
  }
  std::string hex = hasher.FinishHex();
  // Recorded under the stat taken before reading: a change during the read
  // gives a newer ctime, so the entry will not match it.
  if (cache_ != nullptr) cache_->Store(key, before, hex, hashed_at);
  return hex;
}

}  // namespace distill::context
