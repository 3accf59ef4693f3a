#include "archive/layer_writer.h"

#include <gtest/gtest.h>

#include "archive/compress_test_data.h"
#include "archive/decompress.h"
#include "util/sha256.h"

namespace distill::archive {
namespace {

using testing::MixedData;

Result<LayerDigests> WriteLayer(Compression c, const std::string& tar, StringWriter* dest,
                                int threads = 2) {
  CompressOptions o;
  o.threads = threads;
  DISTILL_ASSIGN_OR_RETURN(auto w, LayerWriter::Create(c, dest, o));
  for (size_t pos = 0; pos < tar.size(); pos += 10240) {
    DISTILL_RETURN_IF_ERROR(w->Write(tar.data() + pos, std::min<size_t>(10240, tar.size() - pos)));
  }
  return w->Finish();
}

TEST(LayerWriterTest, DigestsMatchIndependentHashes) {
  for (Compression c : {Compression::kGzip, Compression::kZstd, Compression::kNone}) {
    for (size_t size : {size_t{0}, size_t{1}, size_t{3 << 20}}) {
      std::string tar = MixedData(size, size + 3);
      StringWriter dest;
      auto d = WriteLayer(c, tar, &dest);
      ASSERT_TRUE(d.ok()) << d.status().message();
      EXPECT_EQ(d->diff_id.str(), "sha256:" + Sha256::HexOf(tar));
      EXPECT_EQ(d->digest.str(), "sha256:" + Sha256::HexOf(dest.str()));
      EXPECT_EQ(d->uncompressed_size, tar.size());
      EXPECT_EQ(d->compressed_size, dest.str().size());
      if (c == Compression::kNone) {
        EXPECT_EQ(dest.str(), tar);
        EXPECT_EQ(d->digest, d->diff_id);
      } else {
        EXPECT_NE(d->digest, d->diff_id);
        // The blob decompresses back to the tar.
        StringReader blob(dest.str());
        auto r = NewDecompressor(&blob, "layer");
        std::string back, buf(65536, '\0');
        for (;;) {
          auto n = r->Read(buf.data(), buf.size());
          ASSERT_TRUE(n.ok()) << n.status().message();
          if (*n == 0) break;
          back.append(buf.data(), *n);
        }
        EXPECT_EQ(back, tar);
      }
    }
  }
}

TEST(LayerWriterTest, DigestDoesNotDependOnThreads) {
  std::string tar = MixedData(1 << 20, 21);
  StringWriter one, four;
  auto a = WriteLayer(Compression::kGzip, tar, &one, 1);
  auto b = WriteLayer(Compression::kGzip, tar, &four, 4);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->digest, b->digest);
}

TEST(LayerWriterTest, FinishTwiceIsStableAndWriteAfterCloseFails) {
  StringWriter dest;
  auto w = LayerWriter::Create(Compression::kGzip, &dest);
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE((*w)->Write("hello").ok());
  auto first = (*w)->Finish();
  auto second = (*w)->Finish();
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(first->digest, second->digest);
  EXPECT_FALSE((*w)->Write("more").ok());
}

TEST(LayerWriterTest, RejectsBadLevel) {
  StringWriter dest;
  CompressOptions o;
  o.level = 42;
  auto w = LayerWriter::Create(Compression::kZstd, &dest, o);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), Status::Code::kInvalidArgument);
}

}  // namespace
}  // namespace distill::archive
