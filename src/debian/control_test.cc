#include "debian/control.h"

#include <gtest/gtest.h>

namespace distill::debian {
namespace {

TEST(ControlTest, ParsesParagraphsWithContinuationsAndEmptyLines) {
  const char* text =
      "Package: base-files\n"
      "Version: 12.4+deb12u5\n"
      "Description: Debian base system miscellaneous files\n"
      " This package contains the basic filesystem hierarchy.\n"
      " .\n"
      "  Indented verbatim line.\n"
      "\n"
      "\n"
      "package: libc6\r\n"
      "Multi-Arch: same\r\n";
  auto ps = ParseControl(text, "Packages");
  ASSERT_TRUE(ps.ok()) << ps.status().message();
  ASSERT_EQ(ps->size(), 2u);
  const Paragraph& a = (*ps)[0];
  EXPECT_EQ(a.line(), 1u);
  EXPECT_EQ(a.Get("Package"), "base-files");
  EXPECT_EQ(a.Get("version"), "12.4+deb12u5");
  EXPECT_EQ(a.Get("Description"),
            "Debian base system miscellaneous files\n"
            "This package contains the basic filesystem hierarchy.\n"
            "\n"
            " Indented verbatim line.");
  const Paragraph& b = (*ps)[1];
  EXPECT_EQ(b.line(), 9u);
  EXPECT_EQ(b.Get("Package"), "libc6");  // names are case-insensitive
  EXPECT_EQ(b.Get("Multi-Arch"), "same");
  EXPECT_FALSE(b.Has("Version"));
  EXPECT_EQ(b.Get("Version", "none"), "none");
}

TEST(ControlTest, ValueMadeOnlyOfContinuationLines) {
  auto ps = ParseControl(
      "Origin: Debian\nSHA256:\n 0123 10 main/Contents-all\n 4567 20 main/binary-amd64/Packages\n",
      "Release");
  ASSERT_TRUE(ps.ok()) << ps.status().message();
  ASSERT_EQ(ps->size(), 1u);
  EXPECT_EQ((*ps)[0].Get("SHA256"),
            "\n0123 10 main/Contents-all\n4567 20 main/binary-amd64/Packages");
}

TEST(ControlTest, CommentsOnlyWhenAllowed) {
  const char* text =
      "# leading comment\n"
      "Types: deb\n"
      "# comment inside the paragraph\n"
      "URIs: http://example.org/debian\n"
      "#\n"
      "\n"
      "# a paragraph of only comments\n"
      "\n";
  auto ps = ParseControl(text, "debian.sources", {.allow_comments = true});
  ASSERT_TRUE(ps.ok()) << ps.status().message();
  ASSERT_EQ(ps->size(), 1u);
  EXPECT_EQ((*ps)[0].Get("URIs"), "http://example.org/debian");
  EXPECT_EQ((*ps)[0].line(), 2u);

  auto strict = ParseControl(text, "Packages");
  ASSERT_FALSE(strict.ok());
  EXPECT_EQ(strict.status().message(), "Packages:1: line without a colon: \"# leading comment\"");
}

TEST(ControlTest, ErrorsNameSourceAndLine) {
  auto cont = ParseControl(" leading continuation\n", "status");
  ASSERT_FALSE(cont.ok());
  EXPECT_EQ(cont.status().message(), "status:1: continuation line before any field");
  EXPECT_EQ(cont.status().code(), Status::Code::kCorrupt);

  auto dup = ParseControl("Package: a\nVersion: 1\npackage: b\n", "Packages");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.status().message(), "Packages:3: duplicate field \"package\"");

  auto empty_name = ParseControl("Package: a\n: b\n", "Packages");
  ASSERT_FALSE(empty_name.ok());
  EXPECT_EQ(empty_name.status().message(), "Packages:2: field with an empty name");
}

TEST(ControlTest, EmptyInputHasNoParagraphs) {
  auto ps = ParseControl("\n\n  \n", "empty");
  ASSERT_TRUE(ps.ok());
  EXPECT_TRUE(ps->empty());
}

// A reader that hands out one byte per Read, to exercise line reassembly.
class TrickleReader : public Reader {
 public:
  explicit TrickleReader(std::string s) : s_(std::move(s)) {}
  Result<size_t> Read(void* buf, size_t len) override {
    if (pos_ == s_.size() || len == 0) return size_t{0};
    static_cast<char*>(buf)[0] = s_[pos_++];
    return size_t{1};
  }

 private:
  std::string s_;
  size_t pos_ = 0;
};

TEST(ControlTest, StreamingReaderHandlesSmallReadsAndNoFinalNewline) {
  TrickleReader in("A: 1\n b\n\nA: 2");
  ParagraphReader reader(&in, "trickle");
  Paragraph p;
  auto got = reader.Next(&p);
  ASSERT_TRUE(got.ok() && *got);
  EXPECT_EQ(p.Get("A"), "1\nb");
  got = reader.Next(&p);
  ASSERT_TRUE(got.ok() && *got);
  EXPECT_EQ(p.Get("A"), "2");
  EXPECT_EQ(p.line(), 4u);
  got = reader.Next(&p);
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(*got);
}

TEST(ControlTest, FormatRoundTrips) {
  const std::string text =
      "Package: hello\n"
      "Version: 2.10-3\n"
      "SHA256:\n"
      " 0123 10 main/Contents-all\n"
      "Description: example package\n"
      " first line\n"
      " .\n"
      "  indented\n";
  auto ps = ParseControl(text, "control");
  ASSERT_TRUE(ps.ok());
  EXPECT_EQ(FormatParagraph((*ps)[0]), text);
  Paragraph p;
  p.Set("Package", "x");
  p.Set("Empty", "");
  EXPECT_EQ(FormatParagraph(p), "Package: x\nEmpty:\n");
}

TEST(ControlTest, SetReplacesOrAppends) {
  Paragraph p;
  p.Set("Package", "a");
  p.Set("package", "b");
  p.Set("Version", "1");
  ASSERT_EQ(p.fields().size(), 2u);
  EXPECT_EQ(p.Get("PACKAGE"), "b");
}

}  // namespace
}  // namespace distill::debian
