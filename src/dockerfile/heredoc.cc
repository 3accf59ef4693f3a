#include "dockerfile/heredoc.h"

#include <optional>
#include <string>

namespace distill::dockerfile::syntax {
namespace {

bool IsWordSeparator(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Shell words with quotes and escapes left in; nullopt if a quote is unclosed.
std::optional<std::vector<std::string>> RawShellWords(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (IsWordSeparator(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\') {
      word.push_back(c);
      if (i + 1 < line.size()) word.push_back(line[++i]);
      continue;
    }
    if (c == '\'' || c == '"') {
      const size_t close = [&] {
        for (size_t j = i + 1; j < line.size(); ++j) {
          if (c == '"' && line[j] == '\\') {
            ++j;
            continue;
          }
          if (line[j] == c) return j;
        }
        return std::string_view::npos;
      }();
      if (close == std::string_view::npos) return std::nullopt;
      word.append(line.substr(i, close - i + 1));
      i = close;
      continue;
    }
    word.push_back(c);
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

// Removes quoting from a heredoc delimiter word; sets *quoted when a quote
// character acted as a quote (not when it was escaped).
std::optional<std::string> UnquoteDelimiter(std::string_view raw, bool* quoted) {
  std::string out;
  char quote = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (quote == '\'') {
      if (c == '\'') {
        quote = 0;
      } else {
        out.push_back(c);
      }
      continue;
    }
    if (c == '\\' && i + 1 < raw.size()) {
      const char next = raw[i + 1];
      // Inside double quotes a backslash only escapes these characters.
      if (quote == '"' && next != '"' && next != '\\' && next != '$' && next != '`') {
        out.push_back(c);
        continue;
      }
      out.push_back(next);
      ++i;
      continue;
    }
    if (quote == '"') {
      if (c == '"') {
        quote = 0;
      } else {
        out.push_back(c);
      }
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      *quoted = true;
      continue;
    }
    if (IsWordSeparator(c)) return std::nullopt;  // more than one word
    out.push_back(c);
  }
  if (quote != 0) return std::nullopt;
  return out;
}

}  // namespace

std::vector<Heredoc> HeredocMarkers(std::string_view line) {
  std::vector<Heredoc> docs;
  if (line.find("<<") == std::string_view::npos) return docs;
  std::optional<std::vector<std::string>> words = RawShellWords(line);
  if (!words) return docs;
  for (std::string_view word : *words) {
    size_t i = 0;
    while (i < word.size() && word[i] >= '0' && word[i] <= '9') ++i;
    if (word.substr(i, 2) != "<<") continue;
    i += 2;
    Heredoc doc;
    if (i < word.size() && word[i] == '-') {
      doc.chomp = true;
      ++i;
    }
    std::string_view rest = word.substr(i);
    if (rest.empty() || rest.find('<') != std::string_view::npos) continue;
    bool quoted = false;
    std::optional<std::string> name = UnquoteDelimiter(rest, &quoted);
    if (!name) continue;
    doc.name = std::move(*name);
    doc.expand = !quoted;
    docs.push_back(std::move(doc));
  }
  return docs;
}

bool CanContainHeredoc(const Instruction& inst) {
  const Instruction* target = &inst;
  if (inst.keyword == "onbuild" && inst.nested) target = inst.nested.get();
  const std::string& kw = target->keyword;
  if (kw != "run" && kw != "copy" && kw != "add") return false;
  return !target->json;
}

}  // namespace distill::dockerfile::syntax
