// Build secrets (`--secret id=ID,src=PATH` or `id=ID,env=VAR`): values a RUN
// step may read through `--mount=type=secret`, and that never reach a layer,
// the image config, a cache key's visible form or the log.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace distill::builder {

// id -> the secret's bytes.
using SecretValues = std::map<std::string, std::string>;

// Parses every --secret flag and reads the values (a file, or an environment
// variable through `getenv`). Errors name the flag. "type=file" is accepted;
// `src`/`source` and `env` are exclusive; with neither, the env var named like
// the id is tried, then a file named like it (as docker buildx does).
Result<SecretValues> LoadSecrets(const std::vector<std::string>& specs,
                                 const std::function<const char*(const char*)>& getenv);

}  // namespace distill::builder
