#include "archive/compress_zstd.h"

#include <zstd.h>

namespace distill::archive {
namespace {

Status ZstdError(const std::string& what, size_t code) {
  return Status::Error("zstd: " + what + ": " + ZSTD_getErrorName(code));
}

}  // namespace

Result<std::unique_ptr<ZstdWriter>> ZstdWriter::Create(Writer* out,
                                                       const CompressOptions& options) {
  int level = options.level == CompressOptions::kDefaultLevel ? 3 : options.level;
  if (level < 1 || level > 19) {
    return Status::Invalid("zstd level " + std::to_string(options.level) + " out of range 1..19");
  }
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  if (cctx == nullptr) return Status::Error("zstd: out of memory creating a compression context");
  std::unique_ptr<ZstdWriter> w(new ZstdWriter(out, cctx));
  size_t rc = ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level);
  if (ZSTD_isError(rc)) return ZstdError("setting level", rc);
  rc = ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  if (ZSTD_isError(rc)) return ZstdError("enabling checksums", rc);
  rc = ZSTD_CCtx_setParameter(cctx, ZSTD_c_nbWorkers, ResolveThreads(options.threads));
  if (ZSTD_isError(rc)) {
    return ZstdError("libzstd was built without multi-threading", rc);
  }
  return w;
}

ZstdWriter::ZstdWriter(Writer* out, ZSTD_CCtx_s* cctx)
    : out_(out), cctx_(cctx), buf_(ZSTD_CStreamOutSize(), '\0') {}

ZstdWriter::~ZstdWriter() {
  ZSTD_freeCCtx(cctx_);
}

Status ZstdWriter::Pump(const void* data, size_t len, int mode) {
  ZSTD_inBuffer in{data, len, 0};
  auto directive = static_cast<ZSTD_EndDirective>(mode);
  for (;;) {
    ZSTD_outBuffer out{buf_.data(), buf_.size(), 0};
    size_t remaining = ZSTD_compressStream2(cctx_, &out, &in, directive);
    if (ZSTD_isError(remaining)) return ZstdError("compress", remaining);
    if (out.pos > 0) DISTILL_RETURN_IF_ERROR(out_->Write(buf_.data(), out.pos));
    if (directive == ZSTD_e_end ? remaining == 0 : in.pos == in.size) return Status::Ok();
  }
}

Status ZstdWriter::Write(const void* data, size_t len) {
  if (closed_) return Status::Error("zstd: write after close");
  DISTILL_RETURN_IF_ERROR(error_);
  if (len == 0) return Status::Ok();
  return error_ = Pump(data, len, ZSTD_e_continue);
}

Status ZstdWriter::Close() {
  if (closed_) return error_;
  closed_ = true;
  DISTILL_RETURN_IF_ERROR(error_);
  return error_ = Pump(nullptr, 0, ZSTD_e_end);
}

}  // namespace distill::archive
