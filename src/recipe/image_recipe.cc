#include "recipe/image_recipe.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "debian/sources.h"
#include "store/image_store.h"

namespace distill::recipe {
namespace {

namespace fs = std::filesystem;

// Turns a node and a message into "recipe.yaml:LINE: message".
class Checker {
 public:
  explicit Checker(std::string path) : path_(std::move(path)) {}

  std::string Where(const YAML::Node& node) const {
    int line = node.Mark().line;
    return line >= 0 ? path_ + ":" + std::to_string(line + 1) : path_;
  }
  Status Error(const YAML::Node& node, const std::string& message) const {
    return Status::Invalid(Where(node) + ": " + message);
  }

  Result<std::string> String(const YAML::Node& node, const std::string& key) const {
    if (!node.IsScalar()) return Error(node, key + " must be a string");
    return node.Scalar();
  }
  Result<uint32_t> Number(const YAML::Node& node, const std::string& key, uint64_t max) const {
    if (!node.IsScalar()) return Error(node, key + " must be a number");
    const std::string& s = node.Scalar();
    if (s.empty() || s.size() > 10 || s.find_first_not_of("0123456789") != std::string::npos ||
        std::stoull(s) > max) {
      return Error(node, key + " must be a whole number from 0 to " + std::to_string(max) +
                             ", not \"" + s + "\"");
    }
    return static_cast<uint32_t>(std::stoull(s));
  }
  Result<std::vector<std::string>> Strings(const YAML::Node& node, const std::string& key) const {
    if (!node.IsSequence()) {
      return Error(node, key + " must be a list of strings, e.g. [\"/app/run\", \"--flag\"]");
    }
    std::vector<std::string> out;
    for (const auto& item : node) {
      DISTILL_ASSIGN_OR_RETURN(std::string s, String(item, key + " entry"));
      out.push_back(std::move(s));
    }
    return out;
  }
  Result<std::string> AbsolutePath(const YAML::Node& node, const std::string& key) const {
    DISTILL_ASSIGN_OR_RETURN(std::string s, String(node, key));
    if (s.empty() || s.front() != '/') return Error(node, key + " must be an absolute path");
    for (size_t start = 1; start <= s.size();) {
      size_t slash = s.find('/', start);
      if (slash == std::string::npos) slash = s.size();
      std::string part = s.substr(start, slash - start);
      if (part == "." || part == ".." || (part.empty() && slash != s.size())) {
        return Error(node, key + " \"" + s + "\" must be a clean path (no //, . or ..)");
      }
      start = slash + 1;
    }
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    return s;
  }

  // Calls `each(key, value)` for a mapping's entries, rejecting keys not in
  // `known` and keys given twice.
  template <typename Fn>
  Status Fields(const YAML::Node& map, const std::string& what, const std::set<std::string>& known,
                Fn each) const {
    if (!map.IsMap()) return Error(map, what + " must be a mapping of key: value");
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      // Copies: yaml-cpp's iterator hands out a temporary pair, so a
      // reference to `it->first` would dangle past this statement.
      const YAML::Node key_node = it->first;
      const YAML::Node value_node = it->second;
      if (!key_node.IsScalar()) return Error(key_node, what + ": keys must be strings");
      const std::string key = key_node.Scalar();
      if (!known.count(key)) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        return Error(key_node, "unknown key \"" + key + "\" in " + what + " (known: " + list + ")");
      }
      if (!seen.insert(key).second) return Error(key_node, "\"" + key + "\" is given twice");
      DISTILL_RETURN_IF_ERROR(each(key, value_node));
    }
    return Status::Ok();
  }

  Status Require(const YAML::Node& map, const std::string& what,
                 const std::vector<std::string>& keys) const {
    for (const auto& key : keys) {
      if (!map[key]) return Error(map, what + " needs \"" + key + "\"");
    }
    return Status::Ok();
  }

 private:
  std::string path_;
};

bool IsAccountName(const std::string& s) {
  if (s.empty() || s.size() > 32) return false;
  if (!((s[0] >= 'a' && s[0] <= 'z') || s[0] == '_')) return false;
  return s.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") == std::string::npos;
}

