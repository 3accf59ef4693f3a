// The accounts a recipe adds: its groups and users appended to the base
// image's /etc/group and /etc/passwd (whose entries stay as they are), and
// the lookups of "user"/"owner" names against the result.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "recipe/image_recipe.h"
#include "util/status.h"

namespace distill::recipe {

struct AccountFiles {
  std::string passwd;
  std::string group;
};

// Appends the recipe's groups, then its users (a user without a gid gets a
// group of its own name, gid = uid, unless a group of that name exists).
// Names or ids already in the base are errors naming the recipe.
Result<AccountFiles> AddAccounts(const AccountFiles& base, const ImageRecipe& recipe);

// "" → 0:0; "app", "1000", "app:staff", "1000:50" → uid and gid, names looked
// up in `accounts` (a user's gid is its primary group's).
Result<std::pair<uint32_t, uint32_t>> LookupOwner(const std::string& spec,
                                                  const AccountFiles& accounts);

}  // namespace distill::recipe
