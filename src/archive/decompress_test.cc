#include "archive/decompress.h"

#include <bzlib.h>
#include <gtest/gtest.h>
#include <lzma.h>

#include <string>

#include "archive/compress.h"
#include "archive/compress_test_data.h"

namespace distill::archive {
namespace {

using testing::MixedData;

std::string Compress(Compression c, const std::string& input) {
  StringWriter sink;
  CompressOptions o;
  o.threads = 2;
  auto w = NewCompressor(c, &sink, o);
  EXPECT_TRUE(w.ok());
  EXPECT_TRUE((*w)->Write(input).ok());
  EXPECT_TRUE((*w)->Close().ok());
  return sink.str();
}

std::string Xz(const std::string& input) {
  std::string out(lzma_stream_buffer_bound(input.size()), '\0');
  size_t pos = 0;
  EXPECT_EQ(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr,
                                    reinterpret_cast<const uint8_t*>(input.data()), input.size(),
                                    reinterpret_cast<uint8_t*>(out.data()), &pos, out.size()),
            LZMA_OK);
  out.resize(pos);
  return out;
}

std::string Bzip2(const std::string& input) {
  std::string out(input.size() + input.size() / 100 + 600, '\0');
  unsigned len = static_cast<unsigned>(out.size());
  EXPECT_EQ(BZ2_bzBuffToBuffCompress(out.data(), &len, const_cast<char*>(input.data()),
                                     static_cast<unsigned>(input.size()), 9, 0, 0),
            BZ_OK);
  out.resize(len);
  return out;
}

// A source that hands out at most `step` bytes per Read, to exercise refills.
class TrickleReader : public Reader {
 public:
  TrickleReader(std::string data, size_t step) : data_(std::move(data)), step_(step) {}
  Result<size_t> Read(void* buf, size_t len) override {
    size_t n = std::min({len, step_, data_.size() - pos_});
    data_.copy(static_cast<char*>(buf), n, pos_);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  size_t step_;
  size_t pos_ = 0;
};

// Reads everything with reads of `read_size` bytes.
Result<std::string> ReadAll(const std::string& compressed, size_t source_step = 1 << 20,
                            size_t read_size = 65536) {
  TrickleReader source(compressed, source_step);
  auto r = NewDecompressor(&source, "layer.tar.x");
  std::string out, buf(read_size, '\0');
  for (;;) {
    DISTILL_ASSIGN_OR_RETURN(size_t n, r->Read(buf.data(), buf.size()));
    if (n == 0) return out;
    out.append(buf.data(), n);
  }
}

TEST(DetectCompressionTest, RecognizesMagicBytes) {
  EXPECT_EQ(DetectCompression(std::string("\x1f\x8b\x08", 3)), CompressionFormat::kGzip);
  EXPECT_EQ(DetectCompression("\x28\xb5\x2f\xfd"), CompressionFormat::kZstd);
  EXPECT_EQ(DetectCompression(std::string("\xfd"
                                          "7zXZ\0",
                                          6)),
            CompressionFormat::kXz);
  EXPECT_EQ(DetectCompression("BZh9"), CompressionFormat::kBzip2);
  EXPECT_EQ(DetectCompression("BZhello"), CompressionFormat::kNone);
  EXPECT_EQ(DetectCompression("\x1f"), CompressionFormat::kNone);
  EXPECT_EQ(DetectCompression(""), CompressionFormat::kNone);
  EXPECT_EQ(DetectCompression("./usr/bin"), CompressionFormat::kNone);
  EXPECT_EQ(CompressionFormatName(CompressionFormat::kXz), "xz");
}

TEST(DecompressTest, RoundTripsEveryFormat) {
  for (size_t size : {size_t{1}, size_t{5000}, size_t{700000}}) {
    std::string input = MixedData(size, size);
    for (const std::string& encoded :
         {Compress(Compression::kGzip, input), Compress(Compression::kZstd, input), Xz(input),
          Bzip2(input), input}) {
      auto back = ReadAll(encoded);
      ASSERT_TRUE(back.ok()) << back.status().message();
      EXPECT_EQ(*back, input);
      // Tiny source reads and tiny output reads must not change the result.
      auto trickled = ReadAll(encoded, 3, 7);
      ASSERT_TRUE(trickled.ok()) << trickled.status().message();
      EXPECT_EQ(*trickled, input);
    }
  }
}

TEST(DecompressTest, EmptyInputIsEmptyOutput) {
  auto back = ReadAll("");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, "");
  auto gz = ReadAll(Compress(Compression::kGzip, ""));
  ASSERT_TRUE(gz.ok());
  EXPECT_EQ(*gz, "");
}

TEST(DecompressTest, ConcatenatedMembersAndFramesDecodeAsOneStream) {
  std::string a = MixedData(100000, 1), b = MixedData(50000, 2);
  auto gz = ReadAll(Compress(Compression::kGzip, a) + Compress(Compression::kGzip, b), 1000);
  ASSERT_TRUE(gz.ok()) << gz.status().message();
  EXPECT_EQ(*gz, a + b);
  // Members written by gzip(1) itself.
  std::string gz_a, gz_b;
  ASSERT_TRUE(testing::RunOnFile("gzip -c -n <", a, &gz_a));
  ASSERT_TRUE(testing::RunOnFile("gzip -c -n <", b, &gz_b));
  auto both = ReadAll(gz_a + gz_b);
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(*both, a + b);
  auto zst = ReadAll(Compress(Compression::kZstd, a) + Compress(Compression::kZstd, b));
  ASSERT_TRUE(zst.ok());
  EXPECT_EQ(*zst, a + b);
  auto xz = ReadAll(Xz(a) + Xz(b));
  ASSERT_TRUE(xz.ok());
  EXPECT_EQ(*xz, a + b);
  auto bz = ReadAll(Bzip2(a) + Bzip2(b));
  ASSERT_TRUE(bz.ok());
  EXPECT_EQ(*bz, a + b);
}

void ExpectCorrupt(const std::string& encoded, const std::string& what) {
  auto r = ReadAll(encoded);
  ASSERT_FALSE(r.ok()) << what;
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt) << what << ": " << r.status().message();
  EXPECT_NE(r.status().message().find("layer.tar.x"), std::string::npos) << r.status().message();
}

