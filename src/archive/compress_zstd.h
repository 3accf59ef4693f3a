// ZstdWriter: zstd streaming compression with libzstd's own worker threads.
// libzstd is always run in its multi-threaded mode (nbWorkers >= 1, even for one
// thread): that mode cuts jobs independently of the worker count, so the bytes
// are the same for 1, 2 or 64 threads. (Single-threaded mode, nbWorkers = 0,
// produces different bytes, which is why it is never used.)
#pragma once

#include <memory>
#include <string>

#include "archive/compress.h"
#include "util/io.h"

struct ZSTD_CCtx_s;

namespace distill::archive {

// Not thread-safe. Calls to `out` happen on the caller's thread.
class ZstdWriter : public Writer {
 public:
  static Result<std::unique_ptr<ZstdWriter>> Create(Writer* out, const CompressOptions& options);
  ~ZstdWriter() override;
  ZstdWriter(const ZstdWriter&) = delete;
  ZstdWriter& operator=(const ZstdWriter&) = delete;

  using Writer::Write;
  Status Write(const void* data, size_t len) override;
  // Ends the frame and flushes it; does not close `out`.
  Status Close() override;

 private:
  ZstdWriter(Writer* out, ZSTD_CCtx_s* cctx);
  // Runs one compressStream2 step loop with `mode` (continue/end) over the input.
  Status Pump(const void* data, size_t len, int mode);

  Writer* out_;
  ZSTD_CCtx_s* cctx_;
  std::string buf_;
  bool closed_ = false;
  Status error_;
};

}  // namespace distill::archive
