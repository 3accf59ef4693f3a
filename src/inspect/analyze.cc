#include "inspect/analyze.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "images/humanize.h"
#include "images/table.h"

namespace distill::inspect {

namespace {

template <typename T, typename Less>
void KeepTop(std::vector<T>* v, size_t n, Less less) {
  std::stable_sort(v->begin(), v->end(), less);
  if (v->size() > n) v->resize(n);
}

std::string LayerLabel(int layer) {
  return layer < 0 ? "config" : "layer " + std::to_string(layer);
}

}  // namespace

AnalyzeReport BuildReport(const std::string& name, const store::StoredImage& image,
                          const ImageWalk& walk, size_t top_n) {
  AnalyzeReport r;
  r.image = name;
  r.digest = image.manifest_digest.str();
  r.user = image.config.config.user;
  r.layers = walk.layers;
  for (const auto& l : walk.layers) r.compressed_size += l.compressed_size;
  std::map<std::string, uint64_t> dir_sizes;
  for (const auto& [path, node] : walk.fs.nodes()) {
    if (node.type != archive::TarEntryType::kFile) continue;
    ++r.file_count;
    r.content_size += node.size;
    r.largest_files.push_back({path, node.size, node.layer});
    // Charge the file to each ancestor directory (not "/", which is the total).
    for (size_t slash = path.find('/', 1); slash != std::string::npos;
         slash = path.find('/', slash + 1)) {
      dir_sizes[path.substr(0, slash)] += node.size;
    }
  }
  auto bigger = [](const SizedPath& a, const SizedPath& b) {
    return a.size != b.size ? a.size > b.size : a.path < b.path;
  };
  KeepTop(&r.largest_files, top_n, bigger);
  for (const auto& [dir, size] : dir_sizes) r.largest_dirs.push_back({dir, size, -1});
  KeepTop(&r.largest_dirs, top_n, bigger);
  r.wasted_bytes = walk.fs.wasted_bytes();
  r.wasted = walk.fs.wasted();
  r.wasted_count = r.wasted.size();
  KeepTop(&r.wasted, top_n, [](const WastedFile& a, const WastedFile& b) {
    return a.size != b.size ? a.size > b.size : a.path < b.path;
  });
  r.duplicate_bytes = walk.duplicate_bytes;
  r.duplicates = walk.duplicates;
  KeepTop(&r.duplicates, top_n, [](const DuplicateSet& a, const DuplicateSet& b) {
    uint64_t wa = a.size * (a.copies.size() - 1), wb = b.size * (b.copies.size() - 1);
    return wa != wb ? wa > wb : a.sha256 < b.sha256;
  });
  r.findings = FindAttackSurface(walk.fs, image.config);
  r.verdict = Verdict(r.findings);
  r.tree = BuildSizeTree(walk.fs);
  return r;
}

Result<AnalyzeReport> AnalyzeImage(store::Store& store, const std::string& name) {
  DISTILL_ASSIGN_OR_RETURN(auto image, store::ReadImage(store, name));
  WalkOptions options;
  options.find_duplicates = true;
  DISTILL_ASSIGN_OR_RETURN(auto walk, WalkImage(store, image, name, options));
  return BuildReport(name, image, walk);
}

std::string FormatReportText(const AnalyzeReport& r) {
  std::ostringstream out;
  out << "Image: " << r.image << " (" << r.digest << ")\n";
  out << "User: " << (r.user.empty() ? "(unset: root)" : r.user) << "\n";
  out << "Size: " << images::HumanSize(r.compressed_size) << " compressed, "
      << images::HumanSize(r.content_size) << " in " << r.file_count << " files\n\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : r.layers) {
    rows.push_back({std::to_string(l.index), images::HumanSize(l.compressed_size),
                    images::HumanSize(l.content_bytes), std::to_string(l.entries),
                    images::Ellipsize(l.created_by.empty() ? "<unknown>" : l.created_by, 60)});
  }
  out << "Layers:\n"
      << images::FormatTable({"LAYER", "COMPRESSED", "CONTENT", "ENTRIES", "CREATED BY"}, rows)
      << "\n";
  rows.clear();
  for (const auto& f : r.largest_files) {
    rows.push_back({images::HumanSize(f.size), LayerLabel(f.layer), f.path});
  }
  out << "Largest files:\n" << images::FormatTable({"SIZE", "ADDED BY", "PATH"}, rows) << "\n";
  rows.clear();
  for (const auto& d : r.largest_dirs) rows.push_back({images::HumanSize(d.size), d.path});
  out << "Largest directories:\n" << images::FormatTable({"SIZE", "PATH"}, rows) << "\n";
  out << "Wasted: " << images::HumanSize(r.wasted_bytes) << " in " << r.wasted_count
      << " files overwritten or deleted by later layers\n";
  for (const auto& w : r.wasted) {
    out << "  " << images::HumanSize(w.size) << "  " << w.path << " (layer " << w.layer << ", "
        << (w.deleted ? "deleted" : "overwritten") << " by layer " << w.hidden_by << ")\n";
  }
  out << "Duplicated: " << images::HumanSize(r.duplicate_bytes) << " in " << r.duplicates.size()
      << (r.duplicates.size() == 1 ? " set" : " sets") << " of identical files\n";
  for (const auto& d : r.duplicates) {
    out << "  " << images::HumanSize(d.size) << " x" << d.copies.size() << ":";
    for (const auto& c : d.copies) out << " " << c;
    out << "\n";
  }
  out << "\nAttack surface:\n";
  if (r.findings.empty()) out << "  (none)\n";
  for (const auto& f : r.findings) {
    out << "  " << f.category << ": " << (f.path.empty() ? "" : f.path + " ")
        << (f.detail.empty() ? "" : "[" + f.detail + "] ") << "(" << LayerLabel(f.layer) << ")\n";
  }
  out << "\nVerdict: " << r.verdict << "\n";
  return out.str();
}

