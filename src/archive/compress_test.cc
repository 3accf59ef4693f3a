#include "archive/compress.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "archive/compress_test_data.h"

namespace distill::archive {
namespace {

using testing::MixedData;
using testing::ZlibGunzip;
using testing::ZstdDecode;

constexpr size_t kSmallBlock = 32 * 1024;

// Compresses `input` in pieces of `chunk` bytes (0: one Write).
std::string Compress(Compression c, const std::string& input, CompressOptions options,
                     size_t chunk = 0) {
  StringWriter sink;
  auto w = NewCompressor(c, &sink, options);
  EXPECT_TRUE(w.ok()) << w.status().message();
  if (!w.ok()) return "";
  if (chunk == 0) chunk = input.size() + 1;
  for (size_t pos = 0; pos < input.size(); pos += chunk) {
    EXPECT_TRUE((*w)->Write(input.data() + pos, std::min(chunk, input.size() - pos)).ok());
  }
  Status st = (*w)->Close();
  EXPECT_TRUE(st.ok()) << st.message();
  return sink.str();
}

CompressOptions Opts(int threads, int level = CompressOptions::kDefaultLevel,
                     size_t block = kSmallBlock) {
  CompressOptions o;
  o.threads = threads;
  o.level = level;
  o.gzip_block_size = block;
  return o;
}

std::vector<size_t> BoundarySizes() {
  return {0,
          1,
          100,
          kSmallBlock - 1,
          kSmallBlock,
          kSmallBlock + 1,
          3 * kSmallBlock,
          7 * kSmallBlock + 5};
}

TEST(GzipCompressTest, RoundTripsThroughZlibAtBlockBoundaries) {
  for (int threads : {1, 2, 4}) {
    for (size_t size : BoundarySizes()) {
      std::string input = MixedData(size, size);
      std::string gz = Compress(Compression::kGzip, input, Opts(threads));
      std::string back;
      ASSERT_TRUE(ZlibGunzip(gz, &back)) << "size " << size << " threads " << threads;
      EXPECT_EQ(back, input) << "size " << size << " threads " << threads;
    }
  }
}

TEST(GzipCompressTest, SeveralMegabytesWithSmallWritesAndDefaultBlocks) {
  std::string input = MixedData(5 << 20, 7);
  std::string gz = Compress(Compression::kGzip, input, Opts(2, 6, 128 * 1024), 4093);
  std::string back;
  ASSERT_TRUE(ZlibGunzip(gz, &back));
  EXPECT_EQ(back, input);
  EXPECT_LT(gz.size(), input.size());  // the text half compresses
}

TEST(GzipCompressTest, GzipCommandDecodesOutput) {
  std::string input = MixedData(1 << 20, 3);
  std::string gz = Compress(Compression::kGzip, input, Opts(2));
  std::string back;
  ASSERT_TRUE(testing::RunOnFile("gzip -dc <", gz, &back));
  EXPECT_EQ(back, input);
  std::string ignored;
  EXPECT_TRUE(testing::RunOnFile("gzip -t", gz, &ignored));
}

TEST(GzipCompressTest, HeaderIsReproducible) {
  std::string gz = Compress(Compression::kGzip, "hello", Opts(1, 9));
  ASSERT_GE(gz.size(), 18u);
  EXPECT_EQ(gz.substr(0, 4), std::string("\x1f\x8b\x08\x00", 4));  // no FNAME/FEXTRA
  EXPECT_EQ(gz.substr(4, 4), std::string(4, '\0'));                // mtime 0
  EXPECT_EQ(static_cast<unsigned char>(gz[8]), 2);                 // XFL: best compression
  EXPECT_EQ(static_cast<unsigned char>(gz[9]), 255);               // OS: unknown
  // Trailer: CRC-32 and size of "hello".
  uLong crc = crc32(0, reinterpret_cast<const Bytef*>("hello"), 5);
  std::string trailer = gz.substr(gz.size() - 8);
  uint32_t got_crc = 0, got_size = 0;
  for (int i = 0; i < 4; ++i) {
    got_crc |= static_cast<uint32_t>(static_cast<unsigned char>(trailer[i])) << (8 * i);
    got_size |= static_cast<uint32_t>(static_cast<unsigned char>(trailer[4 + i])) << (8 * i);
  }
  EXPECT_EQ(got_crc, crc);
  EXPECT_EQ(got_size, 5u);
}

TEST(GzipCompressTest, SameBytesForAnyThreadCountAndChunking) {
  std::string input = MixedData(2 << 20, 11);
  for (int level : {1, 6, 9}) {
    CompressOptions base = Opts(1, level, 128 * 1024);
    std::string reference = Compress(Compression::kGzip, input, base);
    for (int threads : {2, 4}) {
      EXPECT_EQ(Compress(Compression::kGzip, input, Opts(threads, level, 128 * 1024), 777),
                reference)
          << "level " << level << " threads " << threads;
    }
  }
}

TEST(GzipCompressTest, LevelsAreValidated) {
  StringWriter sink;
  EXPECT_FALSE(NewCompressor(Compression::kGzip, &sink, Opts(1, 10)).ok());
  EXPECT_FALSE(NewCompressor(Compression::kGzip, &sink, Opts(1, -2)).ok());
  EXPECT_FALSE(NewCompressor(Compression::kGzip, &sink, Opts(1, 6, 1000)).ok());
  EXPECT_TRUE(NewCompressor(Compression::kGzip, &sink, Opts(1, 0)).ok());
}

TEST(GzipCompressTest, LevelZeroStillRoundTrips) {
  std::string input = MixedData(3 * kSmallBlock + 17, 5);
  std::string back;
  ASSERT_TRUE(ZlibGunzip(Compress(Compression::kGzip, input, Opts(2, 0)), &back));
  EXPECT_EQ(back, input);
}

// A destination that fails after accepting `budget` bytes.
class FailingWriter : public Writer {
 public:
  explicit FailingWriter(size_t budget) : budget_(budget) {}
  using Writer::Write;
  Status Write(const void*, size_t len) override {
    if (len > budget_) return Status::Io("disk full");
    budget_ -= len;
    return Status::Ok();
  }
  Status Close() override { return Status::Ok(); }

