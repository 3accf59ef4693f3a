// Checks on the text of RUN commands and on variable names: package-manager
// habits that bloat images (apt lists, recommends, pip caches) and names that
// look like secrets. Pure string functions, so each is easy to test alone.
#pragma once

#include <string>
#include <string_view>

namespace distill::lint {

// The shell command split at `&&`, `||`, `;`, `|` and newlines is searched
// for these; each returns true when the habit is present.
bool AptInstallWithoutNoRecommends(std::string_view script);
// apt-get update or install without `rm -rf /var/lib/apt/lists/*` in the same script.
bool AptListsNotCleaned(std::string_view script);
bool PipInstallWithoutNoCacheDir(std::string_view script);

// Whether an ARG/ENV name looks like it carries a secret (PASSWORD, TOKEN, ...).
bool LooksLikeSecretName(std::string_view name);

}  // namespace distill::lint
