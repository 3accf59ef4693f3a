#include "store/store_root.h"

#include <unistd.h>

#include <cstdlib>

namespace distill::store {

Result<std::string> DefaultStoreRoot(std::string_view root_flag) {
  return DefaultStoreRoot(
      root_flag, [](const char* name) { return std::getenv(name); },
      static_cast<unsigned>(::geteuid()));
}

Result<std::string> DefaultStoreRoot(std::string_view root_flag, const EnvLookup& getenv_fn,
                                     unsigned euid) {
  if (!root_flag.empty()) return std::string(root_flag);
  auto env = [&](const char* name) -> std::string {
    const char* v = getenv_fn(name);
    return v != nullptr ? std::string(v) : std::string();
  };
  if (std::string root = env("DISTILL_ROOT"); !root.empty()) return root;
  if (euid == 0) return std::string("/var/lib/distill");
  if (std::string xdg = env("XDG_DATA_HOME"); !xdg.empty() && xdg.front() == '/') {
    return xdg + "/distill";
  }
  if (std::string home = env("HOME"); !home.empty()) return home + "/.local/share/distill";
  return Status::Invalid(
      "cannot choose a store directory: HOME and XDG_DATA_HOME are unset; pass --root or set "
      "DISTILL_ROOT");
}

}  // namespace distill::store
