#include "archive/compress.h"

#include <string>
#include <thread>

#include "archive/compress_gzip.h"
#include "archive/compress_zstd.h"

namespace distill::archive {
namespace {

// Compression::kNone: forwards bytes unchanged (Close does not close `out`).
class PassThroughWriter : public Writer {
 public:
  explicit PassThroughWriter(Writer* out) : out_(out) {}
  using Writer::Write;
  Status Write(const void* data, size_t len) override { return out_->Write(data, len); }
  Status Close() override { return Status::Ok(); }

 private:
  Writer* out_;
};

}  // namespace

Result<Compression> ParseCompression(std::string_view name) {
  if (name == "none" || name == "uncompressed") return Compression::kNone;
  if (name == "gzip") return Compression::kGzip;
  if (name == "zstd") return Compression::kZstd;
  return Status::Invalid("unknown compression \"" + std::string(name) +
                         "\" (want gzip, zstd or uncompressed)");
}

std::string_view CompressionName(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "uncompressed";
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
  }
  return "unknown";
}

int ResolveThreads(int requested) {
  if (requested > 0) return requested;
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

Result<std::unique_ptr<Writer>> NewCompressor(Compression compression, Writer* out,
                                              const CompressOptions& options) {
  switch (compression) {
    case Compression::kNone:
      return std::unique_ptr<Writer>(std::make_unique<PassThroughWriter>(out));
    case Compression::kGzip: {
      DISTILL_ASSIGN_OR_RETURN(auto w, ParallelGzipWriter::Create(out, options));
      return std::unique_ptr<Writer>(std::move(w));
    }
    case Compression::kZstd: {
      DISTILL_ASSIGN_OR_RETURN(auto w, ZstdWriter::Create(out, options));
      return std::unique_ptr<Writer>(std::move(w));
    }
  }
  return Status::Invalid("unknown compression");
}

}  // namespace distill::archive
