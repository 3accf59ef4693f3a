#include "exec/user_lookup.h"

#include <charconv>
#include <cstdint>

#include "exec/in_root.h"

namespace distill::exec {
namespace {

struct PasswdEntry {
  std::string name;
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::string home;
};

struct GroupEntry {
  std::string name;
  uint32_t gid = 0;
  std::vector<std::string> members;
};

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t i = s.find(sep, start);
    out.emplace_back(s.substr(start, i == std::string_view::npos ? s.npos : i - start));
    if (i == std::string_view::npos) return out;
    start = i + 1;
  }
}

// Ids are accepted in [0, 2^31-1], as runc does (larger values are not valid
// kernel ids in practice and -1 means "unchanged" to set*id).
std::optional<uint32_t> ParseId(std::string_view s) {
  if (s.empty() || s.size() > 10) return std::nullopt;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v > 0x7fffffffULL) return std::nullopt;
  return static_cast<uint32_t>(v);
}

// Lines that do not parse (comments, NIS "+" entries, garbage) are skipped, as
// libc's getpwent does.
std::vector<PasswdEntry> ParsePasswd(const std::string& text) {
  std::vector<PasswdEntry> out;
  for (const std::string& line : Split(text, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f = Split(line, ':');
    if (f.size() < 4) continue;
    auto uid = ParseId(f[2]);
    auto gid = ParseId(f[3]);
    if (!uid || !gid) continue;
    out.push_back({f[0], *uid, *gid, f.size() > 5 ? f[5] : std::string()});
  }
  return out;
}

std::vector<GroupEntry> ParseGroup(const std::string& text) {
  std::vector<GroupEntry> out;
  for (const std::string& line : Split(text, '\n')) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> f = Split(line, ':');
    if (f.size() < 3) continue;
    auto gid = ParseId(f[2]);
    if (!gid) continue;
    GroupEntry g{f[0], *gid, {}};
    if (f.size() > 3 && !f[3].empty()) {
      for (std::string& m : Split(f[3], ',')) {
        if (!m.empty()) g.members.push_back(std::move(m));
      }
    }
    out.push_back(std::move(g));
  }
  return out;
}

}  // namespace

Result<ResolvedUser> ResolveUser(std::string_view user_spec,
                                 const std::optional<std::string>& passwd,
                                 const std::optional<std::string>& group) {
  ResolvedUser result;
  if (user_spec.empty()) user_spec = "0";
  size_t colon = user_spec.find(':');
  std::string user_part(user_spec.substr(0, colon));
  bool group_given = colon != std::string_view::npos;
  std::string group_part = group_given ? std::string(user_spec.substr(colon + 1)) : "";
  if (user_part.empty()) {
    return Status::Invalid("invalid user \"" + std::string(user_spec) + "\": empty user name");
  }
  if (group_given && group_part.empty()) {
    return Status::Invalid("invalid user \"" + std::string(user_spec) + "\": empty group name");
  }

  std::optional<uint32_t> numeric_uid = ParseId(user_part);
  std::vector<PasswdEntry> users = passwd ? ParsePasswd(*passwd) : std::vector<PasswdEntry>{};
  const PasswdEntry* matched = nullptr;
  for (const PasswdEntry& u : users) {
    if (u.name == user_part || (numeric_uid && u.uid == *numeric_uid)) {
      matched = &u;  // first match wins, as in libc
      break;
    }
  }
  if (matched != nullptr) {
    result.uid = matched->uid;
    result.gid = matched->gid;
    if (!matched->home.empty()) result.home = matched->home;
  } else if (numeric_uid) {
    result.uid = *numeric_uid;
  } else {
    return Status::NotFound(
        "unable to find user " + user_part + ": no matching entries in " +
        (passwd ? "passwd file" : "passwd file (the image has no /etc/passwd)"));
  }

  std::vector<GroupEntry> groups = group ? ParseGroup(*group) : std::vector<GroupEntry>{};
  if (group_given) {
    std::optional<uint32_t> numeric_gid = ParseId(group_part);
    const GroupEntry* g = nullptr;
    for (const GroupEntry& e : groups) {
      if (e.name == group_part || (numeric_gid && e.gid == *numeric_gid)) {
        g = &e;
        break;
      }
    }
    if (g != nullptr) {
      result.gid = g->gid;
    } else if (numeric_gid) {
      result.gid = *numeric_gid;
    } else {
      return Status::NotFound("unable to find group " + group_part + ": no matching entries in " +
                              (group ? "group file" : "group file (the image has no /etc/group)"));
    }
  } else if (matched != nullptr) {
    // Supplementary groups only in the implicit form, and only for a user
    // that has a name to be listed under.
    for (const GroupEntry& e : groups) {
      for (const std::string& m : e.members) {
        if (m == matched->name) {
          result.supplementary_gids.push_back(e.gid);
          break;
        }
      }
    }
  }
  return result;
}

Result<ResolvedUser> ResolveUserInRootfs(const std::string& rootfs, std::string_view user_spec) {
  auto read_optional = [&](const char* path) -> Result<std::optional<std::string>> {
    Result<std::string> r = ReadFileInRoot(rootfs, path);
    if (r.ok()) return std::optional<std::string>(std::move(r).value());
    if (r.status().code() == Status::Code::kNotFound) return std::optional<std::string>();
    return r.status();
  };
  DISTILL_ASSIGN_OR_RETURN(auto passwd, read_optional("/etc/passwd"));
  DISTILL_ASSIGN_OR_RETURN(auto group, read_optional("/etc/group"));
  Result<ResolvedUser> user = ResolveUser(user_spec, passwd, group);
  if (!user.ok()) {
    return user.status().Prefixed("user \"" + std::string(user_spec) + "\" in rootfs " + rootfs);
  }
  return user;
}

}  // namespace distill::exec
