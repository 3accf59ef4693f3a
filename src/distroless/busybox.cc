#include "distroless/busybox.h"

#include <algorithm>

namespace distill::distroless {
namespace {

bool IsAppletChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
         c == '[' || c == ']';
}

}  // namespace

Result<std::vector<std::string>> BusyboxApplets(std::string_view binary,
                                                const std::string& source) {
  // Not anchored on a NUL before "[": trixie's busybox 1.37 has the table
  // right after other data (" [\0[[\0acpid..."). The checks below keep a
  // stray match from being taken for it.
  constexpr std::string_view kTableStart("[\0[[\0", 5);
  size_t search_from = 0;
  while (true) {
    size_t at = binary.find(kTableStart, search_from);
    if (at == std::string_view::npos) break;
    search_from = at + 1;
    std::vector<std::string> names;
    size_t pos = at;
    bool well_formed = true;
    while (pos < binary.size() && binary[pos] != '\0') {
      size_t end = binary.find('\0', pos);
      if (end == std::string_view::npos) {
        well_formed = false;
        break;
      }
      std::string_view name = binary.substr(pos, end - pos);
      if (!std::all_of(name.begin(), name.end(), IsAppletChar)) break;
      names.emplace_back(name);
      pos = end + 1;
    }
    // A real table is long, sorted, and has a shell.
    if (well_formed && names.size() >= 20 && std::is_sorted(names.begin(), names.end()) &&
        std::find(names.begin(), names.end(), "sh") != names.end()) {
      return names;
    }
  }
  return Status::NotFound(source + ": no busybox applet table (\"[\", \"[[\", ...) in the binary");
}

}  // namespace distill::distroless
