#include "recipe/recipe_build.h"

#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include "archive/tar_reader.h"
#include "bootstrap/bootstrap.h"
#include "distroless/builder.h"
#include "distroless/rootfs_tree.h"
#include "recipe/accounts.h"
#include "store/image_store.h"

namespace distill::recipe {
namespace {

void Say(const RecipeBuildOptions& options, const std::string& line) {
  if (options.progress) options.progress(line);
}

struct Base {
  oci::Digest manifest;
  int64_t epoch = 0;
};

Result<Base> BuildBase(store::Store& store, const ImageRecipe& recipe,
                       const RecipeBuildOptions& options) {
  if (recipe.kind == BaseKind::kDistroless) {
    distroless::BuildRequest request;
    request.flavour = recipe.flavour;
    request.debian_release = recipe.release;
    request.arch = recipe.arch.empty() ? "amd64" : recipe.arch;
    request.mirror = options.mirror;
    request.apt_dir = options.apt_dir;
    request.cache_dir = options.cache_dir;
    request.extra_packages = recipe.packages;
    request.untagged = true;
    DISTILL_ASSIGN_OR_RETURN(
        auto built, distroless::BuildDistroless(
                        store, request, [&](const std::string& line) { Say(options, line); }));
    return Base{built.front().manifest, built.front().epoch};
  }
  DISTILL_ASSIGN_OR_RETURN(bootstrap::Recipe base,
                           bootstrap::RecipeForImage("debian:" + std::to_string(recipe.release) +
                                                     (recipe.slim ? "-slim" : "")));
  base.tags.clear();  // the recipe's image gets the names
  base.packages = recipe.packages;
  bootstrap::BootstrapOptions bopts;
  bopts.mirror = options.mirror;
  bopts.apt_dir = options.apt_dir;
  if (!recipe.arch.empty()) bopts.arch = recipe.arch;
  bopts.progress = [&](std::string_view line) { Say(options, std::string(line)); };
  DISTILL_ASSIGN_OR_RETURN(auto result, bootstrap::BootstrapImage(store, base, bopts));
  return Base{result.manifest, result.epoch};
}

// What the recipe layer needs to know of the base: its accounts and the
// metadata of its paths (to keep a directory's mode when a file lands in it,
// and to refuse writing through a symlink).
struct BaseView {
  AccountFiles accounts;
  std::map<std::string, archive::TarEntry> entries;
};

Result<BaseView> ReadBase(store::Store& store, const store::StoredImage& image) {
  BaseView view;
  DISTILL_ASSIGN_OR_RETURN(auto layers, store::LayersOf(image));
  for (const auto& layer : layers) {
    DISTILL_ASSIGN_OR_RETURN(auto stream, store::OpenLayerTar(store, layer.descriptor));
    archive::TarReader tar(stream.get(), layer.descriptor.digest.str());
    archive::TarEntry e;
    while (true) {
      DISTILL_ASSIGN_OR_RETURN(bool more, tar.Next(&e));
      if (!more) break;
      std::string* text = e.path == "etc/passwd"  ? &view.accounts.passwd
                          : e.path == "etc/group" ? &view.accounts.group
                                                  : nullptr;
      if (text != nullptr && e.type == archive::TarEntryType::kFile) {
        text->clear();
        char buf[8192];
        while (true) {
          DISTILL_ASSIGN_OR_RETURN(size_t n, tar.ReadContent(buf, sizeof buf));
          if (n == 0) break;
          text->append(buf, n);
        }
      }
      e.xattrs.clear();
      view.entries[e.path] = e;
    }
  }
  return view;
}

Result<std::string> ReadHostFile(const RecipeFile& file) {
  std::ifstream in(file.source, std::ios::binary);
  if (!in) return Status::NotFound(file.where + ": cannot read " + file.source);
  std::stringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Adds `dir` and its missing parents to `tree`, each with the base's metadata
// when the base has it; a symlink on the way is an error (the layer would
// replace it with a directory).
Status AddParents(const BaseView& base, const std::string& path, const std::string& where,
                  distroless::RootfsTree* tree) {
  for (size_t slash = path.find('/'); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    std::string parent = path.substr(0, slash);
    if (tree->Contains(parent)) continue;
    auto it = base.entries.find(parent);
    if (it == base.entries.end()) {
      DISTILL_RETURN_IF_ERROR(tree->AddDirectory(parent, 0755));
      continue;
    }
    if (it->second.type != archive::TarEntryType::kDirectory) {
      return Status::Invalid(where + ": /" + parent +
                             " is not a directory in the base image (a symlink to " +
                             it->second.linkname + "?); use the real path");
    }
    archive::TarEntry dir = it->second;
    DISTILL_RETURN_IF_ERROR(tree->Add(dir));
  }
  return Status::Ok();
}

Status AddDirectoryOnce(const BaseView& base, const std::string& path, uint32_t mode, uint32_t uid,
                        uint32_t gid, int64_t epoch, const std::string& where,
                        distroless::RootfsTree* tree) {
  if (base.entries.count(path) || tree->Contains(path)) return Status::Ok();
  DISTILL_RETURN_IF_ERROR(AddParents(base, path, where, tree));
  archive::TarEntry e;
  e.path = path;
  e.type = archive::TarEntryType::kDirectory;
  e.mode = mode;
  e.uid = uid;
  e.gid = gid;
  e.mtime_sec = epoch;
  return tree->Add(std::move(e));
}

std::string Rel(const std::string& absolute) {
  return absolute.substr(1);
}

oci::ImageConfig RecipeConfig(oci::ImageConfig config, const ImageRecipe& recipe,
                              const std::optional<oci::Digest>& layer_diff_id) {
  for (const auto& [name, value] : recipe.env) {
    std::string prefix = name + "=";
    bool replaced = false;
    for (auto& e : config.config.env) {
      if (e.rfind(prefix, 0) == 0) {
        e = prefix + value;
        replaced = true;
      }
    }
    if (!replaced) config.config.env.push_back(prefix + value);
  }
  if (recipe.workdir) config.config.working_dir = *recipe.workdir;
  if (recipe.user) config.config.user = *recipe.user;
  if (recipe.entrypoint) {
    config.config.entrypoint = *recipe.entrypoint;
    // As with a Dockerfile ENTRYPOINT: the base's CMD no longer applies.
    if (!recipe.cmd) config.config.cmd.clear();
  }
  if (recipe.cmd) config.config.cmd = *recipe.cmd;
  for (const auto& [k, v] : recipe.labels) config.config.labels[k] = v;
  if (layer_diff_id) config.rootfs.diff_ids.push_back(*layer_diff_id);
  oci::HistoryEntry h;
  h.empty_layer = !layer_diff_id;
  h.created = config.created;
  h.created_by = "distill image build " + recipe.path;
  h.comment = std::to_string(recipe.users.size()) + " users, " +
              std::to_string(recipe.files.size()) + " files";
  config.history.push_back(h);
  return config;
}

}  // namespace

Result<RecipeBuildResult> BuildImageRecipe(store::Store& store, const ImageRecipe& recipe,
                                           const RecipeBuildOptions& options) {
  std::vector<std::string> tags = recipe.tags;
  tags.insert(tags.end(), options.extra_tags.begin(), options.extra_tags.end());
  if (tags.empty()) {
    return Status::Invalid(recipe.path + ": name the image: add \"tags: [NAME]\" or pass -t NAME");
  }
  DISTILL_ASSIGN_OR_RETURN(Base base, BuildBase(store, recipe, options));
  DISTILL_ASSIGN_OR_RETURN(store::StoredImage image,
                           store::ReadImageByDigest(store, base.manifest, base.manifest.str()));
  DISTILL_ASSIGN_OR_RETURN(BaseView view, ReadBase(store, image));
  Say(options, "adding the recipe's layer");

  distroless::RootfsTree tree;
  const int64_t epoch = base.epoch;
  auto add_file = [&](const std::string& path, std::string content, uint32_t mode, uint32_t uid,
                      uint32_t gid, const std::string& where) -> Status {
    DISTILL_RETURN_IF_ERROR(AddParents(view, path, where, &tree));
    auto existing = view.entries.find(path);
    if (existing != view.entries.end() &&
        existing->second.type == archive::TarEntryType::kDirectory) {
      return Status::Invalid(where + ": /" + path + " is a directory in the base image");
    }
    archive::TarEntry e;
    e.path = path;
    e.type = archive::TarEntryType::kFile;
    e.mode = mode;
    e.uid = uid;
    e.gid = gid;
    e.mtime_sec = epoch;
    return tree.Add(std::move(e), std::move(content));
  };

  AccountFiles accounts = view.accounts;
  if (!recipe.groups.empty() || !recipe.users.empty()) {
    DISTILL_ASSIGN_OR_RETURN(accounts, AddAccounts(view.accounts, recipe));
    DISTILL_RETURN_IF_ERROR(add_file("etc/passwd", accounts.passwd, 0644, 0, 0, recipe.path));
    DISTILL_RETURN_IF_ERROR(add_file("etc/group", accounts.group, 0644, 0, 0, recipe.path));
    for (const auto& user : recipe.users) {
      DISTILL_ASSIGN_OR_RETURN(auto ids, LookupOwner(user.name, accounts));
      DISTILL_RETURN_IF_ERROR(AddDirectoryOnce(view, Rel(user.home), 0700, ids.first, ids.second,
                                               epoch, recipe.path, &tree));
    }
  }
  if (recipe.user) {
    auto ids = LookupOwner(*recipe.user, accounts);
    if (!ids.ok()) return ids.status().Prefixed(recipe.path + ": user");
  }
  if (recipe.workdir) {
    DISTILL_RETURN_IF_ERROR(
        AddDirectoryOnce(view, Rel(*recipe.workdir), 0755, 0, 0, epoch, recipe.path, &tree));
  }
  for (const auto& file : recipe.files) {
    auto ids = LookupOwner(file.owner, accounts);
    if (!ids.ok()) return ids.status().Prefixed(file.where + ": owner");
    DISTILL_ASSIGN_OR_RETURN(std::string content, ReadHostFile(file));
    DISTILL_RETURN_IF_ERROR(add_file(Rel(file.dest), std::move(content), file.mode, ids->first,
                                     ids->second, file.where));
  }

  std::vector<oci::Descriptor> layers = image.manifest.layers;
  std::optional<oci::Digest> diff_id;
  if (tree.size() > 0) {  // a recipe of config only adds no layer
    DISTILL_ASSIGN_OR_RETURN(distroless::StoredLayer layer,
                             distroless::StoreTreeLayer(store, tree, epoch));
    layers.push_back(layer.descriptor);
    diff_id = layer.diff_id;
  }
  oci::ImageConfig config = RecipeConfig(image.config, recipe, diff_id);
  store::WriteImageOptions write;
  write.tags = tags;
  DISTILL_ASSIGN_OR_RETURN(oci::Digest manifest, store::WriteImage(store, config, layers, write));
  RecipeBuildResult result;
  result.manifest = manifest;
  result.tags = tags;
  result.layers = layers.size();
  for (const auto& l : layers) result.compressed_size += static_cast<uint64_t>(l.size);
  return result;
}

}  // namespace distill::recipe
