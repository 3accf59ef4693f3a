#include "transport/image_change.h"

#include <string>

#include "dockerfile/instructions.h"
#include "dockerfile/parser.h"

namespace distill::transport {
namespace {

std::vector<std::string> CommandArgs(const dockerfile::CommandLine& c) {
  if (c.exec_form) return c.args;
  return {"/bin/sh", "-c", c.args.empty() ? std::string() : c.args.front()};
}

// `"a b"` -> `a b`, `'a'` -> `a`: a quoted value as the shell would read it.
std::string Unquote(const std::string& v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    return v.substr(1, v.size() - 2);
  }
  return v;
}

void SetEnv(std::vector<std::string>* env, const std::string& key, const std::string& value) {
  for (auto& e : *env) {
    if (e.compare(0, key.size() + 1, key + "=") == 0) {
      e = key + "=" + value;
      return;
    }
  }
  env->push_back(key + "=" + value);
}

}  // namespace

Status ApplyChange(std::string_view line, oci::ImageConfig* config) {
  std::string where = "--change \"" + std::string(line) + "\"";
  auto parsed = dockerfile::Parse(line, "--change");
  if (!parsed.ok()) return parsed.status().Prefixed(where);
  if (parsed->instructions.size() != 1) {
    return Status::Invalid(where + ": expected exactly one instruction");
  }
  auto cmd = dockerfile::ParseCommand(parsed->instructions.front(), "--change");
  if (!cmd.ok()) return cmd.status();
  config->has_config = true;
  auto& c = config->config;
  if (auto* v = cmd->As<dockerfile::CmdCommand>()) {
    c.cmd = CommandArgs(v->command);
  } else if (auto* ep = cmd->As<dockerfile::EntrypointCommand>()) {
    c.entrypoint = CommandArgs(ep->command);
    c.cmd.clear();  // as in a Dockerfile: ENTRYPOINT resets an inherited CMD
  } else if (auto* env = cmd->As<dockerfile::EnvCommand>()) {
    for (const auto& kv : env->vars) SetEnv(&c.env, kv.key, Unquote(kv.value));
  } else if (auto* ex = cmd->As<dockerfile::ExposeCommand>()) {
    for (const auto& p : ex->ports) {
      c.exposed_ports.insert(p.find('/') == std::string::npos ? p + "/tcp" : p);
    }
  } else if (auto* lb = cmd->As<dockerfile::LabelCommand>()) {
    for (const auto& kv : lb->labels) c.labels[Unquote(kv.key)] = Unquote(kv.value);
  } else if (auto* u = cmd->As<dockerfile::UserCommand>()) {
    c.user = u->user;
  } else if (auto* w = cmd->As<dockerfile::WorkdirCommand>()) {
    c.working_dir = w->path;
  } else if (auto* vol = cmd->As<dockerfile::VolumeCommand>()) {
    for (const auto& p : vol->volumes) c.volumes.insert(p);
  } else if (auto* s = cmd->As<dockerfile::StopSignalCommand>()) {
    c.stop_signal = s->signal;
  } else {
    return Status::Invalid(where + ": " + cmd->keyword +
                           " cannot be applied; use CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, "
                           "WORKDIR, VOLUME or STOPSIGNAL");
  }
  return Status::Ok();
}

}  // namespace distill::transport
