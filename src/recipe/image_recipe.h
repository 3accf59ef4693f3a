// Image recipes: a small YAML file describing a custom base image — the
// Debian release, a distroless flavour or a full Debian bootstrap underneath,
// extra packages, accounts, environment, entrypoint, labels and files copied
// from beside the recipe — which `distill image build recipe.yaml` turns into
// an image the same way the built-in bases are made.
//
// Version 1 of the format (README "Image recipes"):
//
//   version: 1
//   release: 12                  # 11, 12, 13 or bullseye, bookworm, trixie
//   base: distroless/cc          # distroless/FLAVOUR, debian or debian-slim
//   arch: amd64                  # optional (debian bases: the host's)
//   packages: [libsqlite3-0]
//   groups: [{name: app, gid: 1000}]
//   users: [{name: app, uid: 1000, gid: 1000, home: /home/app, shell: /sbin/nologin}]
//   env: {APP_MODE: production}
//   workdir: /app
//   user: app
//   entrypoint: ["/app/run"]
//   cmd: ["--serve"]
//   labels: {org.opencontainers.image.title: app}
//   files: [{src: run, dest: /app/run, mode: "0755", owner: app}]
//   tags: [example.com/app-base:1]
//
// Every key is checked: unknown keys, wrong types and bad values are errors
// naming the file and line.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "distroless/flavour.h"
#include "util/status.h"

namespace distill::recipe {

inline constexpr int kRecipeVersion = 1;

enum class BaseKind { kDistroless, kDebian };

struct RecipeGroup {
  std::string name;
  uint32_t gid = 0;
};

struct RecipeUser {
  std::string name;
  uint32_t uid = 0;
  std::optional<uint32_t> gid;  // unset: a group of the user's name with gid = uid
  std::string home;             // default /home/NAME
  std::string shell = "/sbin/nologin";
};

struct RecipeFile {
  std::string source;  // absolute path on the host (resolved against the recipe's directory)
  std::string dest;    // absolute path in the image
  uint32_t mode = 0644;
  std::string owner;  // "" (root), a user name, "UID" or "UID:GID"
  std::string where;  // "recipe.yaml:12" for errors found while building
};

struct ImageRecipe {
  std::string path;  // the recipe file, for messages
  int release = 12;
  std::string arch;  // empty: amd64 for distroless, the host's for debian
  BaseKind kind = BaseKind::kDistroless;
  distroless::Flavour flavour = distroless::Flavour::kStatic;  // kDistroless
  bool slim = false;                                           // kDebian
  std::vector<std::string> packages;
  std::vector<RecipeGroup> groups;
  std::vector<RecipeUser> users;
  std::vector<std::pair<std::string, std::string>> env;  // in file order
  std::optional<std::string> workdir;
  std::optional<std::string> user;
  std::optional<std::vector<std::string>> entrypoint;
  std::optional<std::vector<std::string>> cmd;
  std::map<std::string, std::string> labels;
  std::vector<RecipeFile> files;
  std::vector<std::string> tags;
};

// Parses and validates recipe text. `path` names the file in errors and
// anchors relative `src` paths (its directory); files are not opened here.
Result<ImageRecipe> ParseImageRecipe(std::string_view text, const std::string& path);

// Reads `path` and parses it; also checks every `src` is a readable regular file.
Result<ImageRecipe> LoadImageRecipe(const std::string& path);

}  // namespace distill::recipe
