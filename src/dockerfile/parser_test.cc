#include "dockerfile/parser.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "dockerfile/dump.h"

namespace distill::dockerfile {
namespace {

Dockerfile MustParse(std::string_view source) {
  Result<Dockerfile> df = Parse(source, "Dockerfile");
  EXPECT_TRUE(df.ok()) << df.status().message();
  if (!df.ok()) return {};
  return std::move(df).value();
}

std::string ErrorOf(std::string_view source) {
  Result<Dockerfile> df = Parse(source, "Dockerfile");
  EXPECT_FALSE(df.ok()) << "parsed: " << (df.ok() ? DumpForConformance(*df) : "");
  return df.ok() ? "" : df.status().message();
}

TEST(ParserDirectives, ReadsSyntaxEscapeAndCheckCaseInsensitively) {
  Dockerfile df = MustParse(
      "# SYNTAX = docker/dockerfile:1\n#Escape=`\n# check=skip=all;error=true\nFROM a\nRUN x `\n "
      "y\n");
  EXPECT_EQ(df.directives.syntax, "docker/dockerfile:1");
  EXPECT_EQ(df.directives.escape, '`');
  EXPECT_EQ(df.directives.check, "skip=all;error=true");
  ASSERT_EQ(df.instructions.size(), 2u);
  EXPECT_EQ(df.instructions[1].args[0], "x  y");
}

TEST(ParserDirectives, OnlyCountAtTheVeryTop) {
  // After a blank line, a plain comment or an instruction they are comments.
  EXPECT_EQ(MustParse("\n# escape=`\nFROM a\n").directives.escape, '\\');
  EXPECT_EQ(MustParse("# hello\n# escape=`\nFROM a\n").directives.escape, '\\');
  EXPECT_EQ(MustParse("# unknown=1\n# escape=`\nFROM a\n").directives.escape, '\\');
  EXPECT_EQ(MustParse("FROM a\n# escape=`\n").directives.escape, '\\');
  // Leading blanks on the line and a UTF-8 BOM are fine.
  EXPECT_EQ(MustParse("\xEF\xBB\xBF  # escape=`\nFROM a\n").directives.escape, '`');
}

TEST(ParserDirectives, DuplicateOrInvalidIsAnError) {
  EXPECT_EQ(ErrorOf("# escape=`\n# ESCAPE=\\\nFROM a\n"),
            "Dockerfile:2: only one escape parser directive can be used");
  EXPECT_EQ(ErrorOf("# syntax=a\n# syntax=b\nFROM a\n"),
            "Dockerfile:2: only one syntax parser directive can be used");
  EXPECT_EQ(ErrorOf("# escape=x\nFROM a\n"),
            "Dockerfile:1: invalid escape token 'x' does not match ` or \\");
}

TEST(ParserContinuation, SkipsCommentsAndEmptyLinesAndWarns) {
  Dockerfile df = MustParse("FROM a\nRUN echo \\\n# comment\n   # indented comment\n\n  hi \\  \n");
  ASSERT_EQ(df.instructions.size(), 2u);
  EXPECT_EQ(df.instructions[1].args[0], "echo   hi");
  EXPECT_EQ(df.instructions[1].start_line, 2);
  EXPECT_EQ(df.instructions[1].end_line, 6);
  ASSERT_EQ(df.warnings.size(), 1u);
  EXPECT_EQ(df.warnings[0].line, 2);
}

TEST(ParserContinuation, EscapedEscapeIsNotAContinuation) {
  Dockerfile df = MustParse("FROM a\nENV A b\\\\\nENV C d\n");
  ASSERT_EQ(df.instructions.size(), 3u);
  EXPECT_EQ(df.instructions[1].args[1], "b\\\\");
}

TEST(ParserContinuation, CrLfLineEndings) {
  Dockerfile df = MustParse("FROM a\r\nRUN a \\\r\n b\r\n");
  ASSERT_EQ(df.instructions.size(), 2u);
  EXPECT_EQ(df.instructions[1].args[0], "a  b");
}

TEST(ParserForms, JsonAndShellForm) {
  Dockerfile df = MustParse(
      "FROM a\nCMD [\"a\", \"b\"]\nCMD a b\nRUN [\"x\" \nSHELL [\"sh\", \"-c\"]\n"
      "ENTRYPOINT [\"e\"] trailing\n");
  EXPECT_TRUE(df.instructions[1].json);
  EXPECT_EQ(df.instructions[1].args, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(df.instructions[2].json);
  EXPECT_EQ(df.instructions[2].args, std::vector<std::string>{"a b"});
  EXPECT_FALSE(df.instructions[3].json);
  EXPECT_EQ(df.instructions[3].args, std::vector<std::string>{"[\"x\""});
  EXPECT_TRUE(df.instructions[4].json);
  EXPECT_FALSE(df.instructions[5].json);  // trailing text after the array: shell form
}

TEST(ParserForms, NonStringJsonArrayIsAnError) {
  EXPECT_EQ(ErrorOf("FROM a\nCMD [\"a\", 1]\n"),
            "Dockerfile:2: when using JSON array syntax, arrays must be comprised of strings only");
}

TEST(ParserForms, EnvAndLabelPairs) {
  Dockerfile df = MustParse("FROM a\nENV A=1 B=\"two words\" C=\nLABEL x y z\nARG n v=1\n");
  EXPECT_EQ(df.instructions[1].args,
            (std::vector<std::string>{"A", "1", "=", "B", "\"two words\"", "=", "C", "", "="}));
  EXPECT_EQ(df.instructions[2].args, (std::vector<std::string>{"x", "y z", ""}));
  EXPECT_EQ(df.instructions[3].args, (std::vector<std::string>{"n", "v=1"}));
}

TEST(ParserForms, EnvErrors) {
  EXPECT_EQ(ErrorOf("FROM a\nENV PATH\n"), "Dockerfile:2: ENV must have two arguments");
  EXPECT_EQ(ErrorOf("FROM a\nENV =x\n"), "Dockerfile:2: ENV names can not be blank");
  EXPECT_EQ(ErrorOf("FROM a\nLABEL a=b c\n"),
            "Dockerfile:2: Syntax error - can't find = in \"c\". Must be of the form: name=value");
}

TEST(ParserFlags, ExtractedBeforeArguments) {
  Dockerfile df = MustParse(
      "FROM --platform=linux/amd64 a AS b\nCOPY --from=b --chmod=\"755\" --link src dst\n"
      "RUN --mount=type=cache,target=/x -- --not-a-flag\n");
  EXPECT_EQ(df.instructions[0].flags, std::vector<std::string>{"--platform=linux/amd64"});
  EXPECT_EQ(df.instructions[0].args, (std::vector<std::string>{"a", "AS", "b"}));
  EXPECT_EQ(df.instructions[1].flags,
            (std::vector<std::string>{"--from=b", "--chmod=755", "--link"}));
  EXPECT_EQ(df.instructions[1].args, (std::vector<std::string>{"src", "dst"}));
  EXPECT_EQ(df.instructions[2].flags, std::vector<std::string>{"--mount=type=cache,target=/x"});
  EXPECT_EQ(df.instructions[2].args, std::vector<std::string>{"--not-a-flag"});
}

TEST(ParserOnbuild, NestsTheTriggerAndRejectsForbiddenOnes) {
  Dockerfile df = MustParse("FROM a\nONBUILD RUN --network=none make\n");
  ASSERT_NE(df.instructions[1].nested, nullptr);
  EXPECT_EQ(df.instructions[1].nested->keyword, "run");
  EXPECT_EQ(df.instructions[1].nested->flags, std::vector<std::string>{"--network=none"});
  EXPECT_EQ(df.instructions[1].nested->start_line, 2);
  EXPECT_EQ(ErrorOf("FROM a\nONBUILD ONBUILD RUN x\n"),
            "Dockerfile:2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
  EXPECT_EQ(ErrorOf("FROM a\nONBUILD from b\n"),
            "Dockerfile:2: FROM isn't allowed as an ONBUILD trigger");
  EXPECT_EQ(ErrorOf("FROM a\nONBUILD MAINTAINER me\n"),
            "Dockerfile:2: MAINTAINER isn't allowed as an ONBUILD trigger");
}

TEST(ParserErrors, UnknownInstructionAndEmptyFile) {
  EXPECT_EQ(ErrorOf("FROM a\n\nFORM b\n"), "Dockerfile:3: unknown instruction: FORM");
  EXPECT_EQ(ErrorOf(""), "Dockerfile:1: file with no instructions");
  EXPECT_EQ(ErrorOf("# a\n\n# b\n"), "Dockerfile:3: file with no instructions");
  EXPECT_NE(ErrorOf("FROM a\n\\\n").find("Dockerfile:2:"), std::string::npos);
}

TEST(ParserHeredoc, ReadsBodiesAndCoversTheirLines) {
  Dockerfile df = MustParse(
      "FROM a\nRUN <<EOF\necho $HOME\nEOF\nCOPY <<-\"A\" <<'B' /dest/\n\tx\n\tA\ny\nB\nRUN ok\n");
  ASSERT_EQ(df.instructions.size(), 4u);
  const Instruction& run = df.instructions[1];
  ASSERT_EQ(run.heredocs.size(), 1u);
  EXPECT_EQ(run.heredocs[0].name, "EOF");
  EXPECT_EQ(run.heredocs[0].content, "echo $HOME\n");
  EXPECT_TRUE(run.heredocs[0].expand);
  EXPECT_EQ(run.start_line, 2);
  EXPECT_EQ(run.end_line, 4);
  EXPECT_EQ(run.args, std::vector<std::string>{"<<EOF"});
  const Instruction& copy = df.instructions[2];
  ASSERT_EQ(copy.heredocs.size(), 2u);
  EXPECT_EQ(copy.heredocs[0].name, "A");
  EXPECT_TRUE(copy.heredocs[0].chomp);
  EXPECT_FALSE(copy.heredocs[0].expand);
  EXPECT_EQ(copy.heredocs[0].content, "x\n");
  EXPECT_EQ(copy.heredocs[1].name, "B");
  EXPECT_FALSE(copy.heredocs[1].expand);
  EXPECT_EQ(copy.heredocs[1].content, "y\n");
  EXPECT_EQ(copy.args, (std::vector<std::string>{"<<-\"A\"", "<<'B'", "/dest/"}));
  EXPECT_EQ(copy.end_line, 9);
  EXPECT_EQ(df.instructions[3].start_line, 10);
}

TEST(ParserHeredoc, OnlyForShellFormRunCopyAdd) {
  // JSON form, quoted markers and other instructions read no body.
  Dockerfile df =
      MustParse("FROM a\nRUN [\"sh\", \"<<EOF\"]\nRUN echo \"<<EOF\"\nCMD cat <<EOF\nENV A=1\n");
  ASSERT_EQ(df.instructions.size(), 5u);
  for (const Instruction& i : df.instructions) EXPECT_TRUE(i.heredocs.empty()) << i.original;
  Dockerfile onbuild = MustParse("FROM a\nONBUILD RUN <<EOF\nx\nEOF\n");
  ASSERT_EQ(onbuild.instructions.size(), 2u);
  EXPECT_EQ(onbuild.instructions[1].heredocs.size(), 1u);
}

TEST(ParserHeredoc, MissingTerminatorNamesTheLine) {
  EXPECT_EQ(ErrorOf("FROM a\nRUN <<EOF\nhello\n"),
            "Dockerfile:2: unterminated heredoc: no line \"EOF\" before the end of the file");
}

TEST(ParserOriginal, KeepsJoinedText) {
  Dockerfile df = MustParse("FROM a\nRUN a \\\n  b\n");
  EXPECT_EQ(df.instructions[1].original, "RUN a   b");
  EXPECT_EQ(df.instructions[0].original, "FROM a");
}

// The parser is fed to a fuzzer: it must return (ok or error) on any bytes.
TEST(ParserRobustness, ArbitraryAndTruncatedInputs) {
  std::mt19937 rng(1234);
  const std::string alphabet =
      std::string(
          "RUN COPY ONBUILD ENV FROM HEALTHCHECK CMD LABEL <<EOF <<-'A' [\"{}],:=-- \\`#\n\t\r"
          "escape=\xC2\xA0\xE2\x80\xA8\xFF\xED\xA0\x80") +
      std::string(1, '\0');
  for (int round = 0; round < 3000; ++round) {
    std::string input;
    const int len = static_cast<int>(rng() % 200);
    for (int i = 0; i < len; ++i) {
      if (rng() % 4 == 0) {
        input.push_back(static_cast<char>(rng() % 256));
      } else {
        input.push_back(alphabet[rng() % alphabet.size()]);
      }
    }
    Result<Dockerfile> df = Parse(input, "fuzz");
    if (df.ok()) {
      EXPECT_FALSE(DumpForConformance(*df).empty());
    } else {
      EXPECT_EQ(df.status().message().rfind("fuzz:", 0), 0u) << df.status().message();
    }
  }
  const std::string real =
      "# escape=\\\nFROM a AS b\nRUN <<EOF\nx\nEOF\nENV A=\"1\" \\\n  B=2\nCMD [\"a\"]\n"
      "HEALTHCHECK --interval=1s CMD [\"x\"]\nONBUILD COPY . /\n";
  for (size_t n = 0; n <= real.size(); ++n) (void)Parse(real.substr(0, n), "Dockerfile");
  // Deeply nested JSON neither recurses nor crashes.
  std::string deep = "FROM a\nCMD " + std::string(200000, '[') + "\n";
  Result<Dockerfile> df = Parse(deep, "Dockerfile");
  ASSERT_TRUE(df.ok());
  EXPECT_FALSE(df->instructions[1].json);
}

}  // namespace
}  // namespace distill::dockerfile
