#include "recipe/accounts.h"

#include <optional>
#include <vector>

namespace distill::recipe {
namespace {

// One line of /etc/passwd or /etc/group split at ':'.
std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t colon = line.find(':', start);
    out.push_back(
        line.substr(start, colon == std::string::npos ? std::string::npos : colon - start));
    if (colon == std::string::npos) return out;
    start = colon + 1;
  }
}

std::vector<std::vector<std::string>> Records(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    start = nl == std::string::npos ? text.size() : nl + 1;
    if (line.empty() || line[0] == '#') continue;
    out.push_back(Fields(line));
  }
  return out;
}

bool IsNumber(const std::string& s) {
  return !s.empty() && s.size() <= 10 && s.find_first_not_of("0123456789") == std::string::npos;
}

// Field 0 is the name, field 2 the id, in both files.
std::optional<uint32_t> IdOf(const std::string& text, const std::string& name, size_t field = 2) {
  for (const auto& r : Records(text)) {
    if (r.size() > field && r[0] == name && IsNumber(r[field])) {
      return static_cast<uint32_t>(std::stoul(r[field]));
    }
  }
  return std::nullopt;
}

std::optional<std::string> NameOf(const std::string& text, uint32_t id) {
  for (const auto& r : Records(text)) {
    if (r.size() > 2 && IsNumber(r[2]) && std::stoul(r[2]) == id) return r[0];
  }
  return std::nullopt;
}

std::string WithNewline(std::string text) {
  if (!text.empty() && text.back() != '\n') text += '\n';
  return text;
}

}  // namespace

Result<AccountFiles> AddAccounts(const AccountFiles& base, const ImageRecipe& recipe) {
  AccountFiles out{WithNewline(base.passwd), WithNewline(base.group)};
  auto add_group = [&](const std::string& name, uint32_t gid) -> Status {
    if (IdOf(out.group, name)) {
      return Status::Invalid(recipe.path + ": group " + name + " already exists in the base image");
    }
    if (auto other = NameOf(out.group, gid)) {
      return Status::Invalid(recipe.path + ": gid " + std::to_string(gid) + " of group " + name +
                             " is taken by group " + *other + " in the base image");
    }
    out.group += name + ":x:" + std::to_string(gid) + ":\n";
    return Status::Ok();
  };
  for (const auto& g : recipe.groups) DISTILL_RETURN_IF_ERROR(add_group(g.name, g.gid));
  for (const auto& u : recipe.users) {
    if (IdOf(out.passwd, u.name)) {
      return Status::Invalid(recipe.path + ": user " + u.name +
                             " already exists in the base image");
    }
    if (auto other = NameOf(out.passwd, u.uid)) {
      return Status::Invalid(recipe.path + ": uid " + std::to_string(u.uid) + " of user " + u.name +
                             " is taken by user " + *other + " in the base image");
    }
    uint32_t gid;
    if (u.gid) {
      gid = *u.gid;
      if (!NameOf(out.group, gid)) {
        return Status::Invalid(recipe.path + ": user " + u.name + ": no group has gid " +
                               std::to_string(gid) + " (declare it under groups)");
      }
    } else if (auto own = IdOf(out.group, u.name)) {
      gid = *own;
    } else {
      gid = u.uid;
      DISTILL_RETURN_IF_ERROR(add_group(u.name, gid));
    }
    out.passwd += u.name + ":x:" + std::to_string(u.uid) + ":" + std::to_string(gid) + ":" +
                  u.name + ":" + u.home + ":" + u.shell + "\n";
  }
  return out;
}

Result<std::pair<uint32_t, uint32_t>> LookupOwner(const std::string& spec,
                                                  const AccountFiles& accounts) {
  if (spec.empty()) return std::make_pair(0u, 0u);
  size_t colon = spec.find(':');
  std::string user = spec.substr(0, colon);
  std::optional<uint32_t> uid, gid;
  if (IsNumber(user)) {
    uid = static_cast<uint32_t>(std::stoul(user));
  } else {
    uid = IdOf(accounts.passwd, user);
    if (!uid)
      return Status::NotFound("user \"" + user + "\" is neither in the recipe nor the base");
  }
  if (colon != std::string::npos) {
    std::string group = spec.substr(colon + 1);
    if (IsNumber(group)) {
      gid = static_cast<uint32_t>(std::stoul(group));
    } else {
      gid = IdOf(accounts.group, group);
      if (!gid) {
        return Status::NotFound("group \"" + group + "\" is neither in the recipe nor the base");
      }
    }
  } else if (!IsNumber(user)) {
    gid = IdOf(accounts.passwd, user, 3);
  } else {
    // A bare uid: its passwd entry's group when there is one, else the same id.
    for (const auto& r : Records(accounts.passwd)) {
      if (r.size() > 3 && IsNumber(r[2]) && std::stoul(r[2]) == *uid && IsNumber(r[3])) {
        gid = static_cast<uint32_t>(std::stoul(r[3]));
      }
    }
    if (!gid) gid = uid;
  }
  if (!gid) return Status::Invalid("user \"" + user + "\" has no numeric group in /etc/passwd");
  return std::make_pair(*uid, *gid);
}

}  // namespace distill::recipe
