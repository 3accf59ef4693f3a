#include "debian/control.h"

#include <strings.h>

#include <cstring>

namespace distill::debian {
namespace {

bool IsBlank(char c) {
  return c == ' ' || c == '\t';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (IsBlank(s.front()) || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (IsBlank(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool NamesEqual(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

bool IsBlankLine(std::string_view line) {
  return Trim(line).empty();
}

}  // namespace

const std::string* Paragraph::Find(std::string_view name) const {
  for (const ControlField& f : fields_) {
    if (NamesEqual(f.name, name)) return &f.value;
  }
  return nullptr;
}

std::string Paragraph::Get(std::string_view name, std::string_view fallback) const {
  const std::string* v = Find(name);
  return v != nullptr ? *v : std::string(fallback);
}

void Paragraph::Set(std::string name, std::string value) {
  for (ControlField& f : fields_) {
    if (NamesEqual(f.name, name)) {
      f.value = std::move(value);
      return;
    }
  }
  fields_.push_back({std::move(name), std::move(value)});
}

ParagraphReader::ParagraphReader(Reader* in, std::string source_name, ControlOptions options)
    : in_(in), source_name_(std::move(source_name)), options_(options) {}

Status ParagraphReader::Error(const std::string& what) const {
  return Status::Corrupt(source_name_ + ":" + std::to_string(line_number_) + ": " + what);
}

Result<bool> ParagraphReader::ReadLine(std::string* line) {
  line->clear();
  while (true) {
    size_t nl = buffer_.find('\n', buffer_pos_);
    if (nl != std::string::npos) {
      line->append(buffer_, buffer_pos_, nl - buffer_pos_);
      buffer_pos_ = nl + 1;
      ++line_number_;
      return true;
    }
    line->append(buffer_, buffer_pos_, std::string::npos);
    buffer_.clear();
    buffer_pos_ = 0;
    if (eof_) {
      if (line->empty()) return false;
      ++line_number_;  // a last line without '\n'
      return true;
    }
    buffer_.resize(64 * 1024);
    auto n = in_->Read(buffer_.data(), buffer_.size());
    if (!n.ok()) {
      buffer_.clear();
      return n.status().Prefixed(source_name_);
    }
    buffer_.resize(*n);
    if (*n == 0) eof_ = true;
  }
}

Result<bool> ParagraphReader::Next(Paragraph* out) {
  *out = Paragraph();
  std::vector<ControlField>& fields = out->fields_;
  fields.reserve(24);  // a Packages paragraph has about 15 fields
  std::string line;
  while (true) {
    DISTILL_ASSIGN_OR_RETURN(bool got, ReadLine(&line));
    if (!got) break;
    if (options_.allow_comments && !line.empty() && line[0] == '#') continue;
    if (IsBlankLine(line)) {
      if (!fields.empty()) break;
      continue;
    }
    if (IsBlank(line[0])) {
      if (fields.empty()) return Error("continuation line before any field");
      std::string_view rest = std::string_view(line).substr(1);
      if (!rest.empty() && rest.back() == '\r') rest.remove_suffix(1);
      std::string& value = fields.back().value;
      value.push_back('\n');
      if (Trim(rest) != ".") value.append(rest);
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string::npos) return Error("line without a colon: \"" + line + "\"");
    std::string_view name = Trim(std::string_view(line).substr(0, colon));
    if (name.empty()) return Error("field with an empty name");
    if (fields.empty()) out->set_line(line_number_);
    for (const ControlField& f : fields) {
      if (NamesEqual(f.name, name)) return Error("duplicate field \"" + std::string(name) + "\"");
    }
    // A value that is only continuation lines starts with '\n' (e.g. "SHA256:").
    fields.push_back(
        {std::string(name), std::string(Trim(std::string_view(line).substr(colon + 1)))});
  }
  return !fields.empty();
}

std::string FormatParagraph(const Paragraph& paragraph) {
  std::string out;
  for (const ControlField& f : paragraph.fields()) {
    out += f.name;
    out += ':';
    size_t start = 0;
    bool first = true;
    while (true) {
      size_t nl = f.value.find('\n', start);
      std::string_view line = std::string_view(f.value).substr(
          start, nl == std::string::npos ? std::string::npos : nl - start);
      if (first) {
        if (!line.empty()) out += ' ';
        out += line;
        first = false;
      } else {
        out += line.empty() ? " ." : " " + std::string(line);
      }
      out += '\n';
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
  return out;
}

Result<std::vector<Paragraph>> ParseControl(std::string_view text, std::string source_name,
                                            ControlOptions options) {
  StringReader reader{std::string(text)};
  ParagraphReader pr(&reader, std::move(source_name), options);
  std::vector<Paragraph> out;
  while (true) {
    Paragraph p;
    DISTILL_ASSIGN_OR_RETURN(bool got, pr.Next(&p));
    if (!got) break;
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace distill::debian
