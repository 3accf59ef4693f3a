// Where the store lives when the user does not say (DESIGN.md "Decisions"):
//   --root flag  >  $DISTILL_ROOT  >  /var/lib/distill (euid 0)
//   >  $XDG_DATA_HOME/distill (absolute only, per the XDG spec)  >  $HOME/.local/share/distill
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace distill::store {

using EnvLookup = std::function<const char*(const char*)>;

// Reads the process environment and effective uid.
Result<std::string> DefaultStoreRoot(std::string_view root_flag = {});
// The same rule over an explicit environment and uid (for tests).
Result<std::string> DefaultStoreRoot(std::string_view root_flag, const EnvLookup& getenv_fn,
                                     unsigned euid);

}  // namespace distill::store
