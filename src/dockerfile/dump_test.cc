#include "dockerfile/dump.h"

#include <gtest/gtest.h>

#include "dockerfile/go_text.h"
#include "dockerfile/parser.h"

namespace distill::dockerfile {
namespace {

using syntax::GoQuote;

TEST(GoQuote, EscapesLikeStrconvQuote) {
  EXPECT_EQ(GoQuote(""), "\"\"");
  EXPECT_EQ(GoQuote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(GoQuote("\a\b\f\n\r\t\v"), "\"\\a\\b\\f\\n\\r\\t\\v\"");
  EXPECT_EQ(GoQuote(std::string("\0\x1f\x7f", 3)), "\"\\x00\\x1f\\x7f\"");
  EXPECT_EQ(GoQuote("\xff\xc3"), "\"\\xff\\xc3\"");           // invalid UTF-8
  EXPECT_EQ(GoQuote("\xed\xa0\x80"), "\"\\xed\\xa0\\x80\"");  // encoded surrogate
  EXPECT_EQ(GoQuote("\xc2\xa0"), "\"\\u00a0\"");              // no-break space
  EXPECT_EQ(GoQuote("\xe2\x80\x8b"), "\"\\u200b\"");          // zero-width space (Cf)
  EXPECT_EQ(GoQuote("\xf3\xa0\x80\x81"), "\"\\U000e0001\"");  // language tag (Cf)
  EXPECT_EQ(GoQuote("h\xc3\xa9 \xe2\x99\xa5 \xf0\x9f\x98\x80"),
            "\"h\xc3\xa9 \xe2\x99\xa5 \xf0\x9f\x98\x80\"");  // printable Unicode kept
}

TEST(Dump, FlagsArgsAndNestedInstructions) {
  Result<Dockerfile> df =
      Parse("FROM a\nCOPY --from=b x y\nONBUILD RUN [\"echo\", \"hi\"]\nCMD []\nHEALTHCHECK NONE\n",
            "Dockerfile");
  ASSERT_TRUE(df.ok()) << df.status().message();
  EXPECT_EQ(DumpForConformance(*df),
            "(from \"a\")\n"
            "(copy [\"--from=b\"] \"x\" \"y\")\n"
            "(onbuild (run \"echo\" \"hi\"))\n"
            "(cmd)\n"
            "(healthcheck \"NONE\")\n");
}

TEST(Dump, EmptyDockerfileDumpsNothing) {
  EXPECT_EQ(DumpForConformance(Dockerfile{}), "");
}

}  // namespace
}  // namespace distill::dockerfile
