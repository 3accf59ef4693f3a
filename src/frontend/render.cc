#include "frontend/render.h"

#include <algorithm>
#include <sstream>

namespace distill::frontend {

namespace {

using nlohmann::json;
using namespace dockerfile;

// Quotes a word for display when it would otherwise be ambiguous.
std::string Show(const std::string& word) {
  if (!word.empty() && word.find_first_of(" \t\n\"'\\") == std::string::npos) return word;
  return json(word).dump();
}

std::string JoinShown(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + Show(w);
  return out;
}

std::string ShowCommandLine(const CommandLine& line) {
  if (line.exec_form) return json(line.args).dump();
  return line.args.empty() ? "" : line.args[0];
}

std::string MountSpec(const Mount& m) {
  std::string s = std::string("type=") + MountTypeName(m.type);
  auto add = [&](const std::string& k, const std::string& v) {
    if (!v.empty()) s += "," + k + "=" + v;
  };
  add("target", m.target);
  add("from", m.from);
  add("source", m.source);
  // Defaults (cache id = target, sharing=shared) are left out to keep lines short.
  if (m.type != MountType::kCache || m.id != m.target) add("id", m.id);
  if (m.type == MountType::kCache && m.sharing != CacheSharing::kShared) {
    add("sharing", CacheSharingName(m.sharing));
  }
  if (m.mode) {
    std::ostringstream oct;
    oct << std::oct << *m.mode;
    add("mode", "0" + oct.str());
  }
  if (m.uid) add("uid", std::to_string(*m.uid));
  if (m.gid) add("gid", std::to_string(*m.gid));
  if (m.size_bytes) add("size", std::to_string(*m.size_bytes));
  add("env", m.env);
  if (m.read_only && (m.type == MountType::kBind || m.type == MountType::kCache)) s += ",ro";
  if (!m.read_only && m.type == MountType::kBind) s += ",rw";
  if (m.required) s += ",required";
  return s;
}

json MountToJson(const Mount& m) {
  json j = {{"type", MountTypeName(m.type)}, {"target", m.target}, {"read_only", m.read_only}};
  if (!m.source.empty()) j["source"] = m.source;
  if (!m.from.empty()) j["from"] = m.from;
  if (!m.id.empty()) j["id"] = m.id;
  if (m.type == MountType::kCache) j["sharing"] = CacheSharingName(m.sharing);
  if (m.mode) j["mode"] = *m.mode;
  if (m.uid) j["uid"] = *m.uid;
  if (m.gid) j["gid"] = *m.gid;
  if (m.size_bytes) j["size"] = *m.size_bytes;
  if (m.required) j["required"] = true;
  if (!m.env.empty()) j["env"] = m.env;
  return j;
}

json CommandLineToJson(const CommandLine& line) {
  return {{"args", line.args}, {"exec_form", line.exec_form}};
}

json EnvListToJson(const EnvList& list) {
  json out = json::array();
  for (const auto& [k, v] : list) out.push_back(k + "=" + v);
  return out;
}

// "line 9" / "lines 11-14" (the file is named once, in the header).
std::string Lines(const SourceRange& r) {
  if (r.end_line > r.start_line) {
    return "lines " + std::to_string(r.start_line) + "-" + std::to_string(r.end_line);
  }
  return "line " + std::to_string(r.start_line);
}

std::string BaseText(const Plan& plan, const Stage& s) {
  switch (s.base.kind) {
    case BaseKind::kScratch:
      return "scratch";
    case BaseKind::kImage:
      return s.base.image;
    case BaseKind::kStage:
      return "stage " + plan.stages[s.base.stage].DisplayName();
  }
  return "?";
}

std::string StageTitle(const Stage& s) {
  return s.name.empty() ? "stage " + std::to_string(s.index)
                        : "stage " + std::to_string(s.index) + " \"" + s.name + "\"";
}

}  // namespace

std::string DescribeCommand(const Command& c) {
  std::string out = c.keyword;
  auto flag = [&](const std::string& name, const std::string& value) {
    if (!value.empty()) out += " --" + name + "=" + Show(value);
  };
  if (const auto* from = c.As<FromCommand>()) {
    flag("platform", from->platform);
    out += " " + from->image;
    if (!from->stage_name.empty()) out += " AS " + from->stage_name;
  } else if (const auto* run = c.As<RunCommand>()) {
    for (const auto& m : run->mounts) out += " --mount=" + MountSpec(m);
    if (run->network != NetworkMode::kDefault) flag("network", NetworkModeName(run->network));
    if (run->security != SecurityMode::kSandbox) flag("security", SecurityModeName(run->security));
    out += " " + ShowCommandLine(run->command);
    for (const auto& h : run->heredocs) {
      out += " (here-document " + h.name + ": " + std::to_string(h.content.size()) + " bytes)";
    }
  } else if (const auto* cmd = c.As<CmdCommand>()) {
    out += " " + ShowCommandLine(cmd->command);
  } else if (const auto* ep = c.As<EntrypointCommand>()) {
    out += " " + ShowCommandLine(ep->command);
  } else if (const auto* shell = c.As<ShellCommand>()) {
    out += " " + json(shell->shell).dump();
  } else if (const auto* label = c.As<LabelCommand>()) {
    for (const auto& kv : label->labels) out += " " + Show(kv.key) + "=" + Show(kv.value);
  } else if (const auto* env = c.As<EnvCommand>()) {
    for (const auto& kv : env->vars) out += " " + Show(kv.key) + "=" + Show(kv.value);
  } else if (const auto* arg = c.As<ArgCommand>()) {
    for (const auto& a : arg->args) {
      out += " " + a.name + (a.default_value ? "=" + Show(*a.default_value) : "");
    }
  } else if (const auto* m = c.As<MaintainerCommand>()) {
    out += " " + m->maintainer;
  } else if (const auto* expose = c.As<ExposeCommand>()) {
    out += " " + JoinShown(expose->ports);
  } else if (const auto* copy = c.As<CopyCommand>()) {
    flag("from", copy->from);
    flag("chown", copy->chown);
    flag("chmod", copy->chmod);
    if (copy->link) out += " --link";
    if (copy->parents) out += " --parents";
    for (const auto& e : copy->excludes) flag("exclude", e);
    flag("checksum", copy->checksum);
    if (copy->keep_git_dir) out += " --keep-git-dir";
    for (const auto& s : copy->sources) out += " " + Show(s);
    for (const auto& h : copy->heredoc_sources) {
      out += " <<" + h.path + " (" + std::to_string(h.content.size()) + " bytes)";
    }
    out += " " + Show(copy->dest);
  } else if (const auto* volume = c.As<VolumeCommand>()) {
    out += " " + JoinShown(volume->volumes);
  } else if (const auto* user = c.As<UserCommand>()) {
    out += " " + Show(user->user);
  } else if (const auto* wd = c.As<WorkdirCommand>()) {
    out += " " + Show(wd->path);
  } else if (const auto* sig = c.As<StopSignalCommand>()) {
    out += " " + sig->signal;
  } else if (const auto* h = c.As<HealthcheckCommand>()) {
    out += " " + json(h->Test()).dump();
  } else if (const auto* on = c.As<OnbuildCommand>()) {
    out += " " + on->expression;
  }
  return out;
}

json CommandToJson(const Command& c) {
  json j = {{"instruction", c.keyword}};
  if (const auto* run = c.As<RunCommand>()) {
    j["command"] = CommandLineToJson(run->command);
    j["mounts"] = json::array();
    for (const auto& m : run->mounts) j["mounts"].push_back(MountToJson(m));
    j["network"] = NetworkModeName(run->network);
    j["security"] = SecurityModeName(run->security);
    if (!run->heredocs.empty()) {
      j["heredocs"] = json::array();
      for (const auto& h : run->heredocs) {
        j["heredocs"].push_back({{"name", h.name}, {"content", h.content}, {"expand", h.expand}});
      }
    }
  } else if (const auto* cmd = c.As<CmdCommand>()) {
    j["command"] = CommandLineToJson(cmd->command);
  } else if (const auto* ep = c.As<EntrypointCommand>()) {
    j["command"] = CommandLineToJson(ep->command);
  } else if (const auto* shell = c.As<ShellCommand>()) {
    j["shell"] = shell->shell;
  } else if (const auto* label = c.As<LabelCommand>()) {
    j["labels"] = json::array();
    for (const auto& kv : label->labels) j["labels"].push_back({kv.key, kv.value});
  } else if (const auto* env = c.As<EnvCommand>()) {
    j["env"] = json::array();
    for (const auto& kv : env->vars) j["env"].push_back({kv.key, kv.value});
  } else if (const auto* arg = c.As<ArgCommand>()) {
    j["args"] = json::array();
    for (const auto& a : arg->args) {
      j["args"].push_back(
          {{"name", a.name}, {"value", a.default_value ? json(*a.default_value) : json(nullptr)}});
    }
  } else if (const auto* m = c.As<MaintainerCommand>()) {
    j["maintainer"] = m->maintainer;
  } else if (const auto* expose = c.As<ExposeCommand>()) {
    j["ports"] = expose->ports;
  } else if (const auto* copy = c.As<CopyCommand>()) {
    j["sources"] = copy->sources;
    j["dest"] = copy->dest;
    if (!copy->heredoc_sources.empty()) {
      j["heredocs"] = json::array();
      for (const auto& h : copy->heredoc_sources) {
        j["heredocs"].push_back({{"path", h.path}, {"content", h.content}});
      }
    }
    for (const auto& [k, v] : {std::pair<const char*, const std::string*>{"from", &copy->from},
                               {"chown", &copy->chown},
                               {"chmod", &copy->chmod},
                               {"checksum", &copy->checksum}}) {
      if (!v->empty()) j[k] = *v;
    }
    if (copy->link) j["link"] = true;
    if (copy->parents) j["parents"] = true;
    if (copy->keep_git_dir) j["keep_git_dir"] = true;
    if (!copy->excludes.empty()) j["excludes"] = copy->excludes;
  } else if (const auto* volume = c.As<VolumeCommand>()) {
    j["volumes"] = volume->volumes;
  } else if (const auto* user = c.As<UserCommand>()) {
    j["user"] = user->user;
  } else if (const auto* wd = c.As<WorkdirCommand>()) {
    j["path"] = wd->path;
  } else if (const auto* sig = c.As<StopSignalCommand>()) {
    j["signal"] = sig->signal;
  } else if (const auto* h = c.As<HealthcheckCommand>()) {
    j["test"] = h->Test();
    j["interval_ns"] = h->interval_ns;
    j["timeout_ns"] = h->timeout_ns;
    j["start_period_ns"] = h->start_period_ns;
    j["start_interval_ns"] = h->start_interval_ns;
    j["retries"] = h->retries;
  } else if (const auto* on = c.As<OnbuildCommand>()) {
    j["trigger"] = on->expression;
  }
  return j;
}

json ConfigToJson(const ImageConfig& c) {
  json j = json::object();
  j["Env"] = EnvListToJson(c.env);
  if (c.cmd_set) j["Cmd"] = c.cmd;
  if (c.entrypoint_set) j["Entrypoint"] = c.entrypoint;
  if (!c.user.empty()) j["User"] = c.user;
  if (!c.working_dir.empty()) j["WorkingDir"] = c.working_dir;
  if (!c.author.empty()) j["Author"] = c.author;
  if (!c.exposed_ports.empty()) {
    j["ExposedPorts"] = json::object();
    for (const auto& p : c.exposed_ports) j["ExposedPorts"][p] = json::object();
  }
  if (!c.volumes.empty()) {
    j["Volumes"] = json::object();
    for (const auto& v : c.volumes) j["Volumes"][v] = json::object();
  }
  if (!c.labels.empty()) j["Labels"] = c.labels;
  if (!c.stop_signal.empty()) j["StopSignal"] = c.stop_signal;
  if (c.healthcheck) {
    const auto& h = *c.healthcheck;
    j["Healthcheck"] = {{"Test", h.Test()}};
    if (h.interval_ns) j["Healthcheck"]["Interval"] = h.interval_ns;
    if (h.timeout_ns) j["Healthcheck"]["Timeout"] = h.timeout_ns;
    if (h.start_period_ns) j["Healthcheck"]["StartPeriod"] = h.start_period_ns;
    if (h.start_interval_ns) j["Healthcheck"]["StartInterval"] = h.start_interval_ns;
    if (h.retries) j["Healthcheck"]["Retries"] = h.retries;
  }
  if (!c.shell.empty()) j["Shell"] = c.shell;
  if (!c.onbuild.empty()) j["OnBuild"] = c.onbuild;
  return j;
}

std::string RenderPlanText(const Plan& plan) {
  std::ostringstream out;
  const Stage& target = plan.stages[plan.target];
  out << "Plan for " << plan.filename << ": target " << StageTitle(target) << ", platform "
      << plan.target_platform << " (build platform " << plan.build_platform << ")\n";
  if (!plan.global_args.empty()) {
    out << "Global ARGs:";
    for (const auto& [k, v] : plan.global_args) out << " " << k << "=" << Show(v);
    out << "\n";
  }
  int n = 0;
  for (int index : plan.order) {
    const Stage& s = plan.stages[index];
    out << "\n[" << ++n << "/" << plan.order.size() << "] " << StageTitle(s) << " FROM "
        << BaseText(plan, s);
    if (!s.platform.empty()) out << " (platform " << s.platform << ")";
    out << "  (" << Lines(s.location) << ")\n";
    if (!s.deps.empty()) {
      out << "  needs:";
      for (int d : s.deps) out << " " << plan.stages[d].DisplayName();
      out << "\n";
    }
    std::string peers;
    for (int other : plan.order) {
      if (other != index && plan.stages[other].wave == s.wave) {
        peers += (peers.empty() ? "" : ", ") + plan.stages[other].DisplayName();
      }
    }
    if (!peers.empty()) out << "  may run in parallel with: " << peers << "\n";
    if (!s.image_deps.empty()) {
      out << "  reads images:";
      for (const auto& i : s.image_deps) out << " " << i;
      out << "\n";
    }
    if (s.base.kind == BaseKind::kImage && !s.base_config_resolved) {
      out << "  (base image config not resolved yet: its ENV is applied when it is pulled)\n";
    }
    for (const Step& step : s.steps) {
      std::string where = Lines(step.location);
      where.resize(std::max<size_t>(where.size(), 12), ' ');
      out << "  " << where << "  " << DescribeCommand(step.command);
      if (step.from_onbuild) out << "  (ONBUILD trigger of the base)";
      out << "\n";
    }
  }
  bool header = false;
  for (const Stage& s : plan.stages) {
    if (s.needed) continue;
    if (!header) out << "\nSkipped stages:\n";
    header = true;
    out << "  " << StageTitle(s) << " (" << Lines(s.location) << "): " << s.skip_reason << "\n";
  }
  if (!plan.warnings.empty()) {
    out << "\n";
    for (const auto& w : plan.warnings) out << w << "\n";
  }
  return out.str();
}

json PlanToJson(const Plan& plan) {
  json j = {{"filename", plan.filename},
            {"target", plan.target},
            {"target_platform", plan.target_platform},
            {"build_platform", plan.build_platform},
            {"order", plan.order},
            {"global_args", EnvListToJson(plan.global_args)},
            {"warnings", plan.warnings}};
  j["stages"] = json::array();
  for (const Stage& s : plan.stages) {
    json base = {{"kind", s.base.kind == BaseKind::kScratch ? "scratch"
                          : s.base.kind == BaseKind::kImage ? "image"
                                                            : "stage"}};
    if (s.base.kind == BaseKind::kImage) base["image"] = s.base.image;
    if (s.base.kind == BaseKind::kStage) base["stage"] = s.base.stage;
    json stage = {{"index", s.index},
                  {"name", s.name},
                  {"line", s.location.start_line},
                  {"base", base},
                  {"base_as_written", s.base_as_written},
                  {"platform", s.platform},
                  {"deps", s.deps},
                  {"image_deps", s.image_deps},
                  {"needed", s.needed},
                  {"wave", s.wave}};
    if (!s.needed) stage["skip_reason"] = s.skip_reason;
    if (s.needed) {
      stage["base_config_resolved"] = s.base_config_resolved;
      stage["config"] = ConfigToJson(s.config);
      stage["steps"] = json::array();
      for (const Step& step : s.steps) {
        json js = CommandToJson(step.command);
        js["line"] = step.location.start_line;
        js["end_line"] = step.location.end_line;
        js["text"] = step.location.text;
        js["changes_filesystem"] = step.changes_filesystem;
        if (step.from_onbuild) js["from_onbuild"] = true;
        if (!step.reads_stages.empty()) js["reads_stages"] = step.reads_stages;
        if (!step.reads_images.empty()) js["reads_images"] = step.reads_images;
        if (step.command.As<RunCommand>()) {
          js["env"] = EnvListToJson(step.env);
          js["build_args"] = EnvListToJson(step.build_args);
          js["proxy_env"] = EnvListToJson(step.proxy_env);
          js["shell"] = step.shell;
        }
        if (step.changes_filesystem) {
          js["working_dir"] = step.working_dir;
          if (!step.user.empty()) js["user"] = step.user;
        }
        stage["steps"].push_back(js);
      }
    }
    j["stages"].push_back(stage);
  }
  return j;
}

}  // namespace distill::frontend
