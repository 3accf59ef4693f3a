#include "archive/tar_reader.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "archive/tar_format.h"
#include "archive/tar_writer.h"

namespace distill::archive {
namespace {

namespace tf = tar_format;

// Builds a raw header block by hand, the way other tar implementations do.
std::string RawHeader(const std::string& name, char type, uint64_t size,
                      const char* magic =
                          "ustar\0"
                          "00") {
  std::string b(512, '\0');
  std::memcpy(b.data(), name.data(), std::min<size_t>(name.size(), 100));
  std::snprintf(b.data() + 100, 8, "%07o", 0644);
  std::snprintf(b.data() + 108, 8, "%07o", 0);
  std::snprintf(b.data() + 116, 8, "%07o", 0);
  std::snprintf(b.data() + 124, 12, "%011llo", static_cast<unsigned long long>(size));
  std::snprintf(b.data() + 136, 12, "%011o", 0);
  b[156] = type;
  std::memcpy(b.data() + 257, magic, 8);
  uint64_t sum = tf::HeaderChecksum(reinterpret_cast<const unsigned char*>(b.data()), nullptr);
  std::snprintf(b.data() + 148, 8, "%06llo", static_cast<unsigned long long>(sum));
  b[155] = ' ';
  return b;
}

std::string Padded(std::string s) {
  s.resize(tf::PaddedSize(s.size()), '\0');
  return s;
}

const std::string kEnd(1024, '\0');

Result<std::vector<TarEntry>> ReadAll(const std::string& bytes) {
  StringReader in(bytes);
  TarReader reader(&in, "layer sha256:abc");
  std::vector<TarEntry> out;
  for (;;) {
    TarEntry e;
    DISTILL_ASSIGN_OR_RETURN(bool more, reader.Next(&e));
    if (!more) return out;
    out.push_back(e);
  }
}

std::string OneFileArchive() {
  StringWriter out;
  TarWriter w(&out);
  TarEntry e;
  e.path = "etc/motd";
  e.size = 700;
  StringReader content(std::string(700, 'm'));
  EXPECT_TRUE(w.WriteEntry(e, &content).ok());
  EXPECT_TRUE(w.Finish().ok());
  return out.str();
}

TEST(TarReader, ReadsGnuLongNamesAndLinks) {
  std::string long_name(250, 'n');
  std::string long_link(180, 'k');
  std::string bytes = RawHeader("././@LongLink", 'L', long_name.size() + 1) +
                      Padded(long_name + '\0') + RawHeader("././@LongLink", 'K', long_link.size()) +
                      Padded(long_link) + RawHeader("short", '2', 0, "ustar  \0") + kEnd;
  auto entries = ReadAll(bytes);
  ASSERT_TRUE(entries.ok()) << entries.status().message();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].path, long_name);
  EXPECT_EQ((*entries)[0].linkname, long_link);
  EXPECT_EQ((*entries)[0].type, TarEntryType::kSymlink);
}

TEST(TarReader, IgnoresGlobalPaxHeadersAndUnknownKeys) {
  std::string global = "21 comment=some text\n";
  std::string local = "17 atime=123.456\n16 path=renamed\n";
  std::string bytes = RawHeader("pax_global_header", 'g', global.size()) + Padded(global) +
                      RawHeader("PaxHeaders/x", 'x', local.size()) + Padded(local) +
                      RawHeader("x", '0', 3) + Padded("abc") + RawHeader("dir/", '5', 0) +
                      RawHeader("old-dir/", '\0', 0) + kEnd;
  auto entries = ReadAll(bytes);
  ASSERT_TRUE(entries.ok()) << entries.status().message();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].path, "renamed");
  EXPECT_EQ((*entries)[0].size, 3u);
  EXPECT_EQ((*entries)[1].path, "dir");
  EXPECT_EQ((*entries)[2].type, TarEntryType::kDirectory);
}

TEST(TarReader, SkipsUnreadContent) {
  std::string bytes =
      RawHeader("a", '0', 600) + Padded(std::string(600, 'a')) + RawHeader("b", '0', 0) + kEnd;
  auto entries = ReadAll(bytes);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[1].path, "b");
}

TEST(TarReader, RejectsChecksumMismatch) {
  std::string bytes = OneFileArchive();
  bytes[10] ^= 1;  // inside the name, after the checksum was computed
  auto entries = ReadAll(bytes);
  ASSERT_FALSE(entries.ok());
  EXPECT_EQ(entries.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(entries.status().message().find("checksum"), std::string::npos);
  EXPECT_NE(entries.status().message().find("layer sha256:abc"), std::string::npos);
}

TEST(TarReader, RejectsTruncation) {
  std::string full = OneFileArchive();
  for (size_t cut : {size_t{100}, size_t{512 + 10}, size_t{512 + 700}}) {
    std::string bytes = full.substr(0, cut);
    StringReader in(bytes);
    TarReader reader(&in, "t.tar");
    TarEntry e;
    auto first = reader.Next(&e);
    Status st = first.status();
    if (first.ok()) {
      char buf[4096];
      for (;;) {
        auto n = reader.ReadContent(buf, sizeof buf);
        if (!n.ok()) {
          st = n.status();
          break;
        }
        if (*n == 0) break;
      }
      if (st.ok()) st = reader.Next(&e).status();
    }
    ASSERT_FALSE(st.ok()) << "cut at " << cut;
    EXPECT_NE(st.message().find("truncated"), std::string::npos) << st.message();
  }
}

TEST(TarReader, RejectsGarbageAndBadPax) {
  EXPECT_FALSE(ReadAll(std::string(512, 'x')).ok());
  std::string lonely_zero = std::string(512, '\0') + RawHeader("a", '0', 0) + kEnd;
  EXPECT_FALSE(ReadAll(lonely_zero).ok());
  std::string bad_pax = "99 path=x\n";
  EXPECT_FALSE(
      ReadAll(RawHeader("p", 'x', bad_pax.size()) + Padded(bad_pax) + RawHeader("a", '0', 0) + kEnd)
          .ok());
  std::string bad_size = "12 size=zz\n";
  EXPECT_FALSE(ReadAll(RawHeader("p", 'x', bad_size.size()) + Padded(bad_size) +
                       RawHeader("a", '0', 0) + kEnd)
                   .ok());
  auto sparse = ReadAll(RawHeader("s", 'S', 0) + kEnd);
  ASSERT_FALSE(sparse.ok());
  EXPECT_NE(sparse.status().message().find("unsupported entry type 'S'"), std::string::npos);
}

TEST(TarReader, AcceptsCleanEndWithoutMarker) {
  std::string full = OneFileArchive();
  auto entries = ReadAll(full.substr(0, full.size() - 1024));
  ASSERT_TRUE(entries.ok()) << entries.status().message();
  EXPECT_EQ(entries->size(), 1u);
}

}  // namespace
}  // namespace distill::archive
