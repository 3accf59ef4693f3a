#include "solver/oci_config.h"

#include "oci/platform.h"

namespace distill::solver {

namespace {

// The image's healthcheck as a Dockerfile HEALTHCHECK would have set it;
// nullopt when the image has none (an empty test inherits, so carries nothing).
std::optional<dockerfile::HealthcheckCommand> HealthcheckFromOci(const oci::Healthcheck& h) {
  if (h.test.empty()) return std::nullopt;
  dockerfile::HealthcheckCommand hc;
  if (h.test[0] == "NONE") {
    hc.none = true;
  } else if (h.test[0] == "CMD") {
    hc.command.exec_form = true;
    hc.command.args.assign(h.test.begin() + 1, h.test.end());
  } else if (h.test[0] == "CMD-SHELL") {
    // Docker stores the shell form as one string; joining keeps a hand-made
    // multi-element CMD-SHELL meaningful too.
    std::string joined;
    for (size_t i = 1; i < h.test.size(); ++i) joined += (i > 1 ? " " : "") + h.test[i];
    hc.command.exec_form = false;
    hc.command.args = {joined};
  } else {
    return std::nullopt;  // not a test type Docker defines
  }
  hc.interval_ns = h.interval_ns;
  hc.timeout_ns = h.timeout_ns;
  hc.start_period_ns = h.start_period_ns;
  hc.start_interval_ns = h.start_interval_ns;
  hc.retries = static_cast<int>(h.retries);
  return hc;
}

}  // namespace

oci::ContainerConfig ToOciContainerConfig(const frontend::ImageConfig& c) {
  oci::ContainerConfig cc;
  cc.user = c.user;
  cc.exposed_ports.insert(c.exposed_ports.begin(), c.exposed_ports.end());
  for (const auto& [k, v] : c.env) cc.env.push_back(k + "=" + v);
  cc.entrypoint = c.entrypoint;
  cc.cmd = c.cmd;
  cc.volumes.insert(c.volumes.begin(), c.volumes.end());
  cc.working_dir = c.working_dir;
  cc.labels = c.labels;
  cc.stop_signal = c.stop_signal;
  if (c.healthcheck) {
    oci::Healthcheck h;
    h.test = c.healthcheck->Test();
    h.interval_ns = c.healthcheck->interval_ns;
    h.timeout_ns = c.healthcheck->timeout_ns;
    h.start_period_ns = c.healthcheck->start_period_ns;
    h.start_interval_ns = c.healthcheck->start_interval_ns;
    h.retries = c.healthcheck->retries;
    cc.healthcheck = h;
  }
  cc.on_build = c.onbuild;
  cc.shell = c.shell;
  return cc;
}

Result<oci::ImageConfig> ToOciImageConfig(const ImageState& state, const std::string& created) {
  oci::ImageConfig out;
  auto platform = oci::ParsePlatform(state.platform);
  if (!platform.ok())
    return platform.status().Prefixed("image platform \"" + state.platform + "\"");
  out.os = platform->os;
  out.architecture = platform->architecture;
  out.variant = platform->variant;
  out.created = created;
  out.author = state.config.author;

  out.config = ToOciContainerConfig(state.config);
  out.has_config = true;

  for (const LayerRef& layer : state.layers) out.rootfs.diff_ids.push_back(layer.diff_id);
  out.history = state.history;
  for (oci::HistoryEntry& h : out.history) {
    if (h.created.empty()) h.created = created;
  }
  return out;
}

frontend::ImageConfig FromOciImageConfig(const oci::ImageConfig& config) {
  frontend::ImageConfig out;
  const oci::ContainerConfig& cc = config.config;
  for (const std::string& kv : cc.env) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos) {
      out.SetEnv(kv, "");
    } else {
      out.SetEnv(kv.substr(0, eq), kv.substr(eq + 1));
    }
  }
  out.cmd = cc.cmd;
  out.cmd_set = !cc.cmd.empty();
  out.entrypoint = cc.entrypoint;
  out.entrypoint_set = !cc.entrypoint.empty();
  out.user = cc.user;
  out.working_dir = cc.working_dir;
  out.author = config.author;
  out.exposed_ports.assign(cc.exposed_ports.begin(), cc.exposed_ports.end());
  out.volumes.assign(cc.volumes.begin(), cc.volumes.end());
  out.labels = cc.labels;
  out.stop_signal = cc.stop_signal;
  if (cc.healthcheck) out.healthcheck = HealthcheckFromOci(*cc.healthcheck);
  out.shell = cc.shell;
  out.onbuild = cc.on_build;
  return out;
}

}  // namespace distill::solver
