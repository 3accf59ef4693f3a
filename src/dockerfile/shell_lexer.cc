#include "dockerfile/shell_lexer.h"

#include <optional>

#include "dockerfile/shell_pattern.h"
#include "dockerfile/utf8_units.h"

namespace distill::dockerfile {

Environment::Environment(std::initializer_list<std::pair<std::string, std::string>> entries) {
  for (const auto& [name, value] : entries) Set(name, value);
}

Environment Environment::FromKeyValues(const std::vector<std::string>& key_values) {
  Environment env;
  for (const std::string& kv : key_values) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos) {
      env.Set(kv, "");
    } else {
      env.Set(std::string_view(kv).substr(0, eq), std::string_view(kv).substr(eq + 1));
    }
  }
  return env;
}

void Environment::Set(std::string_view name, std::string_view value) {
  for (auto& entry : entries_) {
    if (entry.first == name) {
      entry.second = value;
      return;
    }
  }
  entries_.emplace_back(name, value);
}

const std::string* Environment::Lookup(std::string_view name) const {
  for (const auto& entry : entries_) {
    if (entry.first == name) return &entry.second;
  }
  return nullptr;
}

namespace {

constexpr int kEnd = -1;

// Collects the words of ProcessWords. Mirrors the reference: unquoted
// whitespace ends a word, quoted text and escaped characters never split, and
// an empty quoted string alone does not make a word.
class WordSplitter {
 public:
  void AddChar(std::string_view unit) {
    const bool space = utf8::IsSpace(utf8::DecodeAt(unit, 0).code_point);
    if (space && in_word_) {
      if (!word_.empty()) {
        words_.push_back(std::move(word_));
        word_.clear();
        in_word_ = false;
      }
    } else if (!space) {
      AddRaw(unit);
    }
  }
  void AddRaw(std::string_view text) {
    word_.append(text);
    in_word_ = true;
  }
  void AddString(std::string_view text) {
    for (size_t pos = 0; pos < text.size();) {
      const size_t len = utf8::DecodeAt(text, pos).length;
      AddChar(text.substr(pos, len));
      pos += len;
    }
  }
  std::vector<std::string> Finish() {
    if (!word_.empty()) words_.push_back(std::move(word_));
    return std::move(words_);
  }

 private:
  std::string word_;
  bool in_word_ = false;
  std::vector<std::string> words_;
};

struct Expanded {
  std::string text;
  std::vector<std::string> words;
};

// One expansion of one input: a cursor over the bytes plus what was looked up.
class WordExpander {
 public:
  WordExpander(std::string_view input, const Environment& env, const ShellLexerOptions& options)
      : in_(input), env_(env), options_(options), raw_escapes_(options.raw_escapes) {}

  // Expands up to (and consuming) `stop`, or to the end of input when unset.
  Result<Expanded> ExpandUntil(std::optional<char> stop, bool raw_escapes);

  std::set<std::string> TakeMatched() { return std::move(matched_); }
  std::set<std::string> TakeUnmatched() { return std::move(unmatched_); }

 private:
  bool AtEnd() const { return pos_ >= in_.size(); }
  int PeekByte() const { return AtEnd() ? kEnd : static_cast<unsigned char>(in_[pos_]); }
  std::string_view NextUnit() {
    if (AtEnd()) return {};
    const size_t len = utf8::DecodeAt(in_, pos_).length;
    const std::string_view unit = in_.substr(pos_, len);
    pos_ += len;
    return unit;
  }
  bool IsEscape(std::string_view unit) const {
    return unit.size() == 1 && unit[0] == options_.escape;
  }

  Result<std::string> SingleQuoted();
  Result<std::string> DoubleQuoted();
  Result<std::string> Dollar();
  Result<std::string> Braced();
  Result<std::string> Modifier(const std::string& name, std::string modifier, char op,
                               bool null_is_unset);
  Result<std::string> Replace(const std::string& name);
  std::string Name();
  const std::string* Lookup(const std::string& name);
  static Status TooLarge() {
    return Status::Invalid("expansion result is larger than " +
                           std::to_string(ShellLexer::kMaxResultBytes) + " bytes");
  }

