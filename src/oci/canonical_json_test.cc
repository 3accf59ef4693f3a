#include "oci/canonical_json.h"

#include <gtest/gtest.h>

namespace distill::oci {
namespace {

using nlohmann::json;

std::string Canon(const json& j) {
  auto r = CanonicalJson(j);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : "";
}

TEST(CanonicalJsonTest, SortsKeysAndDropsWhitespace) {
  auto parsed = ParseJson(R"({ "b": 1, "a": {"z": [1, 2, {"y": null, "x": true}], "B": false},
                              "A": "s" })",
                          "test");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(Canon(*parsed), R"({"A":"s","a":{"B":false,"z":[1,2,{"x":true,"y":null}]},"b":1})");
}

TEST(CanonicalJsonTest, KeyOrderIsByteOrder) {
  // Uppercase sorts before lowercase, a prefix before its extensions, and
  // multi-byte UTF-8 after ASCII.
  json j = {{"os.version", 1}, {"os", 2}, {"Os", 3}, {"é", 4}, {"z", 5}, {"os-x", 6}};
  EXPECT_EQ(Canon(j), "{\"Os\":3,\"os\":2,\"os-x\":6,\"os.version\":1,\"z\":5,\"é\":4}");
}

TEST(CanonicalJsonTest, SameValueSameBytesWhateverTheInputOrder) {
  auto a = ParseJson(R"({"x":1,"y":{"q":1,"p":2}})", "a");
  auto b = ParseJson("{\n  \"y\": {\"p\": 2, \"q\": 1},\n  \"x\": 1\n}", "b");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(Canon(*a), Canon(*b));
}

TEST(CanonicalJsonTest, EscapesLikeGoEncodingJson) {
  json j = std::string("<a href=\"x\">&</a>\\ \n\r\t\b\f\x01\x1f\x7f");
  EXPECT_EQ(Canon(j),
            "\"\\u003ca href=\\\"x\\\"\\u003e\\u0026\\u003c/a\\u003e\\\\ "
            "\\n\\r\\t\\b\\f\\u0001\\u001f\x7f\"");
}

TEST(CanonicalJsonTest, KeepsUtf8AsIsButEscapesLineSeparators) {
  json j = std::string("h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x90\xb3 \xe2\x80\xa8\xe2\x80\xa9");
  EXPECT_EQ(Canon(j), "\"h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x90\xb3 \\u2028\\u2029\"");
}

TEST(CanonicalJsonTest, EscapesKeysToo) {
  json j = {{"a<b", "c&d"}};
  EXPECT_EQ(Canon(j), R"({"a\u003cb":"c\u0026d"})");
}

TEST(CanonicalJsonTest, RejectsInvalidUtf8) {
  for (std::string bad : {std::string("\xff"), std::string("\xc3"), std::string("\xc0\xaf"),
                          std::string("\xed\xa0\x80"), std::string("\xf4\x90\x80\x80")}) {
    auto r = CanonicalJson(json("x" + bad));
    EXPECT_FALSE(r.ok()) << "accepted " << testing::PrintToString(bad);
    if (!r.ok()) {
      EXPECT_NE(r.status().message().find("not valid UTF-8"), std::string::npos);
    }
  }
  EXPECT_FALSE(CanonicalJson(json{{"k\xff", 1}}).ok());
}

TEST(CanonicalJsonTest, Numbers) {
  EXPECT_EQ(Canon(json(int64_t{-9223372036854775807LL - 1})), "-9223372036854775808");
  EXPECT_EQ(Canon(json(uint64_t{18446744073709551615ULL})), "18446744073709551615");
  EXPECT_EQ(Canon(json(0)), "0");
  EXPECT_EQ(Canon(json(1.5)), "1.5");
}

TEST(CanonicalJsonTest, EmptyContainers) {
  EXPECT_EQ(Canon(json::object()), "{}");
  EXPECT_EQ(Canon(json::array()), "[]");
  EXPECT_EQ(Canon(json{{"a", json::object()}, {"b", json::array()}}), R"({"a":{},"b":[]})");
}

TEST(CanonicalJsonTest, ParsedEscapesRoundTrip) {
  // What Go writes reads back to the same string, and is written the same way.
  std::string go = R"({"l":"\u003cv\u003e \u0026 \u00e9"})";
  auto j = ParseJson(go, "go");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["l"], "<v> & \xc3\xa9");
  EXPECT_EQ(Canon(*j), "{\"l\":\"\\u003cv\\u003e \\u0026 \xc3\xa9\"}");
}

TEST(CanonicalJsonTest, ParseErrorNamesSourceAndOffset) {
  auto r = ParseJson("{\"a\": 1,,}", "manifest sha256:abc");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kCorrupt);
  EXPECT_NE(r.status().message().find("manifest sha256:abc: invalid JSON at byte 9"),
            std::string::npos)
      << r.status().message();
  EXPECT_FALSE(ParseJson("", "empty").ok());
  EXPECT_FALSE(ParseJson("{} trailing", "trailing").ok());
}

}  // namespace
}  // namespace distill::oci
