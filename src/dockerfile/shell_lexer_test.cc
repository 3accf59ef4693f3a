#include "dockerfile/shell_lexer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

namespace distill::dockerfile {
namespace {

std::string Expand(std::string_view word, const Environment& env, char escape = '\\') {
  const Result<std::string> r = ShellLexer(escape).ProcessWord(word, env);
  return r.ok() ? *r : "error: " + r.status().message();
}

std::string ErrorOf(std::string_view word, const Environment& env = {}) {
  const Result<std::string> r = ShellLexer().ProcessWord(word, env);
  EXPECT_FALSE(r.ok()) << word << " expanded to " << (r.ok() ? *r : "");
  return r.ok() ? "" : r.status().message();
}

struct Case {
  const char* input;
  const char* expected;
};

TEST(ShellLexer, ParameterOperators) {
  const Environment env{{"SET", "value"}, {"EMPTY", ""}, {"PATHV", "a/b/c.tar.gz"}};
  const Case cases[] = {
      {"$SET", "value"},
      {"${SET}x", "valuex"},
      {"$SETx", ""},  // the name runs on: $SETx is unset
      {"${UNSET:-dflt}", "dflt"},
      {"${EMPTY:-dflt}", "dflt"},
      {"${EMPTY-dflt}", ""},
      {"${UNSET-dflt}", "dflt"},
      {"${SET:-dflt}", "value"},
      {"${SET:+alt}", "alt"},
      {"${EMPTY:+alt}", ""},
      {"${EMPTY+alt}", "alt"},
      {"${UNSET+alt}", ""},
      {"${SET:?boom}", "value"},
      {"${EMPTY?boom}", ""},
      {"${UNSET:-${SET}-${EMPTY:-x}}", "value-x"},
      {"${UNSET:-'a b'}", "a b"},
      {"${PATHV#*/}", "b/c.tar.gz"},
      {"${PATHV##*/}", "c.tar.gz"},
      {"${PATHV%.*}", "a/b/c.tar"},
      {"${PATHV%%.*}", "a/b/c"},
      {"${PATHV#x*}", "a/b/c.tar.gz"},  // no match: unchanged
      {"${PATHV#a?b}", "/c.tar.gz"},
      {"${PATHV/\\//_}", "a_b/c.tar.gz"},
      {"${PATHV//\\//_}", "a_b_c.tar.gz"},
      {"${PATHV//[a]/X}", "a/b/c.tar.gz"},  // no bracket expressions: [a] is literal
      {"${PATHV/*./}", "gz"},               // stars are greedy in replacements
      {"${PATHV//?/.}", "............"},
      {"${SET//l/$}", "va$ue"},
      {"${UNSET/a/b}", ""},
      {"${SET:#val}", "ue"},  // as in the reference, ':' before '#' changes nothing
  };
  for (const Case& c : cases) EXPECT_EQ(Expand(c.input, env), c.expected) << c.input;
}

TEST(ShellLexer, PatternsDoNotCrossNewlines) {
  const Environment env{{"V", "ab\ncd"}};
  EXPECT_EQ(Expand("${V##*}", env), "\ncd");
  EXPECT_EQ(Expand("${V%%*}", env), "ab\n");
  EXPECT_EQ(Expand("${V//?/x}", env), "xx\nxx");
}

TEST(ShellLexer, PatternEscapes) {
  const Environment env{{"V", "*x}y"}};
  EXPECT_EQ(Expand("${V#\\*}", env), "x}y");
  EXPECT_EQ(Expand("${V#*}", env), "*x}y");  // shortest match of * is empty
  EXPECT_EQ(Expand("${V%\\}y}", env), "*x");
  EXPECT_NE(ErrorOf("${V#\\a}", env).find("invalid escape '\\a'"), std::string::npos);
}

TEST(ShellLexer, ReplaceAllUsesRegexpTemplate) {
  // The reference hands the replacement of ${V//p/r} to Go's ReplaceAllString,
  // so an escaped $0 refers to the match (and the backslash is kept).
  const Environment env{{"V", "abc"}};
  EXPECT_EQ(Expand("${V//b/<\\$0>}", env), "a<\\b>c");
  EXPECT_EQ(Expand("${V/b/<\\$0>}", env), "a<\\$0>c");  // replace-first is literal
}

TEST(ShellLexer, EmptyPatternReplaceAll) {
  const Environment env{{"V", "ab"}};
  EXPECT_EQ(Expand("${V///-}", env), "-a-b-");
  EXPECT_EQ(Expand("${V//*/-}", env), "-");  // Go skips the empty match after "ab"
}

TEST(ShellLexer, QuotesAndEscapes) {
  const Environment env{{"A", "1"}};
  const Case cases[] = {
      {"'$A'", "$A"},       {"\"$A\"", "1"},        {"\\$A", "$A"}, {"\"\\$A\"", "$A"},
      {"\"a\\b\"", "a\\b"}, {"\"a\\\"b\"", "a\"b"}, {"a\\", "a"},   {"$", "$"},
      {"a$", "a$"},         {"$.", "$."},           {"$10x", "x"},  {"$@x", "x"},
      {"'\"'", "\""},       {"\"'\"", "'"},
  };
  for (const Case& c : cases) EXPECT_EQ(Expand(c.input, env), c.expected) << c.input;
}

TEST(ShellLexer, BacktickEscapeCharacter) {
  const Environment env{{"A", "1"}};
  EXPECT_EQ(Expand("`$A", env, '`'), "$A");
  EXPECT_EQ(Expand("C:\\dir\\$A", env, '`'), "C:\\dir\\1");  // backslash is ordinary
  EXPECT_EQ(Expand("\"x`\"y\"", env, '`'), "x\"y");
  EXPECT_EQ(Expand("\"x\\\"", env, '`'), "x\\");
  EXPECT_EQ(Expand("a``b", env, '`'), "a`b");
  EXPECT_EQ(Expand("a`", env, '`'), "a");
  EXPECT_EQ(Expand("${B:-`}}", env, '`'), "}");
}

TEST(ShellLexer, UnicodeNamesAndBytes) {
  const Environment env{{"이름", "kim"}, {"A", "1"}};
  EXPECT_EQ(Expand("$이름!", env), "kim!");
  EXPECT_EQ(Expand("a\xff$A\xfe", env),
            "a\xff"
            "1\xfe");                                           // invalid UTF-8 kept
  EXPECT_EQ(Expand("$A\xe3\x80\x80x", env), "1\xe3\x80\x80x");  // U+3000 ends a name
}

TEST(ShellLexer, Errors) {
  const Environment env{{"EMPTY", ""}};
  EXPECT_NE(ErrorOf("${V:?msg}").find("V: msg"), std::string::npos);
  EXPECT_NE(ErrorOf("${V?}").find("V: is not allowed to be unset"), std::string::npos);
  EXPECT_NE(ErrorOf("${EMPTY:?}", env).find("EMPTY: is not allowed to be empty"),
            std::string::npos);
  EXPECT_NE(ErrorOf("x${V").find("missing '}'"), std::string::npos);
  EXPECT_NE(ErrorOf("${V:-abc").find("missing '}'"), std::string::npos);
  EXPECT_NE(ErrorOf("${}").find("bad substitution"), std::string::npos);
  EXPECT_NE(ErrorOf("${:-x}").find("bad substitution"), std::string::npos);
  EXPECT_NE(ErrorOf("${V:=x}").find("unsupported modifier (:=)"), std::string::npos);
  EXPECT_NE(ErrorOf("${V^}").find("unsupported modifier (^)"), std::string::npos);
  EXPECT_NE(ErrorOf("${V/abc").find("missing '/'"), std::string::npos);
  EXPECT_NE(ErrorOf("'abc").find("matching single-quote"), std::string::npos);
  EXPECT_NE(ErrorOf("\"abc").find("matching double-quote"), std::string::npos);
  // The message names the word that failed.
  EXPECT_NE(ErrorOf("pre${V:?oops}").find("failed to process \"pre${V:?oops}\""),
            std::string::npos);
}

TEST(ShellLexer, Words) {
  const Environment env{{"S", " x  y "}, {"E", ""}};
  const ShellLexer lexer;
  auto words = [&](std::string_view in) {
    const auto r = lexer.ProcessWords(in, env);
    return r.ok() ? *r : std::vector<std::string>{"error"};
  };
  EXPECT_EQ(words("a ${S} b"), (std::vector<std::string>{"a", "x", "y", "b"}));
  EXPECT_EQ(words("a\"${S}\"b"), (std::vector<std::string>{"a x  y b"}));
  EXPECT_EQ(words("a\\ b  c"), (std::vector<std::string>{"a b", "c"}));
  EXPECT_EQ(words("\"\" $E ''"), (std::vector<std::string>{}));
  EXPECT_EQ(words("'a b"), (std::vector<std::string>{"error"}));
  // ProcessWord keeps the spaces between words.
  EXPECT_EQ(*lexer.ProcessWord("a ${S} b", env), "a  x  y  b");
}

TEST(ShellLexer, ReportsReferencedVariables) {
  const Environment env{{"A", "1"}, {"E", ""}};
  const auto r = ShellLexer().Expand("$A ${B:-x} $1 ${E} ${A:+${C}}", env);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->matched, (std::set<std::string>{"A", "E"}));
  EXPECT_EQ(r->unmatched, (std::set<std::string>{"B", "1", "C"}));
}

TEST(ShellLexer, SkipUnsetKeepsReferences) {
  ShellLexerOptions options;
  options.skip_unset_env = true;
  const Environment env{{"A", "1"}};
  const auto r = ShellLexer(options).ProcessWord("$A $B ${C} ${D:-x} ${E//a/b}", env);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "1 $B ${C} ${D:-x} ${E//a/b}");
}

