#include "dockerfile/parser.h"

#include <algorithm>
#include <optional>
#include <set>

#include "dockerfile/go_text.h"
#include "dockerfile/heredoc.h"
#include "dockerfile/line_parsers.h"

namespace distill::dockerfile {
namespace {

using syntax::CanContainHeredoc;
using syntax::HeredocMarkers;
using syntax::InstructionFromLine;
using syntax::TrimLeftSpace;

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Hands out the source's lines one at a time, each with its line terminator
// (heredoc bodies keep theirs), and counts them.
class LineReader {
 public:
  explicit LineReader(std::string_view source) : rest_(source) {}

  std::optional<std::string_view> Next() {
    if (rest_.empty()) return std::nullopt;
    size_t nl = rest_.find('\n');
    size_t len = nl == std::string_view::npos ? rest_.size() : nl + 1;
    std::string_view line = rest_.substr(0, len);
    rest_.remove_prefix(len);
    ++line_number_;
    return line;
  }
  // 1-based number of the line last returned (0 before the first).
  int line_number() const { return line_number_; }

 private:
  std::string_view rest_;
  int line_number_ = 0;
};

std::string_view TrimNewline(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::string_view TrimLeadingTabs(std::string_view s) {
  while (!s.empty() && s.front() == '\t') s.remove_prefix(1);
  return s;
}

bool IsComment(std::string_view raw_line) {
  std::string_view s = TrimLeftSpace(TrimNewline(raw_line));
  return !s.empty() && s.front() == '#';
}

// Removes a trailing line-continuation escape (and blanks after it). Returns
// true when the line continues. Two escapes in a row are an escaped escape, not
// a continuation.
bool TrimContinuation(std::string_view line, char escape, std::string* out) {
  std::string_view s = line;
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (!s.empty() && s.back() == escape && (s.size() == 1 || s[s.size() - 2] != escape)) {
    s.remove_suffix(1);
    out->assign(s);
    return true;
  }
  out->assign(line);
  return false;
}

// The reference's directive regexp, ^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$
// with \s = [\t\n\f\r ], matched by hand.
struct DirectiveMatch {
  std::string key;  // lower case
  std::string value;
};
bool IsDirectiveSpace(char c) {
  return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}
bool IsAsciiAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::optional<DirectiveMatch> MatchDirective(std::string_view s) {
  if (s.empty() || s[0] != '#') return std::nullopt;
  size_t i = 1;
  while (i < s.size() && IsDirectiveSpace(s[i])) ++i;
  if (i >= s.size() || !IsAsciiAlpha(s[i])) return std::nullopt;
  DirectiveMatch m;
  while (i < s.size() && (IsAsciiAlpha(s[i]) || (s[i] >= '0' && s[i] <= '9'))) {
    const char c = s[i++];
    m.key.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  while (i < s.size() && IsDirectiveSpace(s[i])) ++i;
  if (i >= s.size() || s[i] != '=') return std::nullopt;
  std::string_view after = s.substr(i + 1);
  if (after.empty()) return std::nullopt;
  std::string_view value = after;
  while (!value.empty() && IsDirectiveSpace(value.front())) value.remove_prefix(1);
  while (!value.empty() && IsDirectiveSpace(value.back())) value.remove_suffix(1);
  // The lazy group must take at least one character: an all-blank value is
  // the last blank.
  m.value = value.empty() ? std::string(after.substr(after.size() - 1)) : std::string(value);
  return m;
}

class Parser {
 public:
  Parser(std::string_view source, const std::string& filename) : lines_(source) {
    df_.filename = filename;
  }

  Result<Dockerfile> Run();

 private:
  Status Error(int line, const std::string& message) const {
    return Status::Invalid(df_.filename + ":" + std::to_string(line) + ": " + message);
  }
  Status CheckDirective(std::string_view line, int line_number);
  Status ReadHeredocBodies(Instruction* inst, int start_line);

  LineReader lines_;
  Dockerfile df_;
  bool directives_done_ = false;
  std::set<std::string> directives_seen_;
};

Status Parser::CheckDirective(std::string_view line, int line_number) {
  if (directives_done_) return Status::Ok();
  std::optional<DirectiveMatch> m = MatchDirective(line);
  if (!m || (m->key != "syntax" && m->key != "escape" && m->key != "check")) {
    directives_done_ = true;
    return Status::Ok();
  }
  if (!directives_seen_.insert(m->key).second) {
    return Error(line_number, "only one " + m->key + " parser directive can be used");
  }
  if (m->key == "escape") {
    if (m->value != "`" && m->value != "\\") {
      return Error(line_number, "invalid escape token '" + m->value + "' does not match ` or \\");
    }
    df_.directives.escape = m->value[0];
  } else if (m->key == "syntax") {
    df_.directives.syntax = m->value;
  } else {
    df_.directives.check = m->value;
  }
  return Status::Ok();
}

Status Parser::ReadHeredocBodies(Instruction* inst, int start_line) {
  for (Heredoc& doc : HeredocMarkers(inst->original)) {
    bool terminated = false;
    while (std::optional<std::string_view> raw = lines_.Next()) {
      std::string_view candidate = TrimNewline(*raw);
      if (doc.chomp) candidate = TrimLeadingTabs(candidate);
      if (candidate == doc.name) {
        terminated = true;
        break;
      }
      doc.content += doc.chomp ? TrimLeadingTabs(*raw) : *raw;
    }
    if (!terminated) {
      return Error(start_line,
                   "unterminated heredoc: no line \"" + doc.name + "\" before the end of the file");
    }
    inst->heredocs.push_back(std::move(doc));
  }
  return Status::Ok();
}

Result<Dockerfile> Parser::Run() {
  const char& escape = df_.directives.escape;
  while (std::optional<std::string_view> raw = lines_.Next()) {
    const int start_line = lines_.line_number();
    std::string_view first = *raw;
    if (start_line == 1 && first.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
      first.remove_prefix(kUtf8Bom.size());
    }
    first = TrimLeftSpace(TrimNewline(first));
    DISTILL_RETURN_IF_ERROR(CheckDirective(first, start_line));
    if (!first.empty() && first.front() == '#') first = {};

    std::string line;
    bool continues = TrimContinuation(first, escape, &line);
    if (!continues && line.empty()) continue;

    bool empty_continuation = false;
    std::string piece;
    while (continues) {
      std::optional<std::string_view> next = lines_.Next();
      if (!next) break;
      if (IsComment(*next)) continue;
      std::string_view text = TrimNewline(*next);
      if (TrimLeftSpace(text).empty()) {
        empty_continuation = true;
        continue;
      }
      continues = TrimContinuation(text, escape, &piece);
      line += piece;
    }
    if (empty_continuation) {
      df_.warnings.push_back(
          {start_line, "Empty continuation line found in: " + line +
                           " (empty continuation lines will become errors in a future release)"});
    }

    Result<Instruction> inst = InstructionFromLine(line, escape);
    if (!inst.ok()) return Error(start_line, inst.status().message());
    if (CanContainHeredoc(*inst)) DISTILL_RETURN_IF_ERROR(ReadHeredocBodies(&*inst, start_line));
    inst->start_line = start_line;
    inst->end_line = lines_.line_number();
    if (inst->nested) {
      inst->nested->start_line = inst->start_line;
      inst->nested->end_line = inst->end_line;
    }
    df_.instructions.push_back(std::move(inst).value());
  }
  if (df_.instructions.empty()) {
    return Error(std::max(1, lines_.line_number()), "file with no instructions");
  }
  return std::move(df_);
}

}  // namespace

Result<Dockerfile> Parse(std::string_view source, const std::string& filename) {
  return Parser(source, filename).Run();
}

}  // namespace distill::dockerfile
