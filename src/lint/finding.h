// What the linter reports: one Finding per problem, with where it is, why it
// matters and how to fix it, and the text/JSON renderings the CLI prints.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distill::lint {

// Ordered: a --fail-on threshold compares with >=.
enum class Severity { kInfo = 0, kWarning = 1, kError = 2 };

const char* SeverityName(Severity s);  // "info", "warning", "error"
std::optional<Severity> ParseSeverity(std::string_view name);

struct Finding {
  std::string rule;  // "DL3015", "FromAsCasing", ...
  Severity severity = Severity::kWarning;
  std::string file;
  int line = 0;  // 1-based; 0 when the finding is about the whole file
  std::string message;
  std::string why;
  std::string fix;
};

struct LintReport {
  std::vector<Finding> findings;  // sorted by line, then rule
  // `# check=error=true`: warnings were raised to errors.
  bool warnings_as_errors = false;
  // Number of findings at each severity, for the summary line.
  int Count(Severity s) const;
  // Whether any finding is at or above `threshold`.
  bool HasAtOrAbove(Severity threshold) const;
};

// "Dockerfile:12: [DL3015] message\n  why: ...\n  fix: ...\n" per finding, then a
// summary line ("3 findings: 1 error, 2 warnings, 0 info" or "no findings").
std::string FormatFindings(const LintReport& report);

// A JSON array of {rule, severity, file, line, message, why, fix}.
nlohmann::json FindingsToJson(const LintReport& report);

}  // namespace distill::lint
