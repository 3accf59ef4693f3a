#include "lint/finding.h"

namespace distill::lint {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "warning";
}

std::optional<Severity> ParseSeverity(std::string_view name) {
  if (name == "info") return Severity::kInfo;
  if (name == "warning") return Severity::kWarning;
  if (name == "error") return Severity::kError;
  return std::nullopt;
}

int LintReport::Count(Severity s) const {
  int n = 0;
  for (const auto& f : findings) n += f.severity == s ? 1 : 0;
  return n;
}

bool LintReport::HasAtOrAbove(Severity threshold) const {
  for (const auto& f : findings) {
    if (f.severity >= threshold) return true;
  }
  return false;
}

namespace {

std::string Plural(int n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

std::string FormatFindings(const LintReport& report) {
  std::string out;
  for (const auto& f : report.findings) {
    out += f.file;
    if (f.line > 0) out += ":" + std::to_string(f.line);
    out += ": [" + f.rule + "] " + f.message;
    if (f.severity != Severity::kWarning) out += std::string(" (") + SeverityName(f.severity) + ")";
    out += "\n";
    if (!f.why.empty()) out += "  why: " + f.why + "\n";
    if (!f.fix.empty()) out += "  fix: " + f.fix + "\n";
  }
  if (report.findings.empty()) {
    out += "no findings\n";
  } else {
    out += Plural(static_cast<int>(report.findings.size()), "finding") + ": " +
           Plural(report.Count(Severity::kError), "error") + ", " +
           Plural(report.Count(Severity::kWarning), "warning") + ", " +
           std::to_string(report.Count(Severity::kInfo)) + " info";
    if (report.warnings_as_errors) out += " (check=error=true: warnings count as errors)";
    out += "\n";
  }
  return out;
}

nlohmann::json FindingsToJson(const LintReport& report) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& f : report.findings) {
    array.push_back({{"rule", f.rule},
                     {"severity", SeverityName(f.severity)},
                     {"file", f.file},
                     {"line", f.line},
                     {"message", f.message},
                     {"why", f.why},
                     {"fix", f.fix}});
  }
  return array;
}

}  // namespace distill::lint
