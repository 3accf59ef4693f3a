// Attack surface of an image: what an attacker who gets code execution in the
// container would find useful (a shell, a package manager, compilers, setuid
// binaries, writable paths, root, leftover secrets). Judged from the final
// filesystem view and the config's User.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "inspect/fs_view.h"
#include "oci/image_config.h"

namespace distill::inspect {

// Category names as --fail-on spells them.
inline constexpr std::string_view kShell = "shell";
inline constexpr std::string_view kPackageManager = "package-manager";
inline constexpr std::string_view kCompiler = "compiler";
inline constexpr std::string_view kSetuid = "setuid";
inline constexpr std::string_view kWorldWritable = "world-writable";
inline constexpr std::string_view kRoot = "root";
inline constexpr std::string_view kSecrets = "secrets";

// All categories in report order.
const std::vector<std::string_view>& FindingCategories();

struct Finding {
  std::string category;  // one of the names above
  std::string path;      // "" for root (a config property)
  int layer = -1;        // the layer that added `path`; -1 for config findings
  std::string detail;    // e.g. "setuid root", "User is \"\""
};

// True when `user` (the config's User) means uid 0: "", "root", "0", "0:0", "root:...".
bool RunsAsRoot(std::string_view user);

// Every finding, grouped by category in FindingCategories() order, by path within.
std::vector<Finding> FindAttackSurface(const FsView& fs, const oci::ImageConfig& config);

// Distinct categories of `findings`, in order.
std::vector<std::string> CategoriesOf(const std::vector<Finding>& findings);

// "distroless-grade: no shell, no package manager, non-root" when there are no
// findings; else "3 findings: shell, package manager, root" (categories, with
// the number of findings).
std::string Verdict(const std::vector<Finding>& findings);

}  // namespace distill::inspect
