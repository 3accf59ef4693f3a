#include "archive/decompress.h"

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdint>
#include <cstring>
#include <vector>

namespace distill::archive {
namespace {

struct DecodeStep {
  size_t consumed = 0;
  size_t produced = 0;
};

// One decompression library behind a common step function. `input_eof` says
// no input follows `in`. AtEnd() is true when every started member/frame has
// been decoded completely, i.e. the stream may legitimately stop here.
class Codec {
 public:
  virtual ~Codec() = default;
  virtual Result<DecodeStep> Decode(const uint8_t* in, size_t in_len, uint8_t* out, size_t out_len,
                                    bool input_eof) = 0;
  virtual bool AtEnd() const = 0;
};

class PlainCodec : public Codec {
 public:
  Result<DecodeStep> Decode(const uint8_t* in, size_t in_len, uint8_t* out, size_t out_len,
                            bool) override {
    size_t n = std::min(in_len, out_len);
    std::memcpy(out, in, n);
    return DecodeStep{n, n};
  }
  bool AtEnd() const override { return true; }
};

class GzipCodec : public Codec {
 public:
  explicit GzipCodec(const std::string& name) : name_(name) {
    std::memset(&zs_, 0, sizeof(zs_));
    init_ = inflateInit2(&zs_, 15 + 16);  // +16: gzip wrapper only
  }
  ~GzipCodec() override {
    if (init_ == Z_OK) inflateEnd(&zs_);
  }
  Result<DecodeStep> Decode(const uint8_t* in, size_t in_len, uint8_t* out, size_t out_len,
                            bool) override {
    if (init_ != Z_OK) return Status::Error(name_ + ": cannot initialize zlib");
    if (in_len == 0 && at_end_) return DecodeStep{};
    if (at_end_) {
      // Another member follows the one that ended.
      inflateReset(&zs_);
      at_end_ = false;
    }
    uInt in_now = static_cast<uInt>(std::min<size_t>(in_len, UINT32_MAX));
    uInt out_now = static_cast<uInt>(std::min<size_t>(out_len, UINT32_MAX));
    zs_.next_in = const_cast<Bytef*>(in);
    zs_.avail_in = in_now;
    zs_.next_out = out;
    zs_.avail_out = out_now;
    int rc = inflate(&zs_, Z_NO_FLUSH);
    DecodeStep step{in_now - zs_.avail_in, out_now - zs_.avail_out};
    if (rc == Z_STREAM_END) {
      at_end_ = true;
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return Status::Corrupt(name_ + ": corrupt gzip data: " +
                             (zs_.msg != nullptr ? zs_.msg : "error " + std::to_string(rc)));
    }
    return step;
  }
  bool AtEnd() const override { return at_end_; }

 private:
  std::string name_;
  z_stream zs_;
  int init_;
  bool at_end_ = false;
};

class ZstdCodec : public Codec {
 public:
  explicit ZstdCodec(const std::string& name) : name_(name), ds_(ZSTD_createDStream()) {}
  ~ZstdCodec() override { ZSTD_freeDStream(ds_); }
  Result<DecodeStep> Decode(const uint8_t* in, size_t in_len, uint8_t* out, size_t out_len,
                            bool) override {
    if (ds_ == nullptr) return Status::Error(name_ + ": cannot create a zstd decoder");
    ZSTD_inBuffer ib{in, in_len, 0};
    ZSTD_outBuffer ob{out, out_len, 0};
    size_t rc = ZSTD_decompressStream(ds_, &ob, &ib);
    if (ZSTD_isError(rc)) {
      return Status::Corrupt(name_ + ": corrupt zstd data: " + ZSTD_getErrorName(rc));
    }
    // 0 = a frame is complete and fully flushed; only meaningful after progress.
    if (ib.pos > 0 || ob.pos > 0) at_end_ = (rc == 0);
    return DecodeStep{ib.pos, ob.pos};
  }
  bool AtEnd() const override { return at_end_; }