bool IsPackageName(const std::string& s) {
  // Debian policy 5.6.1: lower case letters, digits, + - . ; at least two
  // characters, starting with an alphanumeric.
  if (s.size() < 2 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9'))) return false;
  return s.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789+-.") == std::string::npos;
}

bool IsEnvName(const std::string& s) {
  if (s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  return s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") ==
         std::string::npos;
}

Status ParseBase(const Checker& c, const YAML::Node& node, ImageRecipe* r) {
  DISTILL_ASSIGN_OR_RETURN(std::string base, c.String(node, "base"));
  if (base == "debian" || base == "debian-slim") {
    r->kind = BaseKind::kDebian;
    r->slim = base == "debian-slim";
    return Status::Ok();
  }
  if (base.rfind("distroless/", 0) == 0) {
    auto flavour = distroless::ParseFlavour(base.substr(11));
    if (!flavour.ok()) return c.Error(node, "base: " + flavour.status().message());
    r->kind = BaseKind::kDistroless;
    r->flavour = *flavour;
    return Status::Ok();
  }
  return c.Error(node,
                 "base \"" + base +
                     "\" is not one of distroless/static, distroless/base-nossl, "
                     "distroless/base, distroless/cc, distroless/python3, debian, debian-slim");
}

Status ParseGroups(const Checker& c, const YAML::Node& node, ImageRecipe* r) {
  if (!node.IsSequence()) return c.Error(node, "groups must be a list of {name, gid}");
  for (const auto& item : node) {
    RecipeGroup g;
    DISTILL_RETURN_IF_ERROR(c.Fields(item, "a group", {"name", "gid"},
                                     [&](const std::string& key, const YAML::Node& v) -> Status {
                                       if (key == "name") {
                                         DISTILL_ASSIGN_OR_RETURN(g.name, c.String(v, "name"));
                                         if (!IsAccountName(g.name))
                                           return c.Error(v, "\"" + g.name +
                                                                 "\" is not a valid group name "
                                                                 "(a-z, 0-9, _ and -)");
                                       } else {
                                         DISTILL_ASSIGN_OR_RETURN(g.gid,
                                                                  c.Number(v, "gid", 4294967294u));
                                       }
                                       return Status::Ok();
                                     }));
    DISTILL_RETURN_IF_ERROR(c.Require(item, "a group", {"name", "gid"}));
    for (const auto& other : r->groups) {
      if (other.name == g.name || other.gid == g.gid) {
        return c.Error(item, "group " + g.name + " (" + std::to_string(g.gid) +
                                 ") repeats the name or gid of group " + other.name);
      }
    }
    r->groups.push_back(std::move(g));
  }
  return Status::Ok();
}

Status ParseUsers(const Checker& c, const YAML::Node& node, ImageRecipe* r) {
  if (!node.IsSequence()) return c.Error(node, "users must be a list of {name, uid, ...}");
  for (const auto& item : node) {
    RecipeUser u;
    DISTILL_RETURN_IF_ERROR(c.Fields(
        item, "a user", {"name", "uid", "gid", "home", "shell"},
        [&](const std::string& key, const YAML::Node& v) -> Status {
          if (key == "name") {
            DISTILL_ASSIGN_OR_RETURN(u.name, c.String(v, "name"));
            if (!IsAccountName(u.name))
              return c.Error(v, "\"" + u.name + "\" is not a valid user name (a-z, 0-9, _ and -)");
          } else if (key == "uid") {
            DISTILL_ASSIGN_OR_RETURN(u.uid, c.Number(v, "uid", 4294967294u));
          } else if (key == "gid") {
            DISTILL_ASSIGN_OR_RETURN(u.gid, c.Number(v, "gid", 4294967294u));
          } else if (key == "home") {
            DISTILL_ASSIGN_OR_RETURN(u.home, c.AbsolutePath(v, "home"));
          } else {
            DISTILL_ASSIGN_OR_RETURN(u.shell, c.AbsolutePath(v, "shell"));
          }
          return Status::Ok();
        }));
    DISTILL_RETURN_IF_ERROR(c.Require(item, "a user", {"name", "uid"}));
    if (u.home.empty()) u.home = "/home/" + u.name;
    for (const auto& other : r->users) {
      if (other.name == u.name || other.uid == u.uid) {
        return c.Error(item, "user " + u.name + " (" + std::to_string(u.uid) +
                                 ") repeats the name or uid of user " + other.name);
      }
    }
    r->users.push_back(std::move(u));
  }
  return Status::Ok();
}

Status ParseFiles(const Checker& c, const YAML::Node& node, const fs::path& dir, ImageRecipe* r) {
  if (!node.IsSequence()) return c.Error(node, "files must be a list of {src, dest, ...}");
  for (const auto& item : node) {
    RecipeFile f;
    f.where = c.Where(item);
    DISTILL_RETURN_IF_ERROR(
        c.Fields(item, "a file", {"src", "dest", "mode", "owner"},
                 [&](const std::string& key, const YAML::Node& v) -> Status {
                   if (key == "src") {
                     DISTILL_ASSIGN_OR_RETURN(std::string src, c.String(v, "src"));
                     if (src.empty()) return c.Error(v, "src must name a file");
                     f.source = (dir / src).lexically_normal().string();
                   } else if (key == "dest") {
                     DISTILL_ASSIGN_OR_RETURN(f.dest, c.AbsolutePath(v, "dest"));
                     if (f.dest == "/") return c.Error(v, "dest must name a file, not /");
                   } else if (key == "mode") {
                     DISTILL_ASSIGN_OR_RETURN(std::string mode, c.String(v, "mode"));
                     // Always octal, quoted or not: YAML 1.1 and 1.2 disagree on what a
                     // bare 0755 means, so the recipe format fixes it.
                     if (mode.empty() || mode.size() > 5 ||
                         mode.find_first_not_of("01234567") != std::string::npos ||
                         std::stoul(mode, nullptr, 8) > 07777) {
                       return c.Error(v, "mode must be octal permission bits, e.g. \"0755\"");
                     }
                     f.mode = static_cast<uint32_t>(std::stoul(mode, nullptr, 8));
                   } else {
                     DISTILL_ASSIGN_OR_RETURN(f.owner, c.String(v, "owner"));
                   }
                   return Status::Ok();
                 }));
    DISTILL_RETURN_IF_ERROR(c.Require(item, "a file", {"src", "dest"}));
    r->files.push_back(std::move(f));
  }
  return Status::Ok();
}

Status ParseTop(const Checker& c, const YAML::Node& doc, const fs::path& dir, ImageRecipe* r) {
  if (!doc.IsMap()) {
    return c.Error(doc, "a recipe is a mapping starting with \"version: 1\"");
  }
  if (!doc["version"]) return c.Error(doc, "the recipe needs \"version: 1\" (the format version)");
  DISTILL_ASSIGN_OR_RETURN(uint32_t version, c.Number(doc["version"], "version", 1000));
  if (version != kRecipeVersion) {
    return c.Error(doc["version"], "recipe version " + std::to_string(version) +
                                       " is not one this distill reads (1)");
  }
  DISTILL_RETURN_IF_ERROR(c.Require(doc, "the recipe", {"release", "base"}));
  const std::set<std::string> known = {"version",    "release", "base",   "arch",    "packages",
                                       "groups",     "users",   "env",    "workdir", "user",
                                       "entrypoint", "cmd",     "labels", "files",   "tags"};
  return c.Fields(doc, "the recipe", known, [&](const std::string& key, const YAML::Node& v) {
    if (key == "version") return Status::Ok();
    if (key == "release") {
      DISTILL_ASSIGN_OR_RETURN(std::string release, c.String(v, "release"));
      auto known_release = debian::LookupDebianRelease(release);
      if (!known_release.ok() || known_release->number < 11 || known_release->number > 13) {
        return c.Error(
            v, "release \"" + release + "\" is not 11 (bullseye), 12 (bookworm) or 13 (trixie)");
      }
      r->release = known_release->number;
      return Status::Ok();
    }
    if (key == "base") return ParseBase(c, v, r);
    if (key == "arch") {
      DISTILL_ASSIGN_OR_RETURN(r->arch, c.String(v, "arch"));
      if (r->arch.empty() ||
          r->arch.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789") != std::string::npos) {
        return c.Error(v, "arch must be a Debian architecture name such as amd64 or arm64");
      }
      return Status::Ok();
    }
    if (key == "packages") {
      DISTILL_ASSIGN_OR_RETURN(r->packages, c.Strings(v, "packages"));
      size_t i = 0;
      for (const auto& item : v) {
        if (!IsPackageName(r->packages[i])) {
          return c.Error(item, "\"" + r->packages[i] + "\" is not a Debian package name");
        }
        ++i;
      }
      return Status::Ok();
    }
    if (key == "groups") return ParseGroups(c, v, r);
    if (key == "users") return ParseUsers(c, v, r);
    if (key == "env") {
      if (!v.IsMap()) return c.Error(v, "env must be a mapping of NAME: value");
      for (auto it = v.begin(); it != v.end(); ++it) {
        DISTILL_ASSIGN_OR_RETURN(std::string name, c.String(it->first, "an env name"));
        if (!IsEnvName(name)) return c.Error(it->first, "\"" + name + "\" is not a variable name");
        for (const auto& [existing, value] : r->env) {
          if (existing == name) return c.Error(it->first, "\"" + name + "\" is given twice");
        }
        DISTILL_ASSIGN_OR_RETURN(std::string value, c.String(it->second, "env " + name));
        r->env.emplace_back(name, value);
      }
      return Status::Ok();
    }
    if (key == "workdir") {
      DISTILL_ASSIGN_OR_RETURN(std::string w, c.AbsolutePath(v, "workdir"));
      r->workdir = w;
      return Status::Ok();
    }
    if (key == "user") {
      DISTILL_ASSIGN_OR_RETURN(std::string u, c.String(v, "user"));
      if (u.empty()) return c.Error(v, "user must name a user or a uid");
      r->user = u;
      return Status::Ok();
    }
    if (key == "entrypoint" || key == "cmd") {
      DISTILL_ASSIGN_OR_RETURN(auto argv, c.Strings(v, key));
      if (key == "entrypoint" && argv.empty()) return c.Error(v, "entrypoint must not be empty");
      (key == "entrypoint" ? r->entrypoint : r->cmd) = std::move(argv);
      return Status::Ok();
    }
    if (key == "labels") {
      if (!v.IsMap()) return c.Error(v, "labels must be a mapping of key: value");
      for (auto it = v.begin(); it != v.end(); ++it) {
        DISTILL_ASSIGN_OR_RETURN(std::string name, c.String(it->first, "a label key"));
        if (name.empty()) return c.Error(it->first, "a label key must not be empty");
        DISTILL_ASSIGN_OR_RETURN(std::string value, c.String(it->second, "label " + name));
        if (!r->labels.emplace(name, value).second) {
          return c.Error(it->first, "label \"" + name + "\" is given twice");
        }
      }
      return Status::Ok();
    }
    if (key == "files") return ParseFiles(c, v, dir, r);
    // tags
    DISTILL_ASSIGN_OR_RETURN(auto tags, c.Strings(v, "tags"));
    size_t i = 0;
    for (const auto& item : v) {
      auto normalized = store::NormalizeImageName(tags[i++]);
      if (!normalized.ok()) return c.Error(item, normalized.status().message());
      r->tags.push_back(*normalized);
    }
    return Status::Ok();
  });
}

}  // namespace

Result<ImageRecipe> ParseImageRecipe(std::string_view text, const std::string& path) {
  Checker checker(path);
  ImageRecipe recipe;
  recipe.path = path;
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  try {
    YAML::Node doc = YAML::Load(std::string(text));
    DISTILL_RETURN_IF_ERROR(ParseTop(checker, doc, dir, &recipe));
  } catch (const YAML::Exception& e) {
    // yaml-cpp reports syntax errors by exception; they stop here.
    return Status::Invalid(path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  // Account names in user/owner may also come from the base image: they are
  // checked when building, against its /etc/passwd.
  return recipe;
}

Result<ImageRecipe> LoadImageRecipe(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot read the recipe file");
  std::stringstream text;
  text << in.rdbuf();
  DISTILL_ASSIGN_OR_RETURN(ImageRecipe recipe, ParseImageRecipe(text.str(), path));
  for (const auto& file : recipe.files) {
    std::error_code ec;
    auto status = fs::status(file.source, ec);
    if (ec || !fs::is_regular_file(status)) {
      return Status::NotFound(file.where + ": src " + file.source +
                              " is not a readable regular file (paths are relative to the "
                              "recipe's directory)");
    }
  }
  return recipe;
}

}  // namespace distill::recipe
