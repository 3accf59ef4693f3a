#include "context/copy_plan.h"

#include "dockerfile/clean_path.h"
#include "dockerfile/dockerignore.h"

namespace distill::context {
namespace {

std::string CleanRel(std::string_view path) {
  std::string clean = dockerfile::CleanPath("/" + std::string(path));
  return clean == "/" ? std::string() : clean.substr(1);
}

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The landing path of a match: base name, or with --parents the path below
// the pivot prefix.
std::string LandingOf(const std::string& logical, bool parents, const std::string& pivot) {
  if (!parents) return BaseName(logical);
  if (pivot.empty()) return logical;
  if (logical == pivot) return "";
  if (logical.starts_with(pivot + "/")) return logical.substr(pivot.size() + 1);
  return logical;
}

}  // namespace

Result<std::vector<PlannedSource>> PlanSources(const BuildContext& tree,
                                               const CopyRequest& request) {
  const std::string where = RequestWhere(request);
  auto excludes = dockerfile::DockerIgnore::FromPatterns(request.excludes);
  if (!excludes.ok()) return excludes.status().Prefixed(where + " --exclude");
  std::vector<PlannedSource> out;
  for (const std::string& source : request.sources) {
    if (request.is_add && IsRemoteUrl(source)) continue;
    std::string pattern = source;
    std::string pivot;
    if (request.parents) {
      size_t at = source.find("/./");
      if (at != std::string::npos) {
        pivot = CleanRel(source.substr(0, at));
        pattern = source.substr(0, at) + "/" + source.substr(at + 3);
      }
    }
    auto matches = tree.Match(pattern);
    if (!matches.ok()) return matches.status().Prefixed(where + " failed");
    for (auto& match : *matches) {
      PlannedSource item;
      item.match = std::move(match);
      bool dir = item.is_dir();
      item.landing = (dir && !request.parents)
                         ? std::string()
                         : LandingOf(item.match.logical, request.parents, pivot);
      if (!item.landing.empty() && excludes->Excluded(item.landing)) continue;
      if (dir) {
        DISTILL_ASSIGN_OR_RETURN(auto entries, tree.Walk(item.match.real));
        size_t prefix = item.match.real.empty() ? 0 : item.match.real.size() + 1;
        for (auto& e : entries) {
          std::string landing = JoinTreePath(item.landing, e.path.substr(prefix));
          if (excludes->Excluded(landing)) continue;
          item.contents.push_back({std::move(e), std::move(landing)});
        }
      }
      out.push_back(std::move(item));
    }
  }
  return out;
}

}  // namespace distill::context
