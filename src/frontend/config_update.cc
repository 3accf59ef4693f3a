#include "frontend/config_update.h"

#include <algorithm>

namespace distill::frontend {

namespace {

// Shell form runs through the SHELL in effect: ["/bin/sh", "-c", "cmd"].
std::vector<std::string> ConfigCommand(const dockerfile::CommandLine& line,
                                       const ImageConfig& config) {
  if (line.exec_form) return line.args;
  std::vector<std::string> out = config.EffectiveShell();
  out.insert(out.end(), line.args.begin(), line.args.end());
  return out;
}

void AddSorted(std::vector<std::string>* set, const std::string& value) {
  auto it = std::lower_bound(set->begin(), set->end(), value);
  if (it == set->end() || *it != value) set->insert(it, value);
}

}  // namespace

void ApplyToConfig(const dockerfile::Command& command, ImageConfig* config,
                   ConfigUpdateState* state) {
  using namespace dockerfile;
  if (const auto* env = command.As<EnvCommand>()) {
    for (const auto& kv : env->vars) config->SetEnv(kv.key, kv.value);
  } else if (const auto* label = command.As<LabelCommand>()) {
    for (const auto& kv : label->labels) config->labels[kv.key] = kv.value;
  } else if (const auto* cmd = command.As<CmdCommand>()) {
    config->cmd = ConfigCommand(cmd->command, *config);
    config->cmd_set = true;
    state->cmd_set_in_stage = true;
  } else if (const auto* ep = command.As<EntrypointCommand>()) {
    config->entrypoint = ConfigCommand(ep->command, *config);
    config->entrypoint_set = true;
    // An ENTRYPOINT resets a CMD inherited from the base (Docker semantics).
    if (!state->cmd_set_in_stage) {
      config->cmd.clear();
      config->cmd_set = false;
    }
  } else if (const auto* shell = command.As<ShellCommand>()) {
    config->shell = shell->shell;
  } else if (const auto* user = command.As<UserCommand>()) {
    config->user = user->user;
  } else if (const auto* wd = command.As<WorkdirCommand>()) {
    config->working_dir = wd->path;
  } else if (const auto* expose = command.As<ExposeCommand>()) {
    for (const auto& p : expose->ports) AddSorted(&config->exposed_ports, p);
  } else if (const auto* volume = command.As<VolumeCommand>()) {
    for (const auto& v : volume->volumes) AddSorted(&config->volumes, v);
  } else if (const auto* sig = command.As<StopSignalCommand>()) {
    config->stop_signal = sig->signal;
  } else if (const auto* health = command.As<HealthcheckCommand>()) {
    config->healthcheck = *health;
  } else if (const auto* onbuild = command.As<OnbuildCommand>()) {
    config->onbuild.push_back(onbuild->expression);
  } else if (const auto* maintainer = command.As<MaintainerCommand>()) {
    config->author = maintainer->maintainer;
  }
}

}  // namespace distill::frontend
