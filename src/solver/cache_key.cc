#include "solver/cache_key.h"

#include <string_view>

#include "util/sha256.h"

namespace distill::solver {

namespace {

using namespace dockerfile;

// Appends fields in the v1 encoding (see cache_key.h). Every value is length-
// prefixed, so no value can be mistaken for the next field, whatever it holds.
class KeyEncoder {
 public:
  void Field(std::string_view name, std::string_view value) {
    out_.append(name);
    out_ += ':';
    out_ += std::to_string(value.size());
    out_ += ':';
    out_.append(value);
    out_ += '\n';
  }
  void Bool(std::string_view name, bool value) { Field(name, value ? "1" : "0"); }
  template <typename Int>
  void Number(std::string_view name, Int value) {
    Field(name, std::to_string(value));
  }
  void List(std::string_view name, const std::vector<std::string>& values) {
    Count(name, values.size());
    for (const std::string& v : values) Field(name, v);
  }
  void Pairs(std::string_view name, const frontend::EnvList& pairs) {
    Count(name, pairs.size());
    for (const auto& [k, v] : pairs) KeyValueField(name, k, v);
  }
  void Pairs(std::string_view name, const std::vector<KeyValue>& pairs) {
    Count(name, pairs.size());
    for (const KeyValue& kv : pairs) KeyValueField(name, kv.key, kv.value);
  }
  void Count(std::string_view name, size_t n) { Field(std::string(name) + "#", std::to_string(n)); }
  std::string Take() { return std::move(out_); }

