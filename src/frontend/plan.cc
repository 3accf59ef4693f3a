#include "frontend/plan.h"

namespace distill::frontend {

const std::string* ImageConfig::GetEnv(const std::string& name) const {
  for (const auto& [key, value] : env) {
    if (key == name) return &value;
  }
  return nullptr;
}

void ImageConfig::SetEnv(const std::string& name, const std::string& value) {
  for (auto& [key, old] : env) {
    if (key == name) {
      old = value;
      return;
    }
  }
  env.emplace_back(name, value);
}

std::vector<std::string> ImageConfig::EffectiveShell() const {
  if (!shell.empty()) return shell;
  return {"/bin/sh", "-c"};
}

std::string Stage::DisplayName() const {
  return name.empty() ? "stage " + std::to_string(index) : name;
}

}  // namespace distill::frontend
