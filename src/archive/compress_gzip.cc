#include "archive/compress_gzip.h"

#include <algorithm>
#include <cstring>

namespace distill::archive {
namespace {

constexpr size_t kWindowSize = 32 * 1024;  // deflate's maximum match distance

}  // namespace

// One unit of parallel work. Inputs are set by the producer before the block is
// queued; outputs by one worker before `done` is set under mu_.
struct ParallelGzipWriter::Block {
  std::shared_ptr<const std::string> input;
  std::shared_ptr<const std::string> previous;  // may be null (first block)
  bool last = false;

  std::string output;
  uLong crc = 0;
  Status status;
  bool done = false;
};

// A raw-deflate z_stream reused across blocks (deflateReset keeps its memory).
class ParallelGzipWriter::Deflater {
 public:
  explicit Deflater(int level) {
    std::memset(&zs_, 0, sizeof(zs_));
    init_ = deflateInit2(&zs_, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
  }
  ~Deflater() {
    if (init_ == Z_OK) deflateEnd(&zs_);
  }
  Deflater(const Deflater&) = delete;
  Deflater& operator=(const Deflater&) = delete;

  void Compress(Block* b) {
    b->crc = crc32(0, reinterpret_cast<const Bytef*>(b->input->data()),
                   static_cast<uInt>(b->input->size()));
    if (init_ != Z_OK) {
      b->status = Status::Error("gzip: deflateInit2 failed (" + std::to_string(init_) + ")");
      return;
    }
    if (deflateReset(&zs_) != Z_OK) {
      b->status = Status::Error("gzip: deflateReset failed");
      return;
    }
    if (b->previous != nullptr && !b->previous->empty()) {
      size_t n = std::min(kWindowSize, b->previous->size());
      const char* dict = b->previous->data() + b->previous->size() - n;
      if (deflateSetDictionary(&zs_, reinterpret_cast<const Bytef*>(dict), static_cast<uInt>(n)) !=
          Z_OK) {
        b->status = Status::Error("gzip: deflateSetDictionary failed");
        return;
      }
    }
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(b->input->data()));
    zs_.avail_in = static_cast<uInt>(b->input->size());
    // Room for the worst case plus the sync-flush marker; grown if ever short.
    b->output.resize(deflateBound(&zs_, b->input->size()) + 64);
    size_t produced = 0;
    int flush = b->last ? Z_FINISH : Z_SYNC_FLUSH;
    for (;;) {
      if (produced == b->output.size()) b->output.resize(b->output.size() * 2);
      zs_.next_out = reinterpret_cast<Bytef*>(b->output.data() + produced);
      zs_.avail_out = static_cast<uInt>(b->output.size() - produced);
      int rc = deflate(&zs_, flush);
      produced = b->output.size() - zs_.avail_out;
      if (rc == Z_STREAM_END) break;
      if (rc != Z_OK && rc != Z_BUF_ERROR) {
        b->status = Status::Error("gzip: deflate failed (" + std::to_string(rc) + ")");
        return;
      }
      // A sync flush is complete once deflate leaves output space unused.
      if (!b->last && zs_.avail_in == 0 && zs_.avail_out != 0) break;
    }
    b->output.resize(produced);
  }

 private:
  z_stream zs_;
  int init_;
};

Result<std::unique_ptr<ParallelGzipWriter>> ParallelGzipWriter::Create(
    Writer* out, const CompressOptions& options) {
  int level = options.level == CompressOptions::kDefaultLevel ? 6 : options.level;
  if (level < 0 || level > 9) {
    return Status::Invalid("gzip level " + std::to_string(options.level) + " out of range 0..9");
  }
  if (options.gzip_block_size < kWindowSize || options.gzip_block_size > (64u << 20)) {
    return Status::Invalid("gzip block size " + std::to_string(options.gzip_block_size) +
                           " out of range 32 KiB..64 MiB");
  }
  return std::unique_ptr<ParallelGzipWriter>(
      new ParallelGzipWriter(out, level, ResolveThreads(options.threads), options.gzip_block_size));
}

ParallelGzipWriter::ParallelGzipWriter(Writer* out, int level, int threads, size_t block_size)
    : out_(out),
      level_(level),
      block_size_(block_size),
      max_in_flight_(4 * static_cast<size_t>(threads) + 2) {
  current_.reserve(block_size_);
  inline_deflater_ = std::make_unique<Deflater>(level_);
  if (threads > 1) {
    for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { WorkerLoop(); });
  }
}

