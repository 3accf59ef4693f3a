#include "archive/tar_writer.h"

#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>

#include <clocale>
#include <string>
#include <vector>

#include "archive/tar_reader.h"

namespace distill::archive {
namespace {

struct Member {
  TarEntry entry;
  std::string content;
};

std::string WriteArchive(const std::vector<Member>& members, TarWriterOptions options = {}) {
  StringWriter out;
  TarWriter writer(&out, options);
  for (const auto& m : members) {
    StringReader content(m.content);
    Status st = writer.WriteEntry(m.entry, &content);
    EXPECT_TRUE(st.ok()) << st.message();
  }
  EXPECT_TRUE(writer.Finish().ok());
  EXPECT_EQ(writer.bytes_written(), out.str().size());
  return out.str();
}

std::vector<Member> ReadArchive(const std::string& bytes) {
  StringReader in(bytes);
  TarReader reader(&in, "test.tar");
  std::vector<Member> out;
  TarEntry e;
  for (;;) {
    auto next = reader.Next(&e);
    EXPECT_TRUE(next.ok()) << next.status().message();
    if (!next.ok() || !*next) break;
    Member m{e, ""};
    char buf[1000];
    for (;;) {
      auto n = reader.ReadContent(buf, sizeof buf);
      EXPECT_TRUE(n.ok());
      if (!n.ok() || *n == 0) break;
      m.content.append(buf, *n);
    }
    out.push_back(m);
  }
  return out;
}

TarEntry File(std::string path, size_t size) {
  TarEntry e;
  e.path = std::move(path);
  e.size = size;
  e.mtime_sec = 1700000000;
  return e;
}

std::vector<Member> Sample() {
  std::vector<Member> m;
  TarEntry dir = File("usr", 0);
  dir.type = TarEntryType::kDirectory;
  dir.mode = 0755;
  m.push_back({dir, ""});
  TarEntry f = File("usr/hello.txt", 5);
  f.mode = 04755;
  f.uid = 1000;
  f.gid = 1001;
  f.uname = "alice";
  f.gname = "staff";
  f.xattrs["security.capability"] = std::string("\x01\x00\x00\x02\x00\x20\x00\x00", 8);
  f.xattrs["user.note"] = "a=b\nc";
  m.push_back({f, "hello"});
  TarEntry link = File("usr/link", 0);
  link.type = TarEntryType::kSymlink;
  link.linkname = "hello.txt";
  link.mode = 0777;
  m.push_back({link, ""});
  TarEntry hard = File("usr/hard", 0);
  hard.type = TarEntryType::kHardlink;
  hard.linkname = "usr/hello.txt";
  m.push_back({hard, ""});
  TarEntry chr = File("dev/null", 0);
  chr.type = TarEntryType::kCharDevice;
  chr.devmajor = 1;
  chr.devminor = 3;
  chr.mode = 0666;
  m.push_back({chr, ""});
  TarEntry fifo = File("run/fifo", 0);
  fifo.type = TarEntryType::kFifo;
  m.push_back({fifo, ""});
  return m;
}

TEST(TarWriter, RoundTripsThroughReader) {
  auto members = Sample();
  std::string bytes = WriteArchive(members);
  EXPECT_EQ(bytes.size() % 512, 0u);
  auto back = ReadArchive(bytes);
  ASSERT_EQ(back.size(), members.size());
  for (size_t i = 0; i < members.size(); ++i) {
    EXPECT_EQ(back[i].entry, members[i].entry) << members[i].entry.path;
    EXPECT_EQ(back[i].content, members[i].content);
  }
}

TEST(TarWriter, IsDeterministic) {
  EXPECT_EQ(WriteArchive(Sample()), WriteArchive(Sample()));
}

TEST(TarWriter, EndsWithTwoZeroBlocksAndPadsContent) {
  std::string bytes = WriteArchive({{File("a", 3), "abc"}});
  ASSERT_EQ(bytes.size(), 512u * 4);  // header, padded content, two zero blocks
  EXPECT_EQ(bytes.substr(512, 3), "abc");
  EXPECT_EQ(bytes.substr(515), std::string(bytes.size() - 515, '\0'));
}

TEST(TarWriter, WholeSecondMtimesByDefault) {
  TarEntry f = File("a", 0);
  f.mtime_nsec = 123456789;
  auto back = ReadArchive(WriteArchive({{f, ""}}));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].entry.mtime_nsec, 0u);
  EXPECT_EQ(WriteArchive({{f, ""}}).size(), 512u * 3);  // no pax header

  back = ReadArchive(WriteArchive({{f, ""}}, {.subsecond_mtime = true}));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].entry.mtime_sec, 1700000000);
  EXPECT_EQ(back[0].entry.mtime_nsec, 123456789u);
}