nlohmann::json ReportToJson(const AnalyzeReport& r) {
  nlohmann::json j;
  j["image"] = r.image;
  j["digest"] = r.digest;
  j["user"] = r.user;
  j["compressedSize"] = r.compressed_size;
  j["contentSize"] = r.content_size;
  j["fileCount"] = r.file_count;
  j["layers"] = nlohmann::json::array();
  for (const auto& l : r.layers) {
    j["layers"].push_back({{"index", l.index},
                           {"digest", l.digest},
                           {"compressedSize", l.compressed_size},
                           {"contentSize", l.content_bytes},
                           {"entries", l.entries},
                           {"createdBy", l.created_by}});
  }
  auto sized = [](const std::vector<SizedPath>& v, bool with_layer) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& s : v) {
      nlohmann::json e = {{"path", s.path}, {"size", s.size}};
      if (with_layer) e["layer"] = s.layer;
      a.push_back(e);
    }
    return a;
  };
  j["largestFiles"] = sized(r.largest_files, true);
  j["largestDirectories"] = sized(r.largest_dirs, false);
  j["wasted"] = {
      {"bytes", r.wasted_bytes}, {"count", r.wasted_count}, {"top", nlohmann::json::array()}};
  for (const auto& w : r.wasted) {
    j["wasted"]["top"].push_back({{"path", w.path},
                                  {"size", w.size},
                                  {"layer", w.layer},
                                  {"hiddenBy", w.hidden_by},
                                  {"deleted", w.deleted}});
  }
  j["duplicates"] = {{"bytes", r.duplicate_bytes}, {"sets", nlohmann::json::array()}};
  for (const auto& d : r.duplicates) {
    j["duplicates"]["sets"].push_back(
        {{"size", d.size}, {"sha256", d.sha256}, {"copies", d.copies}});
  }
  j["findings"] = nlohmann::json::array();
  for (const auto& f : r.findings) {
    nlohmann::json e = {{"category", f.category}, {"detail", f.detail}};
    if (!f.path.empty()) e["path"] = f.path;
    if (f.layer >= 0) e["layer"] = f.layer;
    j["findings"].push_back(e);
  }
  j["verdict"] = r.verdict;
  return j;
}

Result<std::vector<std::string>> ParseFailOn(const std::string& list) {
  std::vector<std::string> out;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item.empty()) continue;
    const auto& all = FindingCategories();
    if (std::find(all.begin(), all.end(), item) == all.end()) {
      return Status::Invalid("--fail-on: unknown category \"" + item +
                             "\" (known: shell, package-manager, compiler, setuid, "
                             "world-writable, root, secrets)");
    }
    out.push_back(item);
  }
  return out;
}

bool ShouldFail(const std::vector<Finding>& findings, const std::vector<std::string>& fail_on) {
  for (const auto& f : findings) {
    if (std::find(fail_on.begin(), fail_on.end(), f.category) != fail_on.end()) return true;
  }
  return false;
}

}  // namespace distill::inspect