  std::string_view in_;
  size_t pos_ = 0;
  const Environment& env_;
  const ShellLexerOptions& options_;
  bool raw_escapes_;
  int depth_ = 0;
  std::set<std::string> matched_;
  std::set<std::string> unmatched_;
};

Result<Expanded> WordExpander::ExpandUntil(std::optional<char> stop, bool raw_escapes) {
  // Restored on every return: raw escapes apply only inside this level.
  struct RawEscapesScope {
    bool& flag;
    bool saved;
    ~RawEscapesScope() { flag = saved; }
  } scope{raw_escapes_, raw_escapes_};
  raw_escapes_ = raw_escapes;

  Expanded out;
  WordSplitter words;
  while (!AtEnd()) {
    const int c = PeekByte();
    if (stop && c == static_cast<unsigned char>(*stop)) {
      ++pos_;
      out.words = words.Finish();
      return out;
    }
    if (c == '$') {
      DISTILL_ASSIGN_OR_RETURN(std::string value, Dollar());
      out.text += value;
      words.AddString(value);
    } else if (!options_.skip_process_quotes && (c == '\'' || c == '"')) {
      DISTILL_ASSIGN_OR_RETURN(std::string value, c == '\'' ? SingleQuoted() : DoubleQuoted());
      out.text += value;
      words.AddRaw(value);
    } else {
      std::string_view unit = NextUnit();
      if (IsEscape(unit)) {
        if (raw_escapes_) {
          words.AddRaw(unit);
          out.text += unit;
        }
        // An escape character at the very end escapes nothing and is dropped.
        if (AtEnd()) break;
        unit = NextUnit();
        words.AddRaw(unit);
      } else {
        words.AddChar(unit);
      }
      out.text += unit;
    }
    if (out.text.size() > ShellLexer::kMaxResultBytes) return TooLarge();
  }
  if (stop) {
    return Status::Invalid(std::string("unexpected end of statement while looking for matching ") +
                           *stop);
  }
  out.words = words.Finish();
  return out;
}

Result<std::string> WordExpander::SingleQuoted() {
  // Everything up to the next single quote is literal; nothing escapes it.
  ++pos_;
  const size_t close = in_.find('\'', pos_);
  if (close == std::string_view::npos) {
    pos_ = in_.size();
    return Status::Invalid("unexpected end of statement while looking for matching single-quote");
  }
  std::string out;
  if (options_.raw_quotes) out += '\'';
  out.append(in_.substr(pos_, close - pos_));
  if (options_.raw_quotes) out += '\'';
  pos_ = close + 1;
  return out;
}

Result<std::string> WordExpander::DoubleQuoted() {
  // Literal except for `$` and the escape character, which escapes only `"`,
  // `$` and itself (other escapes stay as written, as in sh).
  ++pos_;
  std::string out;
  if (options_.raw_quotes) out += '"';
  for (;;) {
    const int c = PeekByte();
    if (c == kEnd) {
      return Status::Invalid("unexpected end of statement while looking for matching double-quote");
    }
    if (c == '"') {
      ++pos_;
      if (options_.raw_quotes) out += '"';
      return out;
    }
    if (c == '$') {
      DISTILL_ASSIGN_OR_RETURN(std::string value, Dollar());
      out += value;
      if (out.size() > ShellLexer::kMaxResultBytes) return TooLarge();
      continue;
    }
    std::string_view unit = NextUnit();
    if (IsEscape(unit)) {
      if (raw_escapes_) out += unit;
      const int next = PeekByte();
      if (next == kEnd) continue;  // reported as the missing closing quote
      if (next == '"' || next == '$' || next == static_cast<unsigned char>(options_.escape)) {
        unit = NextUnit();
      }
    }
    out += unit;
  }
}

std::string WordExpander::Name() {
  // A run of letters, digits and '_'; or a run of digits (positional
  // parameter); or one special-parameter character.
  std::string name;
  while (!AtEnd()) {
    const utf8::Unit unit = utf8::DecodeAt(in_, pos_);
    const uint32_t cp = unit.code_point;
    if (name.empty() && cp >= '0' && cp <= '9') {
      while (!AtEnd() && in_[pos_] >= '0' && in_[pos_] <= '9') name += in_[pos_++];
      return name;
    }
    if (name.empty()) {
      switch (cp) {
        case '@':
        case '*':
        case '#':
        case '?':
        case '-':
        case '$':
        case '!':
          ++pos_;
          return std::string(1, static_cast<char>(cp));
        default:
          break;
      }
    }
    if (!utf8::IsNameChar(cp)) break;
    name.append(in_.substr(pos_, unit.length));
    pos_ += unit.length;
  }
  return name;
}

const std::string* WordExpander::Lookup(const std::string& name) {
  const std::string* value = env_.Lookup(name);
  (value ? matched_ : unmatched_).insert(name);
  return value;
}

Result<std::string> WordExpander::Dollar() {
  ++pos_;  // '$'
  if (PeekByte() != '{') {
    const std::string name = Name();
    if (name.empty()) return std::string("$");
    const std::string* value = Lookup(name);
    if (!value && options_.skip_unset_env) return "$" + name;
    return value ? *value : std::string();
  }
  ++pos_;  // '{'
  if (depth_ >= ShellLexer::kMaxNesting) {
    return Status::Invalid("variable substitutions nested more than " +
                           std::to_string(ShellLexer::kMaxNesting) + " deep");
  }
  ++depth_;
  Result<std::string> result = Braced();
  --depth_;
  return result;
}

Result<std::string> WordExpander::Braced() {
  const int first = PeekByte();
  if (first == kEnd) return Status::Invalid("syntax error: missing '}'");
  if (first == '{' || first == '}' || first == ':') {
    return Status::Invalid("syntax error: bad substitution");
  }
  const std::string name = Name();
  if (AtEnd()) return Status::Invalid("syntax error: missing '}'");
  const std::string_view unit = NextUnit();
  const char op = unit.size() == 1 ? unit[0] : '\0';
  switch (op) {
    case '}': {
      const std::string* value = Lookup(name);
      if (!value && options_.skip_unset_env) return "${" + name + "}";
      return value ? *value : std::string();
    }
    case ':': {
      // ${VAR:<op>word}: like ${VAR<op>word} but an empty value counts as unset.
      if (AtEnd()) return Status::Invalid("syntax error: missing '}'");
      const std::string_view second = NextUnit();
      return Modifier(name, std::string(unit) + std::string(second),
                      second.size() == 1 ? second[0] : '\0', true);
    }
    case '+':
    case '-':
    case '?':
    case '#':
    case '%':
      return Modifier(name, std::string(unit), op, false);
    case '/':
      return Replace(name);
    default:
      return Status::Invalid("unsupported modifier (" + std::string(unit) + ") in substitution");
  }
}

Result<std::string> WordExpander::Modifier(const std::string& name, std::string modifier, char op,
                                           bool null_is_unset) {
  // Patterns keep their escape characters so that `\*` stays a literal star.
  const bool raw = op == '#' || op == '%';
  Result<Expanded> word_result = ExpandUntil('}', raw);
  if (!word_result.ok()) {
    if (AtEnd()) return Status::Invalid("syntax error: missing '}'");
    return word_result.status();
  }
  std::string word = std::move(word_result->text);
  const std::string* value = Lookup(name);
  if (!value && options_.skip_unset_env) return "${" + name + modifier + word + "}";
  const bool unset = !value || (null_is_unset && value->empty());
  switch (op) {
    case '-':
      return unset ? word : *value;
    case '+':
      return unset ? std::string() : word;
    case '?':
      if (!value)
        return Status::Invalid(name + ": " + (word.empty() ? "is not allowed to be unset" : word));
      if (unset)
        return Status::Invalid(name + ": " + (word.empty() ? "is not allowed to be empty" : word));
      return *value;
    case '#':
    case '%': {
      // A doubled operator (## or %%) asks for the longest match.
      const bool longest = !word.empty() && word[0] == op;
      if (longest) word.erase(0, 1);
      const std::string subject = value ? *value : std::string();
      return op == '#' ? TrimShellPrefix(subject, word, longest)
                       : TrimShellSuffix(subject, word, longest);
    }
    default:
      return Status::Invalid("unsupported modifier (" + modifier + ") in substitution");
  }
}

Result<std::string> WordExpander::Replace(const std::string& name) {
  const bool all = PeekByte() == '/';
  if (all) ++pos_;
  Result<Expanded> pattern = ExpandUntil('/', true);
  if (!pattern.ok()) {
    if (AtEnd()) return Status::Invalid("syntax error: missing '/' in ${}");
    return pattern.status();
  }
  Result<Expanded> replacement = ExpandUntil('}', true);
  if (!replacement.ok()) {
    if (AtEnd()) return Status::Invalid("syntax error: missing '}'");
    return replacement.status();
  }
  const std::string* value = Lookup(name);
  if (!value && options_.skip_unset_env) {
    return "${" + name + (all ? "//" : "/") + pattern->text + "/" + replacement->text + "}";
  }
  return ReplaceShellPattern(value ? *value : std::string(), pattern->text, replacement->text, all,
                             ShellLexer::kMaxResultBytes);
}

std::string Abbreviated(std::string_view word) {
  constexpr size_t kMax = 200;
  if (word.size() <= kMax) return std::string(word);
  return std::string(word.substr(0, kMax)) + "...";
}

}  // namespace

