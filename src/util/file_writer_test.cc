#include "util/file_writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace distill {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string TempPath() {
  char path[] = "/tmp/distill-file-writer-XXXXXX";
  int fd = mkstemp(path);
  close(fd);
  return path;
}

TEST(FileWriterTest, WritesSmallAndLargePiecesInOrder) {
  std::string path = TempPath();
  auto w = FileWriter::Create(path);
  ASSERT_TRUE(w.ok()) << w.status().message();
  std::string expected;
  std::string big(3 << 20, 'x');
  for (int i = 0; i < 1000; ++i) {
    std::string piece = std::to_string(i) + ",";
    ASSERT_TRUE((*w)->Write(piece).ok());
    expected += piece;
  }
  ASSERT_TRUE((*w)->Write(big).ok());  // larger than the buffer: written directly
  expected += big;
  ASSERT_TRUE((*w)->Write("end").ok());
  expected += "end";
  ASSERT_TRUE((*w)->Close().ok());
  EXPECT_EQ(ReadFile(path), expected);
  EXPECT_FALSE((*w)->Write("late").ok());
  unlink(path.c_str());
}

TEST(FileWriterTest, SmallBufferStillWritesEverything) {
  std::string path = TempPath();
  int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC);
  ASSERT_GE(fd, 0);
  FileWriter w(fd, path, /*owns_fd=*/false, 4);
  ASSERT_TRUE(w.Write("abcdefghij").ok());
  ASSERT_TRUE(w.Write("kl").ok());
  ASSERT_TRUE(w.Write("mnop").ok());
  ASSERT_TRUE(w.Close().ok());
  EXPECT_EQ(::close(fd), 0);  // not closed by the writer
  EXPECT_EQ(ReadFile(path), "abcdefghijklmnop");
  unlink(path.c_str());
}

TEST(FileWriterTest, ErrorsNameThePath) {
  auto w = FileWriter::Create("/nonexistent-dir/blob");
  ASSERT_FALSE(w.ok());
  EXPECT_NE(w.status().message().find("/nonexistent-dir/blob"), std::string::npos);

  FileWriter bad(-1, "broken.blob", /*owns_fd=*/false, 4);
  Status st = bad.Write("more than four bytes");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("broken.blob"), std::string::npos);
}

}  // namespace
}  // namespace distill
