#include "archive/whiteout.h"

namespace distill::archive {

bool IsOpaqueWhiteout(std::string_view base_name) {
  return base_name == kOpaqueWhiteoutName;
}

std::optional<std::string> WhiteoutTarget(std::string_view base_name) {
  if (!base_name.starts_with(kWhiteoutPrefix)) return std::nullopt;
  std::string_view target = base_name.substr(kWhiteoutPrefix.size());
  if (target.empty() || target.starts_with(kWhiteoutPrefix) || target == "." || target == "..") {
    return std::nullopt;
  }
  return std::string(target);
}

std::string WhiteoutPathFor(std::string_view path) {
  auto [parent, base] = SplitParent(path);
  std::string out(parent);
  if (!out.empty()) out += '/';
  out += kWhiteoutPrefix;
  out += base;
  return out;
}

bool IsOverlayPrivateXattr(std::string_view name) {
  return name.starts_with("trusted.overlay.") || name.starts_with("user.overlay.");
}

std::pair<std::string_view, std::string_view> SplitParent(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return {std::string_view(), path};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

}  // namespace distill::archive
