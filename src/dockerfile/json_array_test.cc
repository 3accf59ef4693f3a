#include "dockerfile/json_array.h"

#include <gtest/gtest.h>

namespace distill::dockerfile::syntax {
namespace {

using Outcome = JsonArrayParse::Outcome;

TEST(JsonArray, StringsAreDecoded) {
  JsonArrayParse p = ParseJsonStringArray(" [ \"a\" , \"\\u00e9\\n\\/\", \"\\ud83d\\ude00\" ] ");
  ASSERT_EQ(p.outcome, Outcome::kStrings);
  EXPECT_EQ(p.values, (std::vector<std::string>{"a", "\xc3\xa9\n/", "\xf0\x9f\x98\x80"}));
  EXPECT_EQ(ParseJsonStringArray("[]").outcome, Outcome::kStrings);
}

TEST(JsonArray, BadUtf8AndLoneSurrogatesBecomeReplacementChars) {
  JsonArrayParse p = ParseJsonStringArray("[\"\xff\", \"\\ud800x\", \"\\udc00\"]");
  ASSERT_EQ(p.outcome, Outcome::kStrings);
  EXPECT_EQ(p.values, (std::vector<std::string>{"\xef\xbf\xbd", "\xef\xbf\xbdx", "\xef\xbf\xbd"}));
}

TEST(JsonArray, InvalidJsonFallsBack) {
  for (const char* text : {"", "x", "[", "[\"a\"", "['a']", "[\"a\",]", "[\"a\"] x", "[01]",
                           "[\"\\x\"]", "[\"\t\"]", "[1.]", "[tru]", "{\"a\":1}", "[{\"a\"}]"}) {
    EXPECT_EQ(ParseJsonStringArray(text).outcome, Outcome::kNotJson) << text;
  }
}

TEST(JsonArray, ValidNonStringElementsAreReported) {
  for (const char* text :
       {"[1]", "[\"a\", null]", "[[\"a\"]]", "[{\"k\": [1, {}]}]", "[-0.5e+3]", "[true, false]"}) {
    EXPECT_EQ(ParseJsonStringArray(text).outcome, Outcome::kNotStringArray) << text;
  }
}

TEST(JsonArray, NestingLimitMatchesGo) {
  const std::string ok = std::string(10000, '[') + std::string(10000, ']');
  EXPECT_EQ(ParseJsonStringArray(ok).outcome, Outcome::kNotStringArray);
  const std::string too_deep = std::string(10001, '[') + std::string(10001, ']');
  EXPECT_EQ(ParseJsonStringArray(too_deep).outcome, Outcome::kNotJson);
}

}  // namespace
}  // namespace distill::dockerfile::syntax
