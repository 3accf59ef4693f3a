#include "lint/run_checks.h"

#include <cctype>
#include <vector>

namespace distill::lint {

namespace {

// Words of each simple command (split at shell operators and newlines).
// Quoting is ignored: good enough to spot command names and flags.
std::vector<std::vector<std::string>> SimpleCommands(std::string_view script) {
  std::vector<std::vector<std::string>> out(1);
  std::string word;
  auto end_word = [&] {
    if (!word.empty()) out.back().push_back(word);
    word.clear();
  };
  auto end_command = [&] {
    end_word();
    if (!out.back().empty()) out.emplace_back();
  };
  for (size_t i = 0; i < script.size(); ++i) {
    char c = script[i];
    if (c == '\\' && i + 1 < script.size() && script[i + 1] == '\n') {
      ++i;
      end_word();
    } else if (c == ';' || c == '|' || c == '&' || c == '\n' || c == '(' || c == ')') {
      end_command();
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      end_word();
    } else if (c != '"' && c != '\'') {
      word += c;
    }
  }
  end_command();
  if (out.back().empty()) out.pop_back();
  return out;
}

bool Has(const std::vector<std::string>& words, std::string_view w) {
  for (const auto& x : words) {
    if (x == w) return true;
  }
  return false;
}

// Index of `tool` followed (after options) by `sub`, or npos.
bool IsSubcommand(const std::vector<std::string>& words, std::string_view tool,
                  std::string_view sub) {
  for (size_t i = 0; i < words.size(); ++i) {
    std::string_view w = words[i];
    size_t slash = w.rfind('/');
    if (slash != std::string_view::npos) w = w.substr(slash + 1);
    if (w != tool) continue;
    for (size_t j = i + 1; j < words.size(); ++j) {
      if (words[j] == sub) return true;
      if (words[j].empty() || words[j][0] != '-') break;
    }
  }
  return false;
}

bool IsPip(const std::vector<std::string>& words) {
  for (const char* tool : {"pip", "pip3"}) {
    if (IsSubcommand(words, tool, "install")) return true;
  }
  // python -m pip install
  for (size_t i = 0; i + 2 < words.size(); ++i) {
    if (words[i] == "-m" && words[i + 1] == "pip" && words[i + 2] == "install") return true;
  }
  return false;
}

}  // namespace

bool AptInstallWithoutNoRecommends(std::string_view script) {
  for (const auto& words : SimpleCommands(script)) {
    if ((IsSubcommand(words, "apt-get", "install") || IsSubcommand(words, "apt", "install")) &&
        !Has(words, "--no-install-recommends")) {
      bool option_set = false;
      for (const auto& w : words) {
        if (w.find("APT::Install-Recommends=") != std::string::npos) option_set = true;
      }
      if (!option_set) return true;
    }
  }
  return false;
}

bool AptListsNotCleaned(std::string_view script) {
  bool uses_apt = false;
  bool cleaned = false;
  for (const auto& words : SimpleCommands(script)) {
    for (const char* tool : {"apt-get", "apt"}) {
      if (IsSubcommand(words, tool, "update") || IsSubcommand(words, tool, "install")) {
        uses_apt = true;
      }
    }
    if (Has(words, "rm")) {
      for (const auto& w : words) {
        if (w.rfind("/var/lib/apt/lists", 0) == 0) cleaned = true;
      }
    }
  }
  return uses_apt && !cleaned;
}

bool PipInstallWithoutNoCacheDir(std::string_view script) {
  for (const auto& words : SimpleCommands(script)) {
    if (IsPip(words) && !Has(words, "--no-cache-dir")) {
      bool env_set = false;
      for (const auto& w : words) {
        if (w.rfind("PIP_NO_CACHE_DIR=", 0) == 0) env_set = true;
      }
      if (!env_set) return true;
    }
  }
  return false;
}

bool LooksLikeSecretName(std::string_view name) {
  std::string upper;
  for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const char* word : {"PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY",
                           "PRIVATE_KEY", "ACCESS_KEY", "CREDENTIAL", "AUTH_KEY"}) {
    if (upper.find(word) != std::string::npos) return true;
  }
  return false;
}

}  // namespace distill::lint