TEST(DecompressTest, TruncatedInputIsAnError) {
  std::string input = MixedData(300000, 4);
  std::string gz = Compress(Compression::kGzip, input);
  ExpectCorrupt(gz.substr(0, gz.size() / 2), "gzip half");
  ExpectCorrupt(gz.substr(0, gz.size() - 4), "gzip without size");
  std::string zst = Compress(Compression::kZstd, input);
  ExpectCorrupt(zst.substr(0, zst.size() - 10), "zstd");
  std::string xz = Xz(input);
  ExpectCorrupt(xz.substr(0, xz.size() - 10), "xz");
  std::string bz = Bzip2(input);
  ExpectCorrupt(bz.substr(0, bz.size() - 10), "bzip2");
}

TEST(DecompressTest, CorruptInputIsAnError) {
  std::string input = MixedData(300000, 6);
  std::string gz = Compress(Compression::kGzip, input);
  std::string bad_crc = gz;
  bad_crc[bad_crc.size() - 6] ^= 0x55;
  ExpectCorrupt(bad_crc, "gzip crc");
  std::string bad_body = gz;
  for (size_t i = 100; i < 200; ++i) bad_body[i] = static_cast<char>(0xff);
  ExpectCorrupt(bad_body, "gzip body");
  ExpectCorrupt(gz + "garbage!", "gzip trailing garbage");
  std::string zst = Compress(Compression::kZstd, input);
  zst[zst.size() / 2] ^= 0x55;
  ExpectCorrupt(zst, "zstd");
  std::string xz = Xz(input);
  xz[xz.size() / 2] ^= 0x55;
  ExpectCorrupt(xz, "xz");
  std::string bz = Bzip2(input);
  bz[bz.size() / 2] ^= 0x55;
  ExpectCorrupt(bz, "bzip2");
}

TEST(DecompressTest, SourceErrorsPropagate) {
  class BrokenReader : public Reader {
   public:
    Result<size_t> Read(void*, size_t) override { return Status::Io("connection reset"); }
  } source;
  auto r = NewDecompressor(&source, "blob");
  char buf[16];
  auto n = r->Read(buf, sizeof(buf));
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), Status::Code::kIo);
}

}  // namespace
}  // namespace distill::archive
