#include "lint/build_checks.h"

#include <set>
#include <vector>

namespace distill::lint {

Status BuildBlockers(const LintReport& report, const std::string& file) {
  std::vector<std::string> rules;
  std::set<std::string> seen;
  for (const auto& f : report.findings) {
    if (f.severity == Severity::kError && seen.insert(f.rule).second) rules.push_back(f.rule);
  }
  if (rules.empty()) return Status::Ok();
  std::string list;
  for (const auto& r : rules) list += (list.empty() ? "" : ", ") + r;
  return Status::Invalid(file + ": lint violation found for rules: " + list +
                         " (fix them, or skip a rule with `# check=skip=RULE`; " +
                         "`distill build --check` shows why and how)");
}

std::string FormatBuildWarnings(const LintReport& report) {
  std::string lines;
  int warnings = 0, errors = 0;
  for (const auto& f : report.findings) {
    if (f.severity < Severity::kWarning) continue;
    bool error = f.severity == Severity::kError;
    (error ? errors : warnings) += 1;
    lines += " - " + f.rule + (error ? " (error)" : "") + ": " + f.message;
    if (f.line > 0) lines += " (line " + std::to_string(f.line) + ")";
    lines += "\n";
  }
  if (warnings + errors == 0) return "";
  auto count = [](int n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  };
  std::string head = errors == 0 ? count(warnings, "warning")
                     : warnings == 0
                         ? count(errors, "error")
                         : count(errors, "error") + " and " + count(warnings, "warning");
  return head + " found (distill build --check for why and how to fix):\n" + lines;
}

int CheckExitCode(const LintReport& report) {
  return report.HasAtOrAbove(Severity::kWarning) ? 1 : 0;
}

}  // namespace distill::lint
