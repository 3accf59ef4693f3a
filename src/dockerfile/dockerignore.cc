#include "dockerfile/dockerignore.h"

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

#include "dockerfile/clean_path.h"

namespace distill::dockerfile {
namespace {

std::string_view TrimSpace(std::string_view s) {
  constexpr std::string_view kSpace = " \t\n\v\f\r";
  const size_t begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return s.substr(begin, s.find_last_not_of(kSpace) - begin + 1);
}

// A context-relative path in the form patterns are matched against.
std::string NormalizeRelative(std::string_view path) {
  std::string clean = CleanPath(path);
  if (clean == "/") return ".";
  if (clean[0] == '/') clean.erase(0, 1);
  return clean;
}

}  // namespace

Status DockerIgnore::Add(std::string pattern, const std::string& where) {
  std::string p = CleanPath(TrimSpace(pattern));
  if (TrimSpace(pattern).empty()) return Status::Ok();
  bool exception = false;
  if (p[0] == '!') {
    if (p.size() == 1) return Status::Invalid(where + ": illegal exclusion pattern \"!\"");
    exception = true;
    p.erase(0, 1);
  }
  Result<IgnorePattern> compiled = IgnorePattern::Compile(p);
  if (!compiled.ok()) return compiled.status().Prefixed(where);
  rules_.push_back({std::move(compiled).value(), exception});
  has_exceptions_ = has_exceptions_ || exception;
  return Status::Ok();
}

Result<DockerIgnore> DockerIgnore::Parse(std::string_view text, const std::string& filename) {
  DockerIgnore ignore;
  int line_number = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_number == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    // Only a '#' in the very first column starts a comment.
    if (!line.empty() && line[0] == '#') continue;
    std::string_view trimmed = TrimSpace(line);
    if (trimmed.empty()) continue;
    const bool exception = trimmed[0] == '!';
    if (exception) trimmed = TrimSpace(trimmed.substr(1));
    std::string pattern;
    if (!trimmed.empty()) {
      pattern = CleanPath(trimmed);
      // Patterns are relative to the context root even when written as absolute.
      if (pattern.size() > 1 && pattern[0] == '/') pattern.erase(0, 1);
    }
    if (exception) pattern.insert(0, "!");
    DISTILL_RETURN_IF_ERROR(ignore.Add(pattern, filename + ":" + std::to_string(line_number)));
  }
  return ignore;
}

Result<DockerIgnore> DockerIgnore::FromPatterns(const std::vector<std::string>& patterns) {
  DockerIgnore ignore;
  for (const std::string& pattern : patterns) {
    DISTILL_RETURN_IF_ERROR(ignore.Add(pattern, "exclude pattern \"" + pattern + "\""));
  }
  return ignore;
}

Result<DockerIgnore> DockerIgnore::Load(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::FromErrno("cannot read " + path.string(), errno);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::Io("cannot read " + path.string());
  return Parse(text.str(), path.string());
}

bool DockerIgnore::Excluded(std::string_view rel_path) const {
  const std::string path = NormalizeRelative(rel_path);
  if (path == ".") return false;
  bool excluded = false;
  for (const Rule& rule : rules_) {
    // An exclusion cannot change an excluded path, nor an exception an
    // included one: skip the work.
    if (rule.exception != excluded) continue;
    bool match = rule.pattern.Matches(path);
    // A pattern that matches a parent directory matches everything below it.
    for (size_t slash = path.find('/'); !match && slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
      match = rule.pattern.Matches(std::string_view(path).substr(0, slash));
    }
    if (match) excluded = !rule.exception;
  }
  return excluded;
}

bool DockerIgnore::CanSkipDirectory(std::string_view rel_dir) const {
  const std::string dir = NormalizeRelative(rel_dir);
  if (dir == "." || !Excluded(dir)) return false;
  for (const Rule& rule : rules_) {
    if (rule.exception && rule.pattern.CouldMatchBelow(dir)) return false;
  }
  return true;
}

std::vector<std::string> DockerIgnore::patterns() const {
  std::vector<std::string> out;
  out.reserve(rules_.size());
  for (const Rule& rule : rules_) {
    out.push_back((rule.exception ? "!" : "") + rule.pattern.text());
  }
  return out;
}

std::optional<std::filesystem::path> FindIgnoreFile(const std::filesystem::path& dockerfile,
                                                    const std::filesystem::path& context_dir,
                                                    const FileExistsFn& exists) {
  const std::string name = dockerfile.filename().string();
  if (!name.empty() && dockerfile != "-") {
    std::filesystem::path specific = dockerfile;
    specific.replace_filename(name + ".dockerignore");
    if (exists(specific)) return specific;
  }
  std::filesystem::path common = context_dir / ".dockerignore";
  if (exists(common)) return common;
  return std::nullopt;
}

std::optional<std::filesystem::path> FindIgnoreFile(const std::filesystem::path& dockerfile,
                                                    const std::filesystem::path& context_dir) {
  return FindIgnoreFile(dockerfile, context_dir, [](const std::filesystem::path& p) {
    std::error_code ec;
    return std::filesystem::is_regular_file(p, ec);
  });
}

}  // namespace distill::dockerfile
