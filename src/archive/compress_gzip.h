// ParallelGzipWriter: gzip on all cores, pigz-style. The input is cut into
// fixed-size blocks; worker threads deflate each block with the previous
// block's last 32 KiB as preset dictionary and end it with a sync flush, so the
// pieces concatenate into ONE deflate stream inside ONE standard gzip member.
// Block boundaries depend only on the input and the block size, never on the
// thread count or timing, so the output bytes are reproducible.
#pragma once

#include <zlib.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "archive/compress.h"
#include "util/io.h"

namespace distill::archive {

// Write() and Close() must be called from one thread. Memory is bounded: at most
// a few blocks per worker are in flight; Write() blocks (backpressure) until the
// oldest block is compressed and handed to `out`, compressing queued blocks
// itself meanwhile. All calls to `out` happen on the caller's thread, in order.
class ParallelGzipWriter : public Writer {
 public:
  static Result<std::unique_ptr<ParallelGzipWriter>> Create(Writer* out,
                                                            const CompressOptions& options);
  ~ParallelGzipWriter() override;
  ParallelGzipWriter(const ParallelGzipWriter&) = delete;
  ParallelGzipWriter& operator=(const ParallelGzipWriter&) = delete;

  using Writer::Write;
  Status Write(const void* data, size_t len) override;
  // Compresses the rest, writes the gzip trailer; does not close `out`.
  Status Close() override;

 private:
  struct Block;
  class Deflater;

  ParallelGzipWriter(Writer* out, int level, int threads, size_t block_size);
  Status SubmitBlock(bool last);
  // Waits for the oldest in-flight block and writes its output to out_.
  Status WriteOldest();
  Status WriteHeader();
  void WorkerLoop();

  Writer* out_;
  const int level_;
  const size_t block_size_;
  const size_t max_in_flight_;

  std::string current_;                           // block being filled
  std::shared_ptr<const std::string> previous_;   // last submitted input (dictionary)
  std::deque<std::shared_ptr<Block>> in_flight_;  // submission order
  std::unique_ptr<Deflater> inline_deflater_;     // single-thread mode only

  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::deque<std::shared_ptr<Block>> queue_;  // guarded by mu_
  bool stopping_ = false;                     // guarded by mu_
  std::vector<std::thread> workers_;

  uLong crc_ = 0;
  uint64_t total_in_ = 0;
  bool header_written_ = false;
  bool closed_ = false;
  Status error_;  // sticky: once failed, every call fails
};

}  // namespace distill::archive