 private:
  void KeyValueField(std::string_view name, const std::string& k, const std::string& v) {
    Field(std::string(name) + ".k", k);
    Field(std::string(name) + ".v", v);
  }
  std::string out_;
};

template <typename Int>
std::string Optional(const std::optional<Int>& value) {
  return value ? std::to_string(*value) : "";
}

void EncodeMount(const Mount& m, KeyEncoder* e) {
  const bool is_secret = m.type == MountType::kSecret || m.type == MountType::kSsh;
  e->Field("mount.type", MountTypeName(m.type));
  e->Field("mount.target", m.target);
  // A secret's source is a host path to its value: not part of the result.
  e->Field("mount.source", is_secret ? "" : m.source);
  e->Field("mount.from", m.from);
  e->Field("mount.id", m.id);
  e->Bool("mount.readonly", m.read_only);
  e->Field("mount.sharing", CacheSharingName(m.sharing));
  e->Field("mount.mode", Optional(m.mode));
  e->Field("mount.uid", Optional(m.uid));
  e->Field("mount.gid", Optional(m.gid));
  e->Field("mount.size", Optional(m.size_bytes));
  e->Bool("mount.required", m.required);
  e->Field("mount.env", m.env);
}

void EncodeCommandLine(const CommandLine& line, const frontend::Step& step, KeyEncoder* e) {
  e->Bool("exec", line.exec_form);
  e->List("args", line.args);
  e->List("shell", step.shell);
}

void EncodeRun(const RunCommand& run, const frontend::Step& step, const StepKeyContext& context,
               KeyEncoder* e) {
  std::vector<std::string> argv;
  if (run.command.exec_form) {
    argv = run.command.args;
  } else {
    argv = step.shell;
    argv.insert(argv.end(), run.command.args.begin(), run.command.args.end());
  }
  e->List("argv", argv);
  e->Pairs("env", context.env);
  e->Field("user", step.user);
  e->Field("workdir", step.working_dir);
  e->Field("network", NetworkModeName(run.network));
  e->Field("security", SecurityModeName(run.security));
  e->Count("mount", run.mounts.size());
  for (const Mount& m : run.mounts) EncodeMount(m, e);
  e->Count("heredoc", run.heredocs.size());
  for (const Heredoc& h : run.heredocs) {
    e->Field("heredoc.name", h.name);
    e->Field("heredoc.content", h.content);
    e->Bool("heredoc.expand", h.expand);
    e->Bool("heredoc.chomp", h.chomp);
  }
}

void EncodeCopy(const CopyCommand& copy, const frontend::Step& step, KeyEncoder* e) {
  e->List("sources", copy.sources);
  e->Count("heredoc", copy.heredoc_sources.size());
  for (const HeredocSource& h : copy.heredoc_sources) {
    e->Field("heredoc.name", h.path);
    e->Field("heredoc.content", h.content);
    e->Bool("heredoc.expand", h.expand);
  }
  e->Field("dest", copy.dest);
  e->Field("from", copy.from);
  e->Field("chown", copy.chown);
  e->Field("chmod", copy.chmod);
  e->Bool("link", copy.link);
  e->Bool("parents", copy.parents);
  e->List("excludes", copy.excludes);
  e->Field("checksum", copy.checksum);
  e->Bool("keep-git-dir", copy.keep_git_dir);
  e->Field("workdir", step.working_dir);
}

void EncodeHealthcheck(const HealthcheckCommand& h, KeyEncoder* e) {
  e->List("test", h.Test());
  e->Number("interval", h.interval_ns);
  e->Number("timeout", h.timeout_ns);
  e->Number("start-period", h.start_period_ns);
  e->Number("start-interval", h.start_interval_ns);
  e->Number("retries", h.retries);
}

}  // namespace

bool StepChangesKey(const frontend::Step& step) {
  return step.command.As<ArgCommand>() == nullptr;
}

std::string EncodeStepDefinition(const frontend::Step& step, const StepKeyContext& context) {
  KeyEncoder e;
  const Command& c = step.command;
  e.Field("kind", c.keyword);
  e.Field("platform", context.platform);
  if (const auto* run = c.As<RunCommand>()) {
    EncodeRun(*run, step, context, &e);
  } else if (const auto* copy = c.As<CopyCommand>()) {
    e.Bool("add", copy->is_add);
    EncodeCopy(*copy, step, &e);
  } else if (const auto* wd = c.As<WorkdirCommand>()) {
    e.Field("path", wd->path);
    e.Field("user", step.user);
  } else if (const auto* env = c.As<EnvCommand>()) {
    e.Pairs("env", env->vars);
  } else if (const auto* label = c.As<LabelCommand>()) {
    e.Pairs("label", label->labels);
  } else if (const auto* cmd = c.As<CmdCommand>()) {
    EncodeCommandLine(cmd->command, step, &e);
  } else if (const auto* ep = c.As<EntrypointCommand>()) {
    EncodeCommandLine(ep->command, step, &e);
  } else if (const auto* shell = c.As<ShellCommand>()) {
    e.List("shell", shell->shell);
  } else if (const auto* user = c.As<UserCommand>()) {
    e.Field("user", user->user);
  } else if (const auto* expose = c.As<ExposeCommand>()) {
    e.List("ports", expose->ports);
  } else if (const auto* volume = c.As<VolumeCommand>()) {
    e.List("volumes", volume->volumes);
  } else if (const auto* sig = c.As<StopSignalCommand>()) {
    e.Field("signal", sig->signal);
  } else if (const auto* health = c.As<HealthcheckCommand>()) {
    EncodeHealthcheck(*health, &e);
  } else if (const auto* m = c.As<MaintainerCommand>()) {
    e.Field("maintainer", m->maintainer);
  } else if (const auto* onbuild = c.As<OnbuildCommand>()) {
    e.Field("expression", onbuild->expression);
  } else if (const auto* arg = c.As<ArgCommand>()) {
    // Never hashed by the solver (StepChangesKey); encoded for completeness.
    e.Count("arg", arg->args.size());
    for (const ArgDeclaration& d : arg->args) e.Field("arg", d.name);
  }
  return e.Take();
}

std::string StepCacheKey(const std::string& parent_key, const frontend::Step& step,
                         const StepKeyContext& context) {
  KeyEncoder head;
  head.Field("parent", parent_key);
  KeyEncoder tail;
  tail.Count("input", context.inputs.size());
  for (const oci::Digest& d : context.inputs) tail.Field("input", d.str());

  Sha256 hash;
  hash.Update(
      std::string_view(kCacheKeyVersion, std::char_traits<char>::length(kCacheKeyVersion) + 1));
  hash.Update(head.Take());
  hash.Update(EncodeStepDefinition(step, context));
  hash.Update(tail.Take());
  return "sha256:" + hash.FinishHex();
}

}  // namespace distill::solver
