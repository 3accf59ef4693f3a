#include "oci/image_config.h"

#include "oci/canonical_json.h"
#include "oci/json_fields.h"

namespace distill::oci {
namespace {

Result<Healthcheck> HealthcheckFromJson(const JsonFields& f) {
  Healthcheck h;
  DISTILL_RETURN_IF_ERROR(f.StringList("Test", &h.test));
  DISTILL_RETURN_IF_ERROR(f.Int64("Interval", &h.interval_ns));
  DISTILL_RETURN_IF_ERROR(f.Int64("Timeout", &h.timeout_ns));
  DISTILL_RETURN_IF_ERROR(f.Int64("StartPeriod", &h.start_period_ns));
  DISTILL_RETURN_IF_ERROR(f.Int64("StartInterval", &h.start_interval_ns));
  DISTILL_RETURN_IF_ERROR(f.Int64("Retries", &h.retries));
  for (auto [key, value] : {std::pair<const char*, int64_t>{"Interval", h.interval_ns},
                            {"Timeout", h.timeout_ns},
                            {"StartPeriod", h.start_period_ns},
                            {"StartInterval", h.start_interval_ns},
                            {"Retries", h.retries}}) {
    if (value < 0) return f.Error(key, "must not be negative, got " + std::to_string(value));
  }
  h.unknown = f.Unknown({"Test", "Interval", "Timeout", "StartPeriod", "StartInterval", "Retries"});
  return h;
}

nlohmann::json HealthcheckToJson(const Healthcheck& h) {
  nlohmann::json j = ObjectFrom(h.unknown);
  PutIfNotEmpty(j, "Test", h.test);
  if (h.interval_ns != 0) j["Interval"] = h.interval_ns;
  if (h.timeout_ns != 0) j["Timeout"] = h.timeout_ns;
  if (h.start_period_ns != 0) j["StartPeriod"] = h.start_period_ns;
  if (h.start_interval_ns != 0) j["StartInterval"] = h.start_interval_ns;
  if (h.retries != 0) j["Retries"] = h.retries;
  return j;
}

Result<ContainerConfig> ContainerConfigFromJson(const JsonFields& f) {
  ContainerConfig c;
  DISTILL_RETURN_IF_ERROR(f.String("User", &c.user));
  DISTILL_RETURN_IF_ERROR(f.KeySet("ExposedPorts", &c.exposed_ports));
  DISTILL_RETURN_IF_ERROR(f.StringList("Env", &c.env));
  DISTILL_RETURN_IF_ERROR(f.StringList("Entrypoint", &c.entrypoint));
  DISTILL_RETURN_IF_ERROR(f.StringList("Cmd", &c.cmd));
  DISTILL_RETURN_IF_ERROR(f.KeySet("Volumes", &c.volumes));
  DISTILL_RETURN_IF_ERROR(f.String("WorkingDir", &c.working_dir));
  DISTILL_RETURN_IF_ERROR(f.StringMap("Labels", &c.labels));
  DISTILL_RETURN_IF_ERROR(f.String("StopSignal", &c.stop_signal));
  if (f.Find("Healthcheck") != nullptr) {
    DISTILL_ASSIGN_OR_RETURN(JsonFields hf, f.Child("Healthcheck"));
    DISTILL_ASSIGN_OR_RETURN(c.healthcheck, HealthcheckFromJson(hf));
  }
  DISTILL_RETURN_IF_ERROR(f.Bool("ArgsEscaped", &c.args_escaped));
  DISTILL_RETURN_IF_ERROR(f.StringList("OnBuild", &c.on_build));
  DISTILL_RETURN_IF_ERROR(f.StringList("Shell", &c.shell));
  c.unknown =
      f.Unknown({"User", "ExposedPorts", "Env", "Entrypoint", "Cmd", "Volumes", "WorkingDir",
                 "Labels", "StopSignal", "Healthcheck", "ArgsEscaped", "OnBuild", "Shell"});
  return c;
}

nlohmann::json ContainerConfigToJson(const ContainerConfig& c) {
  nlohmann::json j = ObjectFrom(c.unknown);
  PutIfNotEmpty(j, "User", c.user);
  PutKeySetIfNotEmpty(j, "ExposedPorts", c.exposed_ports);
  PutIfNotEmpty(j, "Env", c.env);
  PutIfNotEmpty(j, "Entrypoint", c.entrypoint);
  PutIfNotEmpty(j, "Cmd", c.cmd);
  PutKeySetIfNotEmpty(j, "Volumes", c.volumes);
  PutIfNotEmpty(j, "WorkingDir", c.working_dir);
  PutIfNotEmpty(j, "Labels", c.labels);
  PutIfNotEmpty(j, "StopSignal", c.stop_signal);
  if (c.healthcheck) j["Healthcheck"] = HealthcheckToJson(*c.healthcheck);
  if (c.args_escaped) j["ArgsEscaped"] = true;
  PutIfNotEmpty(j, "OnBuild", c.on_build);
  PutIfNotEmpty(j, "Shell", c.shell);
  return j;
}

Result<RootFs> RootFsFromJson(const JsonFields& f) {
  RootFs r;
  DISTILL_RETURN_IF_ERROR(f.String("type", &r.type, /*required=*/true));
  if (r.type != "layers") return f.Error("type", "want \"layers\", got \"" + r.type + "\"");
  std::vector<std::string> ids;
  if (f.Find("diff_ids") == nullptr) return f.Error("diff_ids", "required field is missing");
  DISTILL_RETURN_IF_ERROR(f.StringList("diff_ids", &ids));
  for (size_t i = 0; i < ids.size(); ++i) {
    auto digest = Digest::Parse(ids[i]);
    if (!digest.ok()) {
      return f.Error("diff_ids[" + std::to_string(i) + "]", digest.status().message());
    }
    r.diff_ids.push_back(*digest);
  }
  r.unknown = f.Unknown({"type", "diff_ids"});
  return r;
}

nlohmann::json RootFsToJson(const RootFs& r) {
  nlohmann::json j = ObjectFrom(r.unknown);
  j["type"] = r.type;
  nlohmann::json ids = nlohmann::json::array();
  for (const auto& d : r.diff_ids) ids.push_back(d.str());
  j["diff_ids"] = std::move(ids);
  return j;
}

Result<HistoryEntry> HistoryFromJson(const JsonFields& f) {
  HistoryEntry h;
  DISTILL_RETURN_IF_ERROR(f.String("created", &h.created));
  DISTILL_RETURN_IF_ERROR(f.String("created_by", &h.created_by));
  DISTILL_RETURN_IF_ERROR(f.String("author", &h.author));
  DISTILL_RETURN_IF_ERROR(f.String("comment", &h.comment));
  DISTILL_RETURN_IF_ERROR(f.Bool("empty_layer", &h.empty_layer));
  h.unknown = f.Unknown({"created", "created_by", "author", "comment", "empty_layer"});
  return h;
}

nlohmann::json HistoryToJson(const HistoryEntry& h) {
  nlohmann::json j = ObjectFrom(h.unknown);
  PutIfNotEmpty(j, "created", h.created);
  PutIfNotEmpty(j, "created_by", h.created_by);
  PutIfNotEmpty(j, "author", h.author);
  PutIfNotEmpty(j, "comment", h.comment);
  if (h.empty_layer) j["empty_layer"] = true;
  return j;
}

}  // namespace

Result<ImageConfig> ParseImageConfig(std::string_view bytes, std::string_view source) {
  std::string doc_name = "image config " + std::string(source);
  DISTILL_ASSIGN_OR_RETURN(nlohmann::json doc, ParseJson(bytes, doc_name));
  DISTILL_ASSIGN_OR_RETURN(JsonFields f, JsonFields::Of(doc, doc_name));
  ImageConfig c;
  DISTILL_RETURN_IF_ERROR(f.String("created", &c.created));
  DISTILL_RETURN_IF_ERROR(f.String("author", &c.author));
  DISTILL_RETURN_IF_ERROR(f.String("architecture", &c.architecture, /*required=*/true));
  DISTILL_RETURN_IF_ERROR(f.String("os", &c.os, /*required=*/true));
  DISTILL_RETURN_IF_ERROR(f.String("os.version", &c.os_version));
  DISTILL_RETURN_IF_ERROR(f.StringList("os.features", &c.os_features));
  DISTILL_RETURN_IF_ERROR(f.String("variant", &c.variant));
  if (f.Find("config") != nullptr) {
    DISTILL_ASSIGN_OR_RETURN(JsonFields cf, f.Child("config"));
    DISTILL_ASSIGN_OR_RETURN(c.config, ContainerConfigFromJson(cf));
    c.has_config = true;
  }
  DISTILL_ASSIGN_OR_RETURN(JsonFields rf, f.Child("rootfs"));
  DISTILL_ASSIGN_OR_RETURN(c.rootfs, RootFsFromJson(rf));
  if (const nlohmann::json* history = f.Find("history")) {
    if (!history->is_array()) {
      return f.Error("history", std::string("want an array, got ") + history->type_name());
    }
    for (size_t i = 0; i < history->size(); ++i) {
      DISTILL_ASSIGN_OR_RETURN(JsonFields hf, JsonFields::Of((*history)[i], doc_name,
                                                             "history[" + std::to_string(i) + "]"));
      DISTILL_ASSIGN_OR_RETURN(HistoryEntry entry, HistoryFromJson(hf));
      c.history.push_back(std::move(entry));
    }
  }
  c.unknown = f.Unknown({"created", "author", "architecture", "os", "os.version", "os.features",
                         "variant", "config", "rootfs", "history"});
  return c;
}

Result<std::string> SerializeImageConfig(const ImageConfig& c) {
  nlohmann::json j = ObjectFrom(c.unknown);
  PutIfNotEmpty(j, "created", c.created);
  PutIfNotEmpty(j, "author", c.author);
  j["architecture"] = c.architecture;
  j["os"] = c.os;
  PutIfNotEmpty(j, "os.version", c.os_version);
  PutIfNotEmpty(j, "os.features", c.os_features);
  PutIfNotEmpty(j, "variant", c.variant);
  if (c.has_config || !(c.config == ContainerConfig{})) {
    j["config"] = ContainerConfigToJson(c.config);
  }
  j["rootfs"] = RootFsToJson(c.rootfs);
  if (!c.history.empty()) {
    nlohmann::json history = nlohmann::json::array();
    for (const auto& h : c.history) history.push_back(HistoryToJson(h));
    j["history"] = std::move(history);
  }
  return CanonicalJson(j);
}

}  // namespace distill::oci
