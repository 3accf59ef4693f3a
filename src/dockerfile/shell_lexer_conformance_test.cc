// Runs every case of the reference implementation's shell-expansion test data
// (../shared/conformance/shell, formats in its README) through ShellLexer.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "dockerfile/shell_lexer.h"

namespace distill::dockerfile {
namespace {

const std::string kShellDir = std::string(DISTILL_SHARED_DIR) + "/conformance/shell/";

std::vector<std::string> ReadLines(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string TrimSpace(std::string s) {
  const char* ws = " \t\r\n\v\f";
  s.erase(s.find_last_not_of(ws) + 1);
  s.erase(0, s.find_first_not_of(ws));
  return s;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(s);
  while (std::getline(in, part, sep)) parts.push_back(part);
  if (!s.empty() && s.back() == sep) parts.push_back("");
  return parts;
}

TEST(ShellLexerConformance, EnvVarTest) {
  const Environment env{{"PWD", "/home"}, {"SHELL", "bash"}, {"KOREAN", "한국어"}, {"NULL", ""}};
  const ShellLexer lexer('\\');
  const std::vector<std::string> lines = ReadLines(kShellDir + "envVarTest");
  ASSERT_GT(lines.size(), 100u);
  int cases = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string trimmed = TrimSpace(lines[i]);
    if (trimmed.empty() || trimmed[0] == '#') continue;
    std::vector<std::string> fields = Split(lines[i], '|');
    ASSERT_EQ(fields.size(), 3u) << "envVarTest:" << i + 1 << ": malformed line";
    for (auto& f : fields) f = TrimSpace(f);
    if (fields[0] == "W") continue;  // Windows-only cases
    ASSERT_TRUE(fields[0] == "A" || fields[0] == "U") << "envVarTest:" << i + 1;
    ++cases;
    const Result<std::string> got = lexer.ProcessWord(fields[1], env);
    const std::string actual = got.ok() ? *got : "error";
    EXPECT_EQ(actual, fields[2]) << "envVarTest:" << i + 1 << ": input " << fields[1]
                                 << (got.ok() ? "" : " failed: " + got.status().message());
  }
  EXPECT_GT(cases, 150);
}

TEST(ShellLexerConformance, WordsTest) {
  const ShellLexer lexer('\\');
  std::vector<std::string> env_lines;
  const std::vector<std::string> lines = ReadLines(kShellDir + "wordsTest");
  ASSERT_GT(lines.size(), 20u);
  int cases = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.rfind("#", 0) == 0) continue;
    if (line.rfind("ENV ", 0) == 0) {
      // Only leading spaces are trimmed: trailing spaces of values are data.
      env_lines.push_back(line.substr(line.find_first_not_of(' ', 3)));
      continue;
    }
    const std::vector<std::string> fields = Split(line, '|');
    ASSERT_EQ(fields.size(), 2u) << "wordsTest:" << i + 1 << ": malformed line";
    ++cases;
    const std::string input = TrimSpace(fields[0]);
    const std::string expected_joined = fields[1].substr(fields[1].find_first_not_of(' '));
    const std::vector<std::string> expected = Split(expected_joined, ',');
    const Result<std::vector<std::string>> got =
        lexer.ProcessWords(input, Environment::FromKeyValues(env_lines));
    const std::vector<std::string> actual = got.ok() ? *got : std::vector<std::string>{"error"};
    EXPECT_EQ(actual, expected) << "wordsTest:" << i + 1 << ": input " << input;
  }
  EXPECT_GT(cases, 20);
}

}  // namespace
}  // namespace distill::dockerfile
