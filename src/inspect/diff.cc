#include "inspect/diff.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <tuple>

#include "images/humanize.h"
#include "images/table.h"
#include "inspect/image_walk.h"

namespace distill::inspect {

namespace {

bool SameNode(const FsNode& x, const FsNode& y) {
  return x.type == y.type && x.size == y.size && x.mode == y.mode && x.uid == y.uid &&
         x.gid == y.gid && x.link == y.link;
}

void KeepLargest(std::vector<FileChange>* v, size_t n) {
  auto weight = [](const FileChange& c) { return std::max(c.old_size, c.new_size); };
  std::stable_sort(v->begin(), v->end(), [&](const FileChange& x, const FileChange& y) {
    return weight(x) != weight(y) ? weight(x) > weight(y) : x.path < y.path;
  });
  if (v->size() > n) v->resize(n);
}

std::string SignedSize(uint64_t from, uint64_t to) {
  return to >= from ? "+" + images::HumanSize(to - from) : "-" + images::HumanSize(from - to);
}

}  // namespace

ImageDiff CompareImages(DiffSide a, const FsView& fs_a, DiffSide b, const FsView& fs_b,
                        size_t top_n) {
  ImageDiff d;
  using Key = std::pair<std::string, std::string>;
  std::map<Key, std::string> va, vb;
  for (const auto& p : a.packages) va[{p.ecosystem, p.name}] = p.version;
  for (const auto& p : b.packages) vb[{p.ecosystem, p.name}] = p.version;
  for (const auto& [key, version] : va) {
    auto it = vb.find(key);
    if (it == vb.end()) {
      d.packages_removed.push_back({key.first, key.second, version, ""});
    } else if (it->second != version) {
      d.packages_changed.push_back({key.first, key.second, version, it->second});
    }
  }
  for (const auto& [key, version] : vb) {
    if (!va.count(key)) d.packages_added.push_back({key.first, key.second, "", version});
  }
  for (const auto& [path, node] : fs_a.nodes()) {
    auto it = fs_b.nodes().find(path);
    if (it == fs_b.nodes().end()) {
      ++d.files_removed;
      d.top_removed.push_back({path, node.size, 0});
    } else if (!SameNode(node, it->second)) {
      ++d.files_changed;
      d.top_changed.push_back({path, node.size, it->second.size});
    }
  }
  for (const auto& [path, node] : fs_b.nodes()) {
    if (!fs_a.nodes().count(path)) {
      ++d.files_added;
      d.top_added.push_back({path, 0, node.size});
    }
  }
  KeepLargest(&d.top_added, top_n);
  KeepLargest(&d.top_removed, top_n);
  KeepLargest(&d.top_changed, top_n);
  auto fill = [](DiffSide* side, const FsView& fs) {
    for (const auto& [path, node] : fs.nodes()) side->content_size += node.size;
  };
  fill(&a, fs_a);
  fill(&b, fs_b);
  d.a = std::move(a);
  d.b = std::move(b);
  return d;
}

Result<ImageDiff> DiffImages(store::Store& store, const std::string& a, const std::string& b) {
  struct Loaded {
    DiffSide side;
    ImageWalk walk;
  };
  auto load = [&](const std::string& name) -> Result<Loaded> {
    Loaded l;
    DISTILL_ASSIGN_OR_RETURN(auto image, store::ReadImage(store, name));
    DISTILL_ASSIGN_OR_RETURN(l.side.packages, ImagePackages(store, image, name, &l.walk));
    l.side.name = name;
    l.side.digest = image.manifest_digest.str();
    l.side.layer_count = l.walk.layers.size();
    for (const auto& layer : l.walk.layers) l.side.compressed_size += layer.compressed_size;
    l.side.findings = FindAttackSurface(l.walk.fs, image.config);
    l.side.verdict = Verdict(l.side.findings);
    return l;
  };
  DISTILL_ASSIGN_OR_RETURN(auto la, load(a));
  DISTILL_ASSIGN_OR_RETURN(auto lb, load(b));
  return CompareImages(std::move(la.side), la.walk.fs, std::move(lb.side), lb.walk.fs);
}

std::string FormatDiffText(const ImageDiff& d) {
  std::ostringstream out;
  std::vector<std::vector<std::string>> rows = {
      {"image", d.a.name, d.b.name, ""},
      {"digest", d.a.digest.substr(0, 19), d.b.digest.substr(0, 19), ""},
      {"compressed", images::HumanSize(d.a.compressed_size), images::HumanSize(d.b.compressed_size),
       SignedSize(d.a.compressed_size, d.b.compressed_size)},
      {"content", images::HumanSize(d.a.content_size), images::HumanSize(d.b.content_size),
       SignedSize(d.a.content_size, d.b.content_size)},
      {"layers", std::to_string(d.a.layer_count), std::to_string(d.b.layer_count), ""},
      {"packages", std::to_string(d.a.packages.size()), std::to_string(d.b.packages.size()), ""},
      {"findings", d.a.verdict, d.b.verdict, ""},
  };
  out << images::FormatTable({"", "A", "B", "CHANGE"}, rows) << "\n";
  out << "Packages: " << d.packages_added.size() << " added, " << d.packages_removed.size()
      << " removed, " << d.packages_changed.size() << " changed\n";
  for (const auto& p : d.packages_added) out << "  + " << p.name << " " << p.new_version << "\n";
  for (const auto& p : d.packages_removed) out << "  - " << p.name << " " << p.old_version << "\n";
  for (const auto& p : d.packages_changed) {
    out << "  ~ " << p.name << " " << p.old_version << " -> " << p.new_version << "\n";
  }
  out << "Files: " << d.files_added << " added, " << d.files_removed << " removed, "
      << d.files_changed << " changed\n";
  for (const auto& f : d.top_added)
    out << "  + " << f.path << " " << images::HumanSize(f.new_size) << "\n";
  for (const auto& f : d.top_removed)
    out << "  - " << f.path << " " << images::HumanSize(f.old_size) << "\n";
  for (const auto& f : d.top_changed) {
    out << "  ~ " << f.path << " " << SignedSize(f.old_size, f.new_size) << "\n";
  }
  out << "Attack surface:\n";
  auto categories_a = CategoriesOf(d.a.findings), categories_b = CategoriesOf(d.b.findings);
  rows.clear();
  for (auto c : FindingCategories()) {
    bool in_a = std::count(categories_a.begin(), categories_a.end(), c) > 0;
    bool in_b = std::count(categories_b.begin(), categories_b.end(), c) > 0;
    if (!in_a && !in_b) continue;
    rows.push_back({std::string(c), in_a ? "yes" : "no", in_b ? "yes" : "no"});
  }
  if (rows.empty()) {
    out << "  (none in either image)\n";
  } else {
    out << images::FormatTable({"CATEGORY", "A", "B"}, rows);
  }
  return out.str();
}

nlohmann::json DiffToJson(const ImageDiff& d) {
  auto side = [](const DiffSide& s) {
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : s.findings) {
      findings.push_back({{"category", f.category}, {"path", f.path}, {"layer", f.layer}});
    }
    return nlohmann::json{{"image", s.name},
                          {"digest", s.digest},
                          {"compressedSize", s.compressed_size},
                          {"contentSize", s.content_size},
                          {"layers", s.layer_count},
                          {"packages", s.packages.size()},
                          {"findings", findings},
                          {"verdict", s.verdict}};
  };
  auto pkgs = [](const std::vector<PackageChange>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& p : v) {
      nlohmann::json e = {{"ecosystem", p.ecosystem}, {"name", p.name}};
      if (!p.old_version.empty()) e["from"] = p.old_version;
      if (!p.new_version.empty()) e["to"] = p.new_version;
      a.push_back(e);
    }
    return a;
  };
  auto files = [](const std::vector<FileChange>& v) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& f : v)
      a.push_back({{"path", f.path}, {"from", f.old_size}, {"to", f.new_size}});
    return a;
  };
  return {{"a", side(d.a)},
          {"b", side(d.b)},
          {"packages",
           {{"added", pkgs(d.packages_added)},
            {"removed", pkgs(d.packages_removed)},
            {"changed", pkgs(d.packages_changed)}}},
          {"files",
           {{"addedCount", d.files_added},
            {"removedCount", d.files_removed},
            {"changedCount", d.files_changed},
            {"added", files(d.top_added)},
            {"removed", files(d.top_removed)},
            {"changed", files(d.top_changed)}}}};
}

}  // namespace distill::inspect
