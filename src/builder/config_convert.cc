#include "builder/config_convert.h"

#include <algorithm>

namespace distill::builder {

namespace {

std::optional<dockerfile::HealthcheckCommand> HealthcheckFromOci(const oci::Healthcheck& hc) {
  dockerfile::HealthcheckCommand out;
  if (!hc.test.empty() && hc.test[0] == "NONE") {
    out.none = true;
  } else if (!hc.test.empty() && hc.test[0] == "CMD") {
    out.command.exec_form = true;
    out.command.args.assign(hc.test.begin() + 1, hc.test.end());
  } else if (!hc.test.empty() && hc.test[0] == "CMD-SHELL") {
    out.command.exec_form = false;
    std::string joined;
    for (size_t i = 1; i < hc.test.size(); ++i) joined += (i > 1 ? " " : "") + hc.test[i];
    out.command.args = {joined};
  } else if (hc.test.empty()) {
    // An empty test inherits the base's: nothing to carry.
    return std::nullopt;
  }
  out.interval_ns = hc.interval_ns;
  out.timeout_ns = hc.timeout_ns;
  out.start_period_ns = hc.start_period_ns;
  out.start_interval_ns = hc.start_interval_ns;
  out.retries = static_cast<int>(hc.retries);
  return out;
}

}  // namespace

frontend::ImageConfig FromOciConfig(const oci::ImageConfig& image) {
  const oci::ContainerConfig& c = image.config;
  frontend::ImageConfig out;
  for (const std::string& kv : c.env) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos) {
      out.env.emplace_back(kv, "");
    } else {
      out.env.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
    }
  }
  out.cmd = c.cmd;
  out.cmd_set = !c.cmd.empty();
  out.entrypoint = c.entrypoint;
  out.entrypoint_set = !c.entrypoint.empty();
  out.user = c.user;
  out.working_dir = c.working_dir;
  out.author = image.author;
  out.exposed_ports.assign(c.exposed_ports.begin(), c.exposed_ports.end());
  out.volumes.assign(c.volumes.begin(), c.volumes.end());
  out.labels = c.labels;
  out.stop_signal = c.stop_signal;
  if (c.healthcheck) out.healthcheck = HealthcheckFromOci(*c.healthcheck);
  out.shell = c.shell;
  out.onbuild = c.on_build;
  return out;
}

oci::ContainerConfig ToOciConfig(const frontend::ImageConfig& config) {
  oci::ContainerConfig c;
  for (const auto& [k, v] : config.env) c.env.push_back(k + "=" + v);
  c.cmd = config.cmd;
  c.entrypoint = config.entrypoint;
  c.user = config.user;
  c.working_dir = config.working_dir;
  c.exposed_ports.insert(config.exposed_ports.begin(), config.exposed_ports.end());
  c.volumes.insert(config.volumes.begin(), config.volumes.end());
  c.labels = config.labels;
  c.stop_signal = config.stop_signal;
  if (config.healthcheck) {
    oci::Healthcheck hc;
    hc.test = config.healthcheck->Test();
    hc.interval_ns = config.healthcheck->interval_ns;
    hc.timeout_ns = config.healthcheck->timeout_ns;
    hc.start_period_ns = config.healthcheck->start_period_ns;
    hc.start_interval_ns = config.healthcheck->start_interval_ns;
    hc.retries = config.healthcheck->retries;
    c.healthcheck = std::move(hc);
  }
  c.on_build = config.onbuild;
  c.shell = config.shell;
  return c;
}

}  // namespace distill::builder