TEST(ShellLexer, RawQuotesAndEscapes) {
  ShellLexerOptions options;
  options.raw_quotes = true;
  options.raw_escapes = true;
  const Environment env{{"A", "1"}};
  EXPECT_EQ(*ShellLexer(options).ProcessWord("\"a\\\"$A\" 'b' \\$A", env), "\"a\\\"1\" 'b' \\$A");
  ShellLexerOptions no_quotes;
  no_quotes.skip_process_quotes = true;
  EXPECT_EQ(*ShellLexer(no_quotes).ProcessWord("'$A' \"$A", env), "'1' \"1");
}

TEST(ShellLexer, EnvironmentFromKeyValues) {
  const Environment env = Environment::FromKeyValues({"A=1", "B", "A=2", "C=x=y"});
  ASSERT_NE(env.Lookup("A"), nullptr);
  EXPECT_EQ(*env.Lookup("A"), "2");
  EXPECT_EQ(*env.Lookup("B"), "");
  EXPECT_EQ(*env.Lookup("C"), "x=y");
  EXPECT_EQ(env.Lookup("D"), nullptr);
  EXPECT_EQ(env.entries().size(), 3u);
}

TEST(ShellLexer, DeepNestingIsAnErrorNotACrash) {
  std::string word;
  for (int i = 0; i < 5000; ++i) word += "${A:-";
  word += "x";
  for (int i = 0; i < 5000; ++i) word += "}";
  EXPECT_NE(ErrorOf(word).find("nested"), std::string::npos);
  // Within the limit it works.
  std::string ok;
  for (int i = 0; i < 50; ++i) ok += "${A:-";
  ok += "x";
  for (int i = 0; i < 50; ++i) ok += "}";
  EXPECT_EQ(Expand(ok, {}), "x");
}

