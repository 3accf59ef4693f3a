#include "images/inspect.h"

#include <set>

#include "images/image_ref.h"

namespace distill::images {

namespace {

using Json = nlohmann::ordered_json;

Json StringsOrNull(const std::vector<std::string>& v) {
  return v.empty() ? Json(nullptr) : Json(v);
}

// Docker writes port and volume sets as objects with empty values.
Json SetOrNull(const std::set<std::string>& s) {
  if (s.empty()) return nullptr;
  Json out = Json::object();
  for (const auto& item : s) out[item] = Json::object();
  return out;
}

}  // namespace

Json ContainerConfigToJson(const oci::ContainerConfig& c) {
  Json out;
  out["User"] = c.user;
  out["ExposedPorts"] = SetOrNull(c.exposed_ports);
  out["Env"] = StringsOrNull(c.env);
  out["Entrypoint"] = StringsOrNull(c.entrypoint);
  out["Cmd"] = StringsOrNull(c.cmd);
  out["Volumes"] = SetOrNull(c.volumes);
  out["WorkingDir"] = c.working_dir;
  if (c.labels.empty()) {
    out["Labels"] = nullptr;
  } else {
    out["Labels"] = Json(c.labels);
  }
  out["StopSignal"] = c.stop_signal;
  if (c.healthcheck) {
    const oci::Healthcheck& h = *c.healthcheck;
    Json hc;
    hc["Test"] = StringsOrNull(h.test);
    hc["Interval"] = h.interval_ns;
    hc["Timeout"] = h.timeout_ns;
    hc["StartPeriod"] = h.start_period_ns;
    hc["StartInterval"] = h.start_interval_ns;
    hc["Retries"] = h.retries;
    out["Healthcheck"] = std::move(hc);
  } else {
    out["Healthcheck"] = nullptr;
  }
  out["OnBuild"] = StringsOrNull(c.on_build);
  out["Shell"] = StringsOrNull(c.shell);
  out["ArgsEscaped"] = c.args_escaped;
  return out;
}

Json InspectImage(const store::StoredImage& image, const std::vector<std::string>& stored_tags) {
  Json out;
  out["Id"] = image.manifest_digest.str();
  Json tags = Json::array();
  Json digests = Json::array();
  std::set<std::string> repositories;
  for (const auto& stored : stored_tags) {
    RepoTag rt = SplitStoredName(stored);
    tags.push_back(rt.Familiar());
    if (repositories.insert(rt.repository).second) {
      digests.push_back(rt.repository + "@" + image.manifest_digest.str());
    }
  }
  out["RepoTags"] = std::move(tags);
  out["RepoDigests"] = std::move(digests);
  out["ConfigDigest"] = image.manifest.config.digest.str();
  out["Created"] = image.config.created;
  out["Author"] = image.config.author;
  out["Config"] = ContainerConfigToJson(image.config.config);
  out["Architecture"] = image.config.architecture;
  if (!image.config.variant.empty()) out["Variant"] = image.config.variant;
  out["Os"] = image.config.os;
  if (!image.config.os_version.empty()) out["OsVersion"] = image.config.os_version;
  out["Size"] = ContentSize(image);
  Json layers = Json::array();
  for (const auto& d : image.config.rootfs.diff_ids) layers.push_back(d.str());
  out["RootFS"] = Json{{"Type", image.config.rootfs.type}, {"Layers", std::move(layers)}};
  // The manifest as stored; it parsed once already, so this parse cannot fail
  // (discarded value only if the blob changed under us).
  out["Manifest"] = Json::parse(image.manifest_bytes, nullptr, false);
  return out;
}

}  // namespace distill::images