TEST(TarWriter, LongAndNonAsciiNamesAndBigNumbers) {
  std::vector<Member> members;
  std::string dir99(99, 'd');
  members.push_back({File(dir99 + "/" + std::string(80, 'n'), 0), ""});  // ustar prefix split
  members.push_back({File(std::string(300, 'x'), 0), ""});               // pax path
  members.push_back({File("caf\xc3\xa9/na\xc3\xafve", 0), ""});          // UTF-8
  TarEntry dir = File(std::string(100, 'D'), 0);  // 101 bytes with its trailing '/'
  dir.type = TarEntryType::kDirectory;
  members.push_back({dir, ""});
  TarEntry link = File("l", 0);
  link.type = TarEntryType::kSymlink;
  link.linkname = std::string(200, 't');
  members.push_back({link, ""});
  TarEntry big = File("big-ids", 0);
  big.uid = 4000000000u;
  big.gid = 3000000;
  big.uname = std::string(40, 'u');
  big.mtime_sec = -100;
  members.push_back({big, ""});
  std::string bytes = WriteArchive(members);
  auto back = ReadArchive(bytes);
  ASSERT_EQ(back.size(), members.size());
  for (size_t i = 0; i < members.size(); ++i) {
    EXPECT_EQ(back[i].entry, members[i].entry) << i;
  }
}

TEST(TarWriter, RejectsContentOfTheWrongLength) {
  StringWriter out;
  TarWriter writer(&out);
  StringReader short_content("ab");
  Status st = writer.WriteEntry(File("short", 3), &short_content);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("short"), std::string::npos);
  StringReader long_content("abcd");
  EXPECT_FALSE(writer.WriteEntry(File("long", 3), &long_content).ok());
  TarEntry nameless = File("", 0);
  EXPECT_FALSE(writer.WriteEntry(nameless, nullptr).ok());
  TarEntry link = File("l", 0);
  link.type = TarEntryType::kSymlink;
  EXPECT_FALSE(writer.WriteEntry(link, nullptr).ok());
}

// libarchive must read what we write: the interop check that matters for layers.
TEST(TarWriter, LibarchiveReadsOurOutput) {
  auto members = Sample();
  members.push_back({File(std::string(150, 'p') + "/" + std::string(120, 'q'), 4), "data"});
  members.push_back({File("caf\xc3\xa9", 0), ""});
  std::string bytes = WriteArchive(members, {.subsecond_mtime = true});

  // libarchive converts pax's UTF-8 names to the locale's charset.
  ASSERT_NE(setlocale(LC_CTYPE, "C.UTF-8"), nullptr);
  struct archive* a = archive_read_new();
  archive_read_support_format_tar(a);
  ASSERT_EQ(archive_read_open_memory(a, bytes.data(), bytes.size()), ARCHIVE_OK);
  struct archive_entry* ae;
  size_t i = 0;
  int r;
  while ((r = archive_read_next_header(a, &ae)) == ARCHIVE_OK) {
    ASSERT_LT(i, members.size());
    const TarEntry& want = members[i].entry;
    std::string path = archive_entry_pathname(ae);
    if (want.type == TarEntryType::kDirectory) path.pop_back();
    EXPECT_EQ(path, want.path);
    EXPECT_EQ(archive_entry_uid(ae), static_cast<la_int64_t>(want.uid));
    EXPECT_EQ(archive_entry_mtime(ae), want.mtime_sec);
    EXPECT_EQ(static_cast<uint32_t>(archive_entry_perm(ae)), want.mode);
    if (want.type == TarEntryType::kFile) {
      std::string data(static_cast<size_t>(archive_entry_size(ae)), '\0');
      EXPECT_EQ(archive_read_data(a, data.data(), data.size()),
                static_cast<la_ssize_t>(data.size()));
      EXPECT_EQ(data, members[i].content);
      EXPECT_EQ(archive_entry_xattr_count(ae), static_cast<int>(want.xattrs.size()));
      archive_entry_xattr_reset(ae);
      const char* xname;
      const void* xvalue;
      size_t xsize;
      while (archive_entry_xattr_next(ae, &xname, &xvalue, &xsize) == ARCHIVE_OK) {
        ASSERT_TRUE(want.xattrs.count(xname)) << xname;
        EXPECT_EQ(std::string(static_cast<const char*>(xvalue), xsize), want.xattrs.at(xname));
      }
    }
    if (want.type == TarEntryType::kSymlink) {
      EXPECT_EQ(std::string(archive_entry_symlink(ae)), want.linkname);
    }
    if (want.type == TarEntryType::kHardlink) {
      EXPECT_EQ(std::string(archive_entry_hardlink(ae)), want.linkname);
    }
    if (want.type == TarEntryType::kCharDevice) {
      EXPECT_EQ(archive_entry_rdevmajor(ae), want.devmajor);
      EXPECT_EQ(archive_entry_rdevminor(ae), want.devminor);
    }
    ++i;
  }
  EXPECT_EQ(r, ARCHIVE_EOF) << archive_error_string(a);
  EXPECT_EQ(i, members.size());
  archive_read_free(a);
}

}  // namespace
}  // namespace distill::archive
