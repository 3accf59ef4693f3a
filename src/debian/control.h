// deb822 control data: the RFC822-like paragraphs of Packages, Release, dpkg
// status, .dsc and apt's .sources files (Debian policy §5.1, deb822(5)).
//
// A field's value keeps its line structure: the text after "Name:" (trimmed),
// then for each continuation line a '\n' and the line without its first
// whitespace character, a lone "." standing for an empty line. So a Release
// file's SHA256 field reads "\n<hash> <size> <path>\n...", and a Description
// reads "<synopsis>\n<long description lines>".
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "util/io.h"
#include "util/status.h"

namespace distill::debian {

struct ControlField {
  std::string name;
  std::string value;
};

class Paragraph {
 public:
  // Field names compare case-insensitively, as deb822 requires.
  const std::string* Find(std::string_view name) const;
  std::string Get(std::string_view name, std::string_view fallback = "") const;
  bool Has(std::string_view name) const { return Find(name) != nullptr; }
  // Adds a field, or replaces the value of one with the same name.
  void Set(std::string name, std::string value);

  const std::vector<ControlField>& fields() const { return fields_; }
  bool empty() const { return fields_.empty(); }
  // 1-based line of the paragraph's first field in its source.
  size_t line() const { return line_; }
  void set_line(size_t line) { line_ = line; }

 private:
  friend class ParagraphReader;  // appends fields it has already checked for duplicates

  std::vector<ControlField> fields_;
  size_t line_ = 0;
};

struct ControlOptions {
  // apt's .sources and sources.list allow '#' comment lines; Packages files do not.
  bool allow_comments = false;
};

// Reads paragraphs one at a time from a stream, so a 60k-paragraph Packages
// index never needs to be held as text. Not thread-safe. Errors name
// `source_name` and the line ("Packages:1234: line without a colon").
class ParagraphReader {
 public:
  ParagraphReader(Reader* in, std::string source_name, ControlOptions options = {});
  // Fills `out` with the next paragraph; false when the stream has no more.
  Result<bool> Next(Paragraph* out);

 private:
  // The next line without its '\n'; false at end of stream.
  Result<bool> ReadLine(std::string* line);
  Status Error(const std::string& what) const;

  Reader* in_;
  std::string source_name_;
  ControlOptions options_;
  std::string buffer_;
  size_t buffer_pos_ = 0;
  bool eof_ = false;
  size_t line_number_ = 0;
};

// Writes a paragraph back as deb822 text ending in '\n' (no blank line after
// it): the inverse of the parser, so that the control file of a package can
// be written into an image's dpkg status. Empty lines inside a value become " .".
std::string FormatParagraph(const Paragraph& paragraph);

// Parses a whole document held in memory.
Result<std::vector<Paragraph>> ParseControl(std::string_view text, std::string source_name,
                                            ControlOptions options = {});

}  // namespace distill::debian