ParallelGzipWriter::~ParallelGzipWriter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  for (auto& t : workers_) t.join();
}

void ParallelGzipWriter::WorkerLoop() {
  Deflater deflater(level_);
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    std::shared_ptr<Block> block = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    deflater.Compress(block.get());
    lock.lock();
    block->done = true;
    done_cv_.notify_all();
  }
}

Status ParallelGzipWriter::Write(const void* data, size_t len) {
  if (closed_) return Status::Error("gzip: write after close");
  DISTILL_RETURN_IF_ERROR(error_);
  const char* p = static_cast<const char*>(data);
  while (len > 0) {
    size_t n = std::min(len, block_size_ - current_.size());
    current_.append(p, n);
    p += n;
    len -= n;
    if (current_.size() == block_size_) DISTILL_RETURN_IF_ERROR(SubmitBlock(/*last=*/false));
  }
  return Status::Ok();
}

Status ParallelGzipWriter::SubmitBlock(bool last) {
  auto block = std::make_shared<Block>();
  auto input = std::make_shared<std::string>(std::move(current_));
  current_ = std::string();
  if (!last) current_.reserve(block_size_);
  block->input = input;
  block->previous = std::move(previous_);
  block->last = last;
  previous_ = input;
  total_in_ += input->size();

  while (in_flight_.size() >= max_in_flight_) DISTILL_RETURN_IF_ERROR(error_ = WriteOldest());
  in_flight_.push_back(block);
  if (workers_.empty()) {
    inline_deflater_->Compress(block.get());
    block->done = true;
    return error_ = WriteOldest();
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(block));
  }
  work_cv_.notify_one();
  // Hand finished blocks downstream early so `out` sees a steady stream.
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (in_flight_.empty() || !in_flight_.front()->done) break;
    }
    DISTILL_RETURN_IF_ERROR(error_ = WriteOldest());
  }
  return Status::Ok();
}

Status ParallelGzipWriter::WriteHeader() {
  // RFC 1952: no name, mtime 0 and a fixed OS byte (255, unknown) keep the
  // bytes independent of when and where they were made.
  unsigned char xfl = level_ == 9 ? 2 : (level_ == 1 ? 4 : 0);
  const unsigned char header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 255};
  header_written_ = true;
  return out_->Write(header, sizeof(header));
}

Status ParallelGzipWriter::WriteOldest() {
  std::shared_ptr<Block> block = std::move(in_flight_.front());
  in_flight_.pop_front();
  {
    // Rather than sleep, the caller compresses queued blocks itself: on a busy
    // machine a descheduled worker would otherwise stall the whole pipeline.
    std::unique_lock<std::mutex> lock(mu_);
    while (!block->done) {
      if (queue_.empty()) {
        done_cv_.wait(lock);
        continue;
      }
      std::shared_ptr<Block> queued = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      inline_deflater_->Compress(queued.get());
      lock.lock();
      queued->done = true;
      done_cv_.notify_all();
    }
  }
  DISTILL_RETURN_IF_ERROR(block->status);
  if (!header_written_) DISTILL_RETURN_IF_ERROR(WriteHeader());
  crc_ = crc32_combine(crc_, block->crc, static_cast<z_off_t>(block->input->size()));
  return out_->Write(block->output.data(), block->output.size());
}

Status ParallelGzipWriter::Close() {
  if (closed_) return error_;
  closed_ = true;
  DISTILL_RETURN_IF_ERROR(error_);
  DISTILL_RETURN_IF_ERROR(error_ = SubmitBlock(/*last=*/true));
  while (!in_flight_.empty()) DISTILL_RETURN_IF_ERROR(error_ = WriteOldest());
  unsigned char trailer[8];
  uint32_t crc = static_cast<uint32_t>(crc_);
  uint32_t isize = static_cast<uint32_t>(total_in_);  // RFC 1952: size modulo 2^32
  for (int i = 0; i < 4; ++i) {
    trailer[i] = static_cast<unsigned char>(crc >> (8 * i));
    trailer[4 + i] = static_cast<unsigned char>(isize >> (8 * i));
  }
  return error_ = out_->Write(trailer, sizeof(trailer));
}

}  // namespace distill::archive