 private:
  std::string name_;
  ZSTD_DStream* ds_;
  bool at_end_ = false;
};

class XzCodec : public Codec {
 public:
  explicit XzCodec(const std::string& name) : name_(name) {
    init_ = lzma_stream_decoder(&strm_, UINT64_MAX, LZMA_CONCATENATED);
  }
  ~XzCodec() override { lzma_end(&strm_); }
  Result<DecodeStep> Decode(const uint8_t* in, size_t in_len, uint8_t* out, size_t out_len,
                            bool input_eof) override {
    if (init_ != LZMA_OK) return Status::Error(name_ + ": cannot initialize the xz decoder");
    if (at_end_) return DecodeStep{};
    strm_.next_in = in;
    strm_.avail_in = in_len;
    strm_.next_out = out;
    strm_.avail_out = out_len;
    // LZMA_CONCATENATED learns where the input ends only from LZMA_FINISH.
    lzma_ret rc = lzma_code(&strm_, input_eof ? LZMA_FINISH : LZMA_RUN);
    DecodeStep step{in_len - strm_.avail_in, out_len - strm_.avail_out};
    if (rc == LZMA_STREAM_END) {
      at_end_ = true;
    } else if (rc != LZMA_OK && rc != LZMA_BUF_ERROR) {
      return Status::Corrupt(name_ + ": corrupt xz data (liblzma error " + std::to_string(rc) +
                             ")");
    }
    return step;
  }
  bool AtEnd() const override { return at_end_; }

 private:
  std::string name_;
  lzma_stream strm_ = LZMA_STREAM_INIT;
  lzma_ret init_;
  bool at_end_ = false;
};

class Bzip2Codec : public Codec {
 public:
  explicit Bzip2Codec(const std::string& name) : name_(name) { Init(); }
  ~Bzip2Codec() override {
    if (init_ == BZ_OK) BZ2_bzDecompressEnd(&bz_);
  }
  Result<DecodeStep> Decode(const uint8_t* in, size_t in_len, uint8_t* out, size_t out_len,
                            bool) override {
    if (in_len == 0 && at_end_) return DecodeStep{};
    if (at_end_) {
      // bzip2 streams concatenate like gzip members (pbzip2 writes them).
      BZ2_bzDecompressEnd(&bz_);
      Init();
      at_end_ = false;
    }
    if (init_ != BZ_OK) return Status::Error(name_ + ": cannot initialize the bzip2 decoder");
    unsigned in_now = static_cast<unsigned>(std::min<size_t>(in_len, UINT32_MAX));
    unsigned out_now = static_cast<unsigned>(std::min<size_t>(out_len, UINT32_MAX));
    bz_.next_in = reinterpret_cast<char*>(const_cast<uint8_t*>(in));
    bz_.avail_in = in_now;
    bz_.next_out = reinterpret_cast<char*>(out);
    bz_.avail_out = out_now;
    int rc = BZ2_bzDecompress(&bz_);
    DecodeStep step{in_now - bz_.avail_in, out_now - bz_.avail_out};
    if (rc == BZ_STREAM_END) {
      at_end_ = true;
    } else if (rc != BZ_OK) {
      return Status::Corrupt(name_ + ": corrupt bzip2 data (libbz2 error " + std::to_string(rc) +
                             ")");
    }
    return step;
  }
  bool AtEnd() const override { return at_end_; }

 private:
  void Init() {
    std::memset(&bz_, 0, sizeof(bz_));
    init_ = BZ2_bzDecompressInit(&bz_, 0, 0);
  }
  std::string name_;
  bz_stream bz_;
  int init_;
  bool at_end_ = false;
};

class DecompressingReader : public Reader {
 public:
  DecompressingReader(Reader* source, std::string name)
      : source_(source), name_(std::move(name)), in_(kInputSize) {}