TEST(ShellLexer, HugeResultsAreAnErrorNotAnOutOfMemory) {
  const Environment env{{"V", std::string(5000, 'v')}};
  EXPECT_NE(ErrorOf("${V//?/${V//?/$V}}", env).find("larger than"), std::string::npos);
}

TEST(ShellLexer, PathologicalPatternsStayFast) {
  const Environment env{{"V", std::string(20000, 'a')}};
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Expand("${V#*a*a*a*a*a*a*b}", env).size(), 20000u);
  EXPECT_EQ(Expand("${V%%*a*a*a*a*a*a*b}", env).size(), 20000u);
  EXPECT_EQ(Expand("${V//a*a*b/x}", env).size(), 20000u);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

// Random words over the characters the lexer cares about, plus arbitrary
// bytes: every one must return (value or error), never crash or hang.
TEST(ShellLexer, RandomInputsNeverCrash) {
  const std::string alphabet = "${}:-+?#%/'\"\\`* aZ_1\n\t@!";
  const Environment env{{"a", "x y"}, {"Z", ""}, {"aZ", "*/?"}};
  std::mt19937 rng(12345);
  for (int i = 0; i < 20000; ++i) {
    std::string word;
    const int len = static_cast<int>(rng() % 40);
    for (int j = 0; j < len; ++j) {
      word += (rng() % 8 == 0) ? static_cast<char>(rng() % 256) : alphabet[rng() % alphabet.size()];
    }
    for (char escape : {'\\', '`'}) {
      const auto r = ShellLexer(escape).Expand(word, env);
      if (r.ok()) {
        EXPECT_LE(r->word.size(), ShellLexer::kMaxResultBytes);
      } else {
        EXPECT_FALSE(r.status().message().empty());
      }
    }
  }
}

}  // namespace
}  // namespace distill::dockerfile
