#include "oci/json_fields.h"

#include <gtest/gtest.h>

namespace distill::oci {
namespace {

using nlohmann::json;

TEST(JsonFieldsTest, NullReadsAsAbsent) {
  json j = json::parse(R"({"s":null,"l":null,"m":null,"b":null,"i":null})");
  auto f = JsonFields::Of(j, "doc");
  ASSERT_TRUE(f.ok());
  std::string s = "keep";
  std::vector<std::string> l = {"keep"};
  std::map<std::string, std::string> m = {{"k", "v"}};
  bool b = true;
  int64_t i = 7;
  EXPECT_TRUE(f->String("s", &s).ok());
  EXPECT_TRUE(f->StringList("l", &l).ok());
  EXPECT_TRUE(f->StringMap("m", &m).ok());
  EXPECT_TRUE(f->Bool("b", &b).ok());
  EXPECT_TRUE(f->Int64("i", &i).ok());
  EXPECT_EQ(s, "keep");
  EXPECT_EQ(l.size(), 1u);
  EXPECT_EQ(m.size(), 1u);
  EXPECT_TRUE(b);
  EXPECT_EQ(i, 7);
  Status required = f->String("s", &s, /*required=*/true);
  EXPECT_EQ(required.message(), "doc: s: required field is missing");
}

TEST(JsonFieldsTest, PathsNest) {
  json j = json::parse(R"({"a":{"b":{"c":5}}})");
  auto top = JsonFields::Of(j, "config sha256:x");
  ASSERT_TRUE(top.ok());
  auto a = top->Child("a");
  ASSERT_TRUE(a.ok());
  auto b = a->Child("b");
  ASSERT_TRUE(b.ok());
  std::string s;
  EXPECT_EQ(b->String("c", &s).message(), "config sha256:x: a.b.c: want a string, got number");
  EXPECT_EQ(a->Child("zz").status().message(), "config sha256:x: a.zz: required field is missing");
  EXPECT_FALSE(JsonFields::Of(json::array(), "doc").ok());
}

TEST(JsonFieldsTest, UnknownKeepsTheRest) {
  json j = json::parse(R"({"known":1,"other":{"x":[1]},"z":null})");
  auto f = JsonFields::Of(j, "doc");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->Unknown({"known"}), json::parse(R"({"other":{"x":[1]},"z":null})"));
}

TEST(JsonFieldsTest, KeySet) {
  json j = json::parse(R"({"ports":{"80/tcp":{},"53/udp":{}},"bad":{"x":"y"}})");
  auto f = JsonFields::Of(j, "doc");
  std::set<std::string> ports;
  EXPECT_TRUE(f->KeySet("ports", &ports).ok());
  EXPECT_EQ(ports, (std::set<std::string>{"53/udp", "80/tcp"}));
  EXPECT_FALSE(f->KeySet("bad", &ports).ok());
  json out = json::object();
  PutKeySetIfNotEmpty(out, "ports", ports);
  PutKeySetIfNotEmpty(out, "none", {});
  EXPECT_EQ(out, json::parse(R"({"ports":{"80/tcp":{},"53/udp":{}}})"));
}

}  // namespace
}  // namespace distill::oci
