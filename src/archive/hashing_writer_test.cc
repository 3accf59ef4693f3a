#include "archive/hashing_writer.h"

#include <gtest/gtest.h>

namespace distill::archive {
namespace {

TEST(HashingWriterTest, HashesAndForwards) {
  StringWriter sink;
  HashingWriter w(&sink);
  ASSERT_TRUE(w.Write("ab").ok());
  ASSERT_TRUE(w.Write("").ok());
  ASSERT_TRUE(w.Write("c").ok());
  ASSERT_TRUE(w.Close().ok());
  EXPECT_EQ(sink.str(), "abc");
  EXPECT_EQ(w.bytes(), 3u);
  // FIPS 180-2 test vector for "abc".
  EXPECT_EQ(w.digest().str(),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_FALSE(w.Write("d").ok());
}

TEST(HashingWriterTest, WorksWithoutDestinationAndOnEmptyInput) {
  HashingWriter w(nullptr);
  ASSERT_TRUE(w.Close().ok());
  EXPECT_EQ(w.bytes(), 0u);
  EXPECT_EQ(w.digest().hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(HashingWriterTest, ForwardsDestinationErrors) {
  class Full : public Writer {
   public:
    using Writer::Write;
    Status Write(const void*, size_t) override { return Status::Io("out.blob: no space"); }
    Status Close() override { return Status::Ok(); }
  } full;
  HashingWriter w(&full);
  Status st = w.Write("x");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), "out.blob: no space");
}

}  // namespace
}  // namespace distill::archive
