#include "images/image_list.h"

#include <algorithm>
#include <map>
#include <set>

#include "images/humanize.h"
#include "images/image_ref.h"
#include "images/image_view.h"
#include "images/table.h"

namespace distill::images {

namespace {

// Reads what the row shows from the image itself; failures become `problem`.
void Describe(store::Store& store, const std::string& name, ImageSummary* row) {
  auto view = LoadImage(store, row->id, name);
  if (!view.ok()) {
    row->problem = view.status().message();
    auto size = store.blobs().Stat(row->id);
    if (size.ok()) row->size = *size;
    return;
  }
  row->created_unix = CreatedUnix(*view);
  row->size = ContentSize(*view);
}

std::string ShownId(const oci::Digest& id, bool no_trunc) {
  return no_trunc ? id.str() : id.Short();
}

}  // namespace

Result<std::vector<ImageSummary>> ListImageSummaries(store::Store& store,
                                                     const ListOptions& options) {
  std::vector<ImageSummary> rows;
  // One read per image, however many tags it has.
  std::map<oci::Digest, ImageSummary> described;
  auto describe_once = [&](const oci::Digest& id, const std::string& name) {
    auto it = described.find(id);
    if (it == described.end()) {
      ImageSummary row;
      row.id = id;
      Describe(store, name, &row);
      it = described.emplace(id, std::move(row)).first;
    }
    return it->second;
  };

  DISTILL_ASSIGN_OR_RETURN(auto tagged, store.ListImages());
  std::set<oci::Digest> has_tag;
  for (const auto& record : tagged) {
    has_tag.insert(record.digest);
    RepoTag rt = SplitStoredName(record.name);
    ImageSummary row = describe_once(record.digest, rt.Familiar());
    row.repository = rt.repository;
    row.tag = rt.tag;
    rows.push_back(std::move(row));
  }
  DISTILL_ASSIGN_OR_RETURN(auto manifests, store.metadata().ListManifests());
  for (const auto& m : manifests) {
    if (has_tag.count(m)) continue;
    if (!options.all) {
      DISTILL_ASSIGN_OR_RETURN(auto parents, store.metadata().ParentsOf(m));
      if (!parents.empty()) continue;
    }
    ImageSummary row = describe_once(m, m.str());
    row.repository = "<none>";
    row.tag = "<none>";
    rows.push_back(std::move(row));
  }
  std::stable_sort(rows.begin(), rows.end(), [](const ImageSummary& a, const ImageSummary& b) {
    if (a.created_unix.has_value() != b.created_unix.has_value()) return a.created_unix.has_value();
    if (a.created_unix != b.created_unix) return *a.created_unix > *b.created_unix;
    if (a.repository != b.repository) return a.repository < b.repository;
    return a.tag < b.tag;
  });
  return rows;
}

std::string FormatImagesTable(const std::vector<ImageSummary>& images, int64_t now_unix,
                              const TableOptions& options) {
  std::vector<std::string> header = {"REPOSITORY", "TAG"};
  if (options.digests) header.push_back("DIGEST");
  for (const char* h : {"IMAGE ID", "CREATED", "SIZE"}) header.push_back(h);
  std::vector<std::vector<std::string>> rows;
  for (const auto& image : images) {
    std::vector<std::string> row = {image.repository, image.tag};
    if (options.digests) row.push_back(image.id.str());
    row.push_back(ShownId(image.id, options.no_trunc));
    row.push_back(HumanAgo(image.created_unix, now_unix));
    row.push_back(HumanSize(image.size));
    rows.push_back(std::move(row));
  }
  return FormatTable(header, rows);
}

std::string FormatImageIds(const std::vector<ImageSummary>& images, bool no_trunc) {
  std::string out;
  for (const auto& image : images) out += ShownId(image.id, no_trunc) + "\n";
  return out;
}

nlohmann::ordered_json ImagesToJson(const std::vector<ImageSummary>& images, int64_t now_unix) {
  auto out = nlohmann::ordered_json::array();
  for (const auto& image : images) {
    nlohmann::ordered_json row;
    row["Repository"] = image.repository;
    row["Tag"] = image.tag;
    row["ID"] = image.id.str();
    row["Digest"] = image.id.str();
    row["Created"] = image.created_unix ? nlohmann::ordered_json(*image.created_unix)
                                        : nlohmann::ordered_json(nullptr);
    row["CreatedSince"] = HumanAgo(image.created_unix, now_unix);
    row["Size"] = image.size;
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace distill::images
