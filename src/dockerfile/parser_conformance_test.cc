// Runs the reference parser's own test data (shared/conformance): every
// dockerfile-parser case must dump byte for byte as its `result`, and every
// dockerfile-parser-negative case must be rejected with a message.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dockerfile/dump.h"
#include "dockerfile/parser.h"

namespace distill::dockerfile {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream data;
  data << in.rdbuf();
  return data.str();
}

std::vector<std::string> CaseNames(const std::string& folder) {
  std::vector<std::string> names;
  const fs::path dir = fs::path(DISTILL_SHARED_DIR) / "conformance" / folder;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string TestName(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class ParserConformance : public testing::TestWithParam<std::string> {};

TEST_P(ParserConformance, DumpMatchesReference) {
  const fs::path dir = fs::path(DISTILL_SHARED_DIR) / "conformance/dockerfile-parser" / GetParam();
  Result<Dockerfile> df = Parse(ReadFile(dir / "Dockerfile"), "Dockerfile");
  ASSERT_TRUE(df.ok()) << df.status().message();
  EXPECT_EQ(DumpForConformance(*df), ReadFile(dir / "result"));
}

INSTANTIATE_TEST_SUITE_P(Reference, ParserConformance,
                         testing::ValuesIn(CaseNames("dockerfile-parser")), TestName);

class ParserNegative : public testing::TestWithParam<std::string> {};

TEST_P(ParserNegative, IsRejected) {
  const fs::path dir =
      fs::path(DISTILL_SHARED_DIR) / "conformance/dockerfile-parser-negative" / GetParam();
  Result<Dockerfile> df = Parse(ReadFile(dir / "Dockerfile"), "Dockerfile");
  ASSERT_FALSE(df.ok());
  EXPECT_NE(df.status().message().find("Dockerfile:"), std::string::npos) << df.status().message();
}

INSTANTIATE_TEST_SUITE_P(Reference, ParserNegative,
                         testing::ValuesIn(CaseNames("dockerfile-parser-negative")), TestName);

TEST(ParserConformanceData, IsPresent) {
  EXPECT_GE(CaseNames("dockerfile-parser").size(), 20u);
  EXPECT_GE(CaseNames("dockerfile-parser-negative").size(), 4u);
}

}  // namespace
}  // namespace distill::dockerfile
