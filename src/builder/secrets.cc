#include "builder/secrets.h"

#include <fstream>
#include <functional>
#include <sstream>

namespace distill::builder {

namespace {

Result<std::string> ReadWhole(const std::string& path, const std::string& flag) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("--secret " + flag + ": cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return Status::Io("--secret " + flag + ": error reading " + path);
  return out.str();
}

}  // namespace

Result<SecretValues> LoadSecrets(const std::vector<std::string>& specs,
                                 const std::function<const char*(const char*)>& getenv) {
  SecretValues out;
  for (const std::string& spec : specs) {
    std::string id, src, env;
    std::stringstream fields(spec);
    std::string field;
    while (std::getline(fields, field, ',')) {
      size_t eq = field.find('=');
      if (eq == std::string::npos) {
        return Status::Invalid("--secret " + spec + ": \"" + field + "\" is not KEY=VALUE");
      }
      std::string key = field.substr(0, eq), value = field.substr(eq + 1);
      if (key == "id") {
        id = value;
      } else if (key == "src" || key == "source") {
        src = value;
      } else if (key == "env") {
        env = value;
      } else if (key == "type") {
        if (value != "file" && value != "env") {
          return Status::Invalid("--secret " + spec + ": unknown type \"" + value + "\"");
        }
      } else {
        return Status::Invalid("--secret " + spec + ": unknown key \"" + key +
                               "\" (use id=, src= or env=)");
      }
    }
    if (id.empty()) return Status::Invalid("--secret " + spec + ": missing id=");
    if (!src.empty() && !env.empty()) {
      return Status::Invalid("--secret " + spec + ": give src= or env=, not both");
    }
    if (out.count(id)) return Status::Invalid("--secret " + spec + ": id " + id + " given twice");
    if (!env.empty()) {
      const char* value = getenv(env.c_str());
      if (value == nullptr) {
        return Status::NotFound("--secret " + spec + ": environment variable " + env +
                                " is not set");
      }
      out[id] = value;
    } else if (!src.empty()) {
      DISTILL_ASSIGN_OR_RETURN(out[id], ReadWhole(src, spec));
    } else if (const char* value = getenv(id.c_str())) {
      out[id] = value;
    } else {
      DISTILL_ASSIGN_OR_RETURN(out[id], ReadWhole(id, spec));
    }
  }
  return out;
}

}  // namespace distill::builder
