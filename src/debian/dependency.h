// Dependency fields of Debian packages (policy §7.1): Depends, Pre-Depends,
// Recommends, Conflicts, Breaks, Provides. "a (>= 1.0) | b:any, c [amd64]"
// is a list of groups; a group is satisfied by any one of its alternatives.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "debian/version.h"
#include "util/status.h"

namespace distill::debian {

struct Dependency {
  std::string name;
  // After ':' in "name:qualifier": "any", "native" or an architecture; empty if none.
  std::string arch_qualifier;
  std::optional<Relation> relation;  // set together with `version`
  Version version;
  // "[amd64 arm64]" or "[!i386]": the architectures this alternative applies to
  // (Build-Depends style; kept for completeness). Entries keep their '!'.
  std::vector<std::string> architectures;
  // "<!nocheck> <stage1>": build-profile restriction lists, raw.
  std::vector<std::string> profiles;

  // "name:qual (>= 1.0) [amd64]" in the canonical spelling.
  std::string str() const;
  // True when the version of a candidate meets the relation (always, if none).
  bool VersionMatches(const Version& candidate) const;
  // True when the [arch] list admits `arch` (always, when there is none).
  bool AppliesTo(std::string_view arch) const;
};

// One group of alternatives, "a | b | c".
using DependencyGroup = std::vector<Dependency>;

// Parses a comma-separated dependency field. `field_name` only names it in
// errors. Empty groups from a trailing comma are ignored, as dpkg does.
Result<std::vector<DependencyGroup>> ParseDependencies(std::string_view text,
                                                       std::string_view field_name = "Depends");

// Parses a field where alternatives are not allowed (Provides, Conflicts, Breaks).
Result<std::vector<Dependency>> ParseDependencyList(std::string_view text,
                                                    std::string_view field_name = "Provides");

std::string GroupString(const DependencyGroup& group);

}  // namespace distill::debian
