#include "dockerfile/line_parsers.h"

#include <array>

#include "dockerfile/go_text.h"
#include "dockerfile/json_array.h"

namespace distill::dockerfile::syntax {
namespace {

bool IsRegexpWhitespace(char c) {
  return c == '\t' || c == '\v' || c == '\f' || c == '\r' || c == ' ';
}

// The reference's flag scanner walks bytes and treats each byte as a rune
// (unicode.IsSpace(rune(b))), so 0x85 and 0xA0 count as spaces there.
bool IsSpaceByteAsRune(unsigned char b) {
  return IsSpaceRune(b);
}

// Lower-cases like Go's strings.ToLower as far as keywords can tell: ASCII, plus
// the Kelvin sign, the one non-ASCII rune that lower-cases to an ASCII letter.
std::string LowerKeyword(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s.substr(i, 3) == "\xE2\x84\xAA") {
      out.push_back('k');
      i += 2;
      continue;
    }
    const char c = s[i];
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

// Flags before the arguments: words starting with "--", until the first word
// that does not (or a bare "--"). Returns the text after the flags.
std::string_view ExtractFlags(std::string_view line, std::vector<std::string>* flags) {
  enum class Phase { kSpaces, kWord, kQuote };
  Phase phase = Phase::kSpaces;
  std::string word;
  bool blank_ok = false;
  char quote = 0;
  auto append_byte = [&word](unsigned char b) { AppendRune(word, b); };
  for (size_t pos = 0; pos <= line.size(); ++pos) {
    const unsigned char ch = pos < line.size() ? static_cast<unsigned char>(line[pos]) : 0;
    if (phase == Phase::kSpaces) {
      if (pos == line.size()) break;
      if (IsSpaceByteAsRune(ch)) continue;
      if (ch != '-' || pos + 1 == line.size() || line[pos + 1] != '-') return line.substr(pos);
      phase = Phase::kWord;
    }
    if (pos == line.size()) {
      if (word != "--" && (blank_ok || !word.empty())) flags->push_back(word);
      break;
    }
    if (phase == Phase::kWord) {
      if (IsSpaceByteAsRune(ch)) {
        phase = Phase::kSpaces;
        if (word == "--") return line.substr(pos);
        if (blank_ok || !word.empty()) flags->push_back(word);
        word.clear();
        blank_ok = false;
        continue;
      }
      if (ch == '\'' || ch == '"') {
        quote = static_cast<char>(ch);
        blank_ok = true;
        phase = Phase::kQuote;
        continue;
      }
      unsigned char out = ch;
      if (ch == '\\') {
        if (pos + 1 == line.size()) continue;  // a lone backslash at the end is dropped
        out = static_cast<unsigned char>(line[++pos]);
      }
      append_byte(out);
      continue;
    }
    // Phase::kQuote
    if (ch == static_cast<unsigned char>(quote)) {
      phase = Phase::kWord;
      continue;
    }
    unsigned char out = ch;
    if (ch == '\\') {
      if (pos + 1 == line.size()) {
        phase = Phase::kWord;
        continue;
      }
      out = static_cast<unsigned char>(line[++pos]);
    }
    append_byte(out);
  }
  return {};
}

void AddKeyValue(Instruction* inst, std::string key, std::string value, std::string separator) {
  inst->args.push_back(std::move(key));
  inst->args.push_back(std::move(value));
  inst->args.push_back(std::move(separator));
}

// ENV and LABEL: the legacy `KEY name value` form or `KEY n1=v1 n2=v2 ...`.
std::string ParseNameValue(std::string_view rest, std::string_view what, char escape,
                           Instruction* inst) {
  std::vector<std::string> words = ParseWords(rest, escape);
  if (words.empty()) return {};
  if (words[0].find('=') == std::string::npos) {
    std::vector<std::string> parts = SplitWhitespace(rest, 2);
    if (parts.size() < 2) return std::string(what) + " must have two arguments";
    AddKeyValue(inst, parts[0], parts[1], "");
    return {};
  }
  for (const std::string& word : words) {
    const size_t eq = word.find('=');
    if (eq == std::string::npos) {
      return "Syntax error - can't find = in " + GoQuote(word) +
             ". Must be of the form: name=value";
    }
    if (eq == 0) return std::string(what) + " names can not be blank";
    AddKeyValue(inst, word.substr(0, eq), word.substr(eq + 1), "=");
  }
  return {};
}

// Exec form when the text is a JSON array of strings, else one shell-form string
// (or, for `to_list`, whitespace-separated words).
std::string ParseMaybeJson(std::string_view rest, bool to_list, Instruction* inst) {
  if (rest.empty() && !to_list) return {};
  JsonArrayParse json = ParseJsonStringArray(rest);
  switch (json.outcome) {
    case JsonArrayParse::Outcome::kStrings:
      inst->args = std::move(json.values);
      inst->json = true;
      return {};
    case JsonArrayParse::Outcome::kNotStringArray:
      return "when using JSON array syntax, arrays must be comprised of strings only";
    case JsonArrayParse::Outcome::kNotJson:
      break;
  }
  if (to_list) {
    if (!rest.empty()) inst->args = SplitWhitespace(rest);
  } else {
    inst->args.emplace_back(rest);
  }
  return {};
}

std::string ParseHealthConfig(std::string_view rest, Instruction* inst) {
  size_t sep = 0;
  while (sep < rest.size() && !IsSpaceByteAsRune(static_cast<unsigned char>(rest[sep]))) ++sep;
  size_t next = sep;
  while (next < rest.size() && IsSpaceByteAsRune(static_cast<unsigned char>(rest[next]))) ++next;
  if (sep == 0) return {};
  inst->args.emplace_back(rest.substr(0, sep));
  Instruction cmd;
  std::string err = ParseMaybeJson(rest.substr(next), /*to_list=*/false, &cmd);
  if (!err.empty()) return err;
  for (std::string& a : cmd.args) inst->args.push_back(std::move(a));
  inst->json = cmd.json;
  return {};
}

std::string ParseSubCommand(std::string_view rest, char escape, Instruction* inst) {
  if (rest.empty()) return {};
  // Refuse the forbidden triggers before parsing them: this also bounds the
  // nesting to one level, whatever the input.
  const std::vector<std::string> head = SplitWhitespace(TrimSpace(rest), 2);
  const std::string trigger = head.empty() ? "" : LowerKeyword(head[0]);
  if (trigger == "onbuild") return "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed";
  if (trigger == "from" || trigger == "maintainer") {
    std::string upper = trigger;
    for (char& c : upper) c = static_cast<char>(c - 'a' + 'A');
    return upper + " isn't allowed as an ONBUILD trigger";
  }
  Result<Instruction> nested = InstructionFromLine(rest, escape);
  if (!nested.ok()) return nested.status().message();
  inst->nested = std::make_unique<Instruction>(std::move(nested).value());
  return {};
}

}  // namespace

std::vector<std::string> SplitWhitespace(std::string_view s, size_t max_parts) {
  // Same results as Go's Regexp.Split(s, n) with n = max_parts (0: no limit),
  // including an empty first part for a leading separator and an empty last
  // part for a trailing one.
  if (s.empty()) return {""};
  std::vector<std::string> parts;
  size_t begin = 0;
  size_t last_match = 0;
  size_t pos = 0;
  while (pos < s.size()) {
    if (!IsRegexpWhitespace(s[pos])) {
      ++pos;
      continue;
    }
    if (max_parts != 0 && parts.size() + 1 == max_parts) break;
    size_t run_end = pos;
    while (run_end < s.size() && IsRegexpWhitespace(s[run_end])) ++run_end;
    last_match = pos;
    parts.emplace_back(s.substr(begin, pos - begin));
    begin = run_end;
    pos = run_end;
  }
  if (last_match != s.size()) parts.emplace_back(s.substr(begin));
  return parts;
}

std::vector<std::string> ParseWords(std::string_view rest, char escape) {
  enum class Phase { kSpaces, kWord, kQuote };
  std::vector<std::string> words;
  Phase phase = Phase::kSpaces;
  std::string word;
  char32_t quote = 0;
  bool blank_ok = false;
  DecodedRune ch;
  for (size_t pos = 0; pos <= rest.size(); pos += ch.width) {
    if (pos != rest.size()) ch = DecodeRune(rest.substr(pos));
    if (phase == Phase::kSpaces) {
      if (pos == rest.size()) break;
      if (IsSpaceRune(ch.rune)) continue;
      phase = Phase::kWord;
    }
    if (pos == rest.size()) {
      if (blank_ok || !word.empty()) words.push_back(word);
      break;
    }
    if (phase == Phase::kWord) {
      if (IsSpaceRune(ch.rune)) {
        phase = Phase::kSpaces;
        if (blank_ok || !word.empty()) words.push_back(word);
        word.clear();
        blank_ok = false;
        continue;
      }
      if (ch.rune == '\'' || ch.rune == '"') {
        quote = ch.rune;
        blank_ok = true;
        phase = Phase::kQuote;
      }
      if (ch.rune == static_cast<unsigned char>(escape)) {
        if (pos + ch.width == rest.size()) continue;  // an escape at the very end is dropped
        // Unquoted, the escape and the character after it both stay in the word.
        AppendRune(word, ch.rune);
        pos += ch.width;
        ch = DecodeRune(rest.substr(pos));
      }
      AppendRune(word, ch.rune);
      continue;
    }
    // Phase::kQuote
    if (ch.rune == quote) phase = Phase::kWord;
    // Inside single quotes the escape character is literal.
    if (ch.rune == static_cast<unsigned char>(escape) && quote != '\'') {
      if (pos + ch.width == rest.size()) {
        phase = Phase::kWord;
        continue;
      }
      pos += ch.width;
      AppendRune(word, ch.rune);
      ch = DecodeRune(rest.substr(pos));
    }
    AppendRune(word, ch.rune);
  }
  return words;
}

KeywordLine SplitCommand(std::string_view line) {
  KeywordLine cmd;
  std::vector<std::string> parts = SplitWhitespace(TrimSpace(line), 2);
  cmd.keyword_as_written = parts[0];
  cmd.keyword = LowerKeyword(parts[0]);
  if (parts.size() == 2) {
    cmd.args = std::string(TrimSpace(ExtractFlags(parts[1], &cmd.flags)));
  }
  return cmd;
}

bool IsKnownKeyword(std::string_view keyword) {
  static constexpr std::array<std::string_view, 18> kKeywords = {
      "add",    "arg",   "cmd",         "copy",  "entrypoint", "env",
      "expose", "from",  "healthcheck", "label", "maintainer", "onbuild",
      "run",    "shell", "stopsignal",  "user",  "volume",     "workdir"};
  for (std::string_view k : kKeywords) {
    if (k == keyword) return true;
  }
  return false;
}

std::string ParseArguments(const KeywordLine& cmd, char escape, Instruction* inst) {
  const std::string_view kw = cmd.keyword;
  const std::string_view rest = cmd.args;
  if (kw == "add" || kw == "copy" || kw == "volume") return ParseMaybeJson(rest, true, inst);
  if (kw == "cmd" || kw == "entrypoint" || kw == "run" || kw == "shell") {
    return ParseMaybeJson(rest, false, inst);
  }
  if (kw == "env") return ParseNameValue(rest, "ENV", escape, inst);
  if (kw == "label") return ParseNameValue(rest, "LABEL", escape, inst);
  if (kw == "arg") {
    inst->args = ParseWords(rest, escape);
    return {};
  }
  if (kw == "expose" || kw == "from") {
    if (!rest.empty()) inst->args = SplitWhitespace(rest);
    return {};
  }
  if (kw == "healthcheck") return ParseHealthConfig(rest, inst);
  if (kw == "onbuild") return ParseSubCommand(rest, escape, inst);
  // maintainer, stopsignal, user, workdir: the text as one argument.
  if (!rest.empty()) inst->args.emplace_back(rest);
  return {};
}

Result<Instruction> InstructionFromLine(std::string_view line, char escape) {
  KeywordLine cmd = SplitCommand(line);
  if (cmd.keyword.empty()) {
    return Status::Invalid("line continuation with no instruction after it");
  }
  if (!IsKnownKeyword(cmd.keyword)) {
    return Status::Invalid("unknown instruction: " + cmd.keyword_as_written);
  }
  Instruction inst;
  inst.keyword = cmd.keyword;
  inst.original = std::string(line);
  std::string err = ParseArguments(cmd, escape, &inst);
  if (!err.empty()) return Status::Invalid(err);
  inst.flags = std::move(cmd.flags);
  return inst;
}

}  // namespace distill::dockerfile::syntax