 private:
  size_t budget_;
};

TEST(CompressTest, DestinationErrorsPropagate) {
  std::string input = MixedData(1 << 20, 9);
  for (Compression c : {Compression::kGzip, Compression::kZstd}) {
    for (int threads : {1, 2}) {
      FailingWriter sink(1000);
      auto w = NewCompressor(c, &sink, Opts(threads));
      ASSERT_TRUE(w.ok());
      Status st = (*w)->Write(input);
      if (st.ok()) st = (*w)->Close();
      EXPECT_FALSE(st.ok());
      EXPECT_NE(st.message().find("disk full"), std::string::npos) << st.message();
      EXPECT_FALSE((*w)->Write("x").ok());  // stays failed
    }
  }
}

TEST(ZstdCompressTest, RoundTripsAtVariousSizes) {
  for (int threads : {1, 2}) {
    for (size_t size : {size_t{0}, size_t{1}, size_t{100000}, size_t{3 << 20}}) {
      std::string input = MixedData(size, size + 1);
      std::string z = Compress(Compression::kZstd, input, Opts(threads), 10000);
      std::string back;
      ASSERT_TRUE(ZstdDecode(z, &back)) << size;
      EXPECT_EQ(back, input) << size;
    }
  }
}

TEST(ZstdCompressTest, SameBytesForAnyThreadCount) {
  // Large enough for libzstd to cut several jobs.
  std::string input = MixedData(12 << 20, 13);
  std::string reference = Compress(Compression::kZstd, input, Opts(1, 3));
  EXPECT_EQ(Compress(Compression::kZstd, input, Opts(2, 3), 100000), reference);
  EXPECT_EQ(Compress(Compression::kZstd, input, Opts(4, 3), 65536), reference);
}

TEST(ZstdCompressTest, ZstdCommandDecodesOutput) {
  std::string input = MixedData(1 << 20, 17);
  std::string back;
  ASSERT_TRUE(
      testing::RunOnFile("zstd -dc <", Compress(Compression::kZstd, input, Opts(2)), &back));
  EXPECT_EQ(back, input);
}

TEST(ZstdCompressTest, LevelsAreValidated) {
  StringWriter sink;
  EXPECT_FALSE(NewCompressor(Compression::kZstd, &sink, Opts(1, 0)).ok());
  EXPECT_FALSE(NewCompressor(Compression::kZstd, &sink, Opts(1, 20)).ok());
  EXPECT_TRUE(NewCompressor(Compression::kZstd, &sink, Opts(1, 19)).ok());
}

TEST(CompressTest, NoneIsIdentity) {
  std::string input = MixedData(100000, 2);
  EXPECT_EQ(Compress(Compression::kNone, input, Opts(1), 999), input);
}

TEST(CompressTest, ParsesNames) {
  EXPECT_EQ(*ParseCompression("gzip"), Compression::kGzip);
  EXPECT_EQ(*ParseCompression("zstd"), Compression::kZstd);
  EXPECT_EQ(*ParseCompression("uncompressed"), Compression::kNone);
  auto bad = ParseCompression("lz4");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("lz4"), std::string::npos);
  EXPECT_EQ(CompressionName(Compression::kZstd), "zstd");
  EXPECT_GE(ResolveThreads(0), 1);
  EXPECT_EQ(ResolveThreads(3), 3);
}

}  // namespace
}  // namespace distill::archive