ShellLexer::ShellLexer(char escape) {
  options_.escape = escape;
}

ShellLexer::ShellLexer(ShellLexerOptions options) : options_(options) {}

Result<ShellExpansion> ShellLexer::Expand(std::string_view word, const Environment& env) const {
  WordExpander expander(word, env, options_);
  Result<Expanded> expanded = expander.ExpandUntil(std::nullopt, options_.raw_escapes);
  if (!expanded.ok()) {
    return expanded.status().Prefixed("failed to process \"" + Abbreviated(word) + "\"");
  }
  ShellExpansion out;
  out.word = std::move(expanded->text);
  out.words = std::move(expanded->words);
  out.matched = expander.TakeMatched();
  out.unmatched = expander.TakeUnmatched();
  return out;
}

Result<std::string> ShellLexer::ProcessWord(std::string_view word, const Environment& env) const {
  DISTILL_ASSIGN_OR_RETURN(ShellExpansion expansion, Expand(word, env));
  return std::move(expansion.word);
}

Result<std::vector<std::string>> ShellLexer::ProcessWords(std::string_view word,
                                                          const Environment& env) const {
  DISTILL_ASSIGN_OR_RETURN(ShellExpansion expansion, Expand(word, env));
  return std::move(expansion.words);
}

}  // namespace distill::dockerfile
