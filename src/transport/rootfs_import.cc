#include "transport/rootfs_import.h"

#include <time.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "archive/decompress.h"
#include "archive/layer_writer.h"
#include "oci/platform.h"
#include "store/image_store.h"
#include "transport/image_change.h"
#include "transport/image_export.h"
#include "util/file_system.h"

namespace distill::transport {
namespace {

// Reads a file descriptor (standard input).
class FdReader : public Reader {
 public:
  explicit FdReader(int fd) : fd_(fd) {}
  Result<size_t> Read(void* buf, size_t len) override {
    while (true) {
      ssize_t n = ::read(fd_, buf, len);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) return Status::FromErrno("read standard input", errno);
    }
  }

 private:
  int fd_;
};

std::string Rfc3339(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int64_t CreatedTime(int64_t requested) {
  if (requested >= 0) return requested;
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH")) {
    char* end = nullptr;
    long long v = std::strtoll(epoch, &end, 10);
    if (end != epoch && *end == '\0' && v >= 0) return v;
  }
  return static_cast<int64_t>(::time(nullptr));
}

}  // namespace

Result<oci::Digest> ImportRootfs(store::Store& store, const std::string& path,
                                 const ImportOptions& options) {
  oci::ImageConfig config;
  oci::Platform host = oci::HostPlatform();
  config.os = host.os;
  config.architecture = host.architecture;
  config.variant = host.variant;
  config.created = Rfc3339(CreatedTime(options.created_unix));
  config.has_config = true;
  for (const auto& change : options.changes) DISTILL_RETURN_IF_ERROR(ApplyChange(change, &config));

  std::unique_ptr<Reader> file;
  if (path == "-") {
    file = std::make_unique<FdReader>(0);
  } else {
    DISTILL_ASSIGN_OR_RETURN(file, DefaultFileSystem()->OpenForRead(AbsolutePath(path)));
  }
  std::string name = path == "-" ? "standard input" : path;
  auto tar = archive::NewDecompressor(file.get(), name);
  DISTILL_ASSIGN_OR_RETURN(auto blob, store.blobs().NewWriter());
  DISTILL_ASSIGN_OR_RETURN(auto layer,
                           archive::LayerWriter::Create(archive::Compression::kGzip, blob.get()));
  std::vector<char> buf(1 << 20);
  uint64_t total = 0;
  while (true) {
    auto n = tar->Read(buf.data(), buf.size());
    if (!n.ok()) return n.status().Prefixed(name);
    if (*n == 0) break;
    total += *n;
    DISTILL_RETURN_IF_ERROR(layer->Write(buf.data(), *n));
  }
  if (total == 0) return Status::Invalid(name + ": empty file, not a tar archive");
  DISTILL_ASSIGN_OR_RETURN(archive::LayerDigests digests, layer->Finish());
  DISTILL_RETURN_IF_ERROR(blob->Commit(digests.digest).status());

  config.rootfs.diff_ids.push_back(digests.diff_id);
  oci::HistoryEntry h;
  h.created = config.created;
  h.created_by = "distill import " + name;
  h.comment = options.message.empty() ? "Imported from " + name : options.message;
  config.history.push_back(h);

  oci::Descriptor d;
  d.media_type = oci::media_type::kOciLayerTarGzip;
  d.digest = digests.digest;
  d.size = static_cast<int64_t>(digests.compressed_size);
  store::WriteImageOptions wo;
  if (!options.name.empty()) wo.tags.push_back(options.name);
  return store::WriteImage(store, config, {d}, wo);
}

}  // namespace distill::transport