  Result<size_t> Read(void* buf, size_t len) override {
    if (done_ || len == 0) return size_t{0};
    if (codec_ == nullptr) DISTILL_RETURN_IF_ERROR(Start());
    uint8_t* out = static_cast<uint8_t*>(buf);
    for (;;) {
      if (in_pos_ == in_end_ && !source_eof_) DISTILL_RETURN_IF_ERROR(Refill());
      bool input_eof = source_eof_ && in_pos_ == in_end_;
      DISTILL_ASSIGN_OR_RETURN(
          DecodeStep step,
          codec_->Decode(in_.data() + in_pos_, in_end_ - in_pos_, out, len, input_eof));
      in_pos_ += step.consumed;
      if (step.produced > 0) return step.produced;
      if (source_eof_ && in_pos_ == in_end_) {
        if (codec_->AtEnd()) {
          done_ = true;
          return size_t{0};
        }
        if (step.consumed == 0) {
          return Status::Corrupt(name_ + ": truncated " +
                                 std::string(CompressionFormatName(format_)) +
                                 " data (unexpected end of stream)");
        }
      } else if (step.consumed == 0 && in_pos_ < in_end_) {
        return Status::Corrupt(name_ + ": " + std::string(CompressionFormatName(format_)) +
                               " decoder made no progress");
      }
    }
  }

 private:
  static constexpr size_t kInputSize = 128 * 1024;

  // Moves the unread input to the front of the buffer and reads more after it.
  Status Refill() {
    size_t kept = in_end_ - in_pos_;
    std::memmove(in_.data(), in_.data() + in_pos_, kept);
    in_pos_ = 0;
    in_end_ = kept;
    DISTILL_ASSIGN_OR_RETURN(size_t n, source_->Read(in_.data() + in_end_, in_.size() - in_end_));
    if (n == 0) source_eof_ = true;
    in_end_ += n;
    return Status::Ok();
  }

  // Reads enough of the stream to recognize its format.
  Status Start() {
    while (in_end_ < kMaxMagicSize && !source_eof_) DISTILL_RETURN_IF_ERROR(Refill());
    format_ =
        DetectCompression(std::string_view(reinterpret_cast<const char*>(in_.data()), in_end_));
    switch (format_) {
      case CompressionFormat::kNone:
        codec_ = std::make_unique<PlainCodec>();
        break;
      case CompressionFormat::kGzip:
        codec_ = std::make_unique<GzipCodec>(name_);
        break;
      case CompressionFormat::kZstd:
        codec_ = std::make_unique<ZstdCodec>(name_);
        break;
      case CompressionFormat::kXz:
        codec_ = std::make_unique<XzCodec>(name_);
        break;
      case CompressionFormat::kBzip2:
        codec_ = std::make_unique<Bzip2Codec>(name_);
        break;
    }
    return Status::Ok();
  }

  Reader* source_;
  std::string name_;
  std::vector<uint8_t> in_;
  size_t in_pos_ = 0;
  size_t in_end_ = 0;
  bool source_eof_ = false;
  bool done_ = false;
  CompressionFormat format_ = CompressionFormat::kNone;
  std::unique_ptr<Codec> codec_;
};

}  // namespace

CompressionFormat DetectCompression(std::string_view p) {
  auto starts = [&](std::string_view magic) { return p.substr(0, magic.size()) == magic; };
  if (starts("\x1f\x8b")) return CompressionFormat::kGzip;
  if (starts("\x28\xb5\x2f\xfd")) return CompressionFormat::kZstd;
  if (starts(std::string_view("\xfd"
                              "7zXZ\x00",
                              6)))
    return CompressionFormat::kXz;
  // "BZh" + block size digit 1-9: a bare "BZh" could be a plain file.
  if (p.size() >= 4 && starts("BZh") && p[3] >= '1' && p[3] <= '9') {
    return CompressionFormat::kBzip2;
  }
  return CompressionFormat::kNone;
}

std::string_view CompressionFormatName(CompressionFormat format) {
  switch (format) {
    case CompressionFormat::kNone:
      return "uncompressed";
    case CompressionFormat::kGzip:
      return "gzip";
    case CompressionFormat::kZstd:
      return "zstd";
    case CompressionFormat::kXz:
      return "xz";
    case CompressionFormat::kBzip2:
      return "bzip2";
  }
  return "unknown";
}

std::unique_ptr<Reader> NewDecompressor(Reader* source, std::string name) {
  return std::make_unique<DecompressingReader>(source, std::move(name));
}

}  // namespace distill::archive
