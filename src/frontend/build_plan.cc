#include "frontend/build_plan.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "dockerfile/instructions.h"
#include "dockerfile/parser.h"
#include "dockerfile/shell_lexer.h"
#include "frontend/config_update.h"
#include "frontend/image_ref.h"
#include "frontend/stage_graph.h"

namespace distill::frontend {

namespace {

using dockerfile::Command;
using dockerfile::Environment;

const char* const kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string FirstLine(const std::string& text) {
  std::string line = text.substr(0, text.find('\n'));
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
  if (line.size() > 80) line = line.substr(0, 77) + "...";
  return line;
}

// "Dockerfile:12: COPY --from=x a b: message": the shape of every planning error.
Status At(const std::string& file, const Command& c, const std::string& message) {
  std::string text = FirstLine(c.original);
  if (text.empty()) text = c.keyword;
  return Status::Invalid(file + ":" + std::to_string(c.start_line) + ": " + text + ": " + message);
}

SourceRange RangeOf(const std::string& file, const Command& c) {
  return SourceRange{file, c.start_line, c.end_line, c.original};
}

// Expands words with the Dockerfile's escape character, turning lexer errors
// into located ones.
class Expander {
 public:
  Expander(const std::string& file, char escape)
      : file_(file), lexer_(escape), heredoc_lexer_(HeredocOptions()) {}

  Result<std::string> Word(const Command& c, const std::string& word,
                           const Environment& env) const {
    auto r = lexer_.ProcessWord(word, env);
    if (!r.ok()) return At(file_, c, r.status().message());
    return std::move(r).value();
  }
  Result<std::vector<std::string>> Words(const Command& c, const std::string& word,
                                         const Environment& env) const {
    auto r = lexer_.ProcessWords(word, env);
    if (!r.ok()) return At(file_, c, r.status().message());
    return std::move(r).value();
  }
  // For callers that add the location themselves.
  Result<std::string> Unlocated(const std::string& word, const Environment& env) const {
    return lexer_.ProcessWord(word, env);
  }
  // Heredoc bodies expand variables but keep quotes (the reference's rule).
  Result<std::string> Heredoc(const Command& c, const std::string& body,
                              const Environment& env) const {
    auto r = heredoc_lexer_.ProcessWord(body, env);
    if (!r.ok()) return At(file_, c, r.status().message());
    return std::move(r).value();
  }

 private:
  static dockerfile::ShellLexerOptions HeredocOptions() {
    dockerfile::ShellLexerOptions o;
    o.escape = '\\';
    o.skip_process_quotes = true;
    return o;
  }
  std::string file_;
  dockerfile::ShellLexer lexer_;
  dockerfile::ShellLexer heredoc_lexer_;
};

// Where a --from (or mount from=) points.
struct FromTarget {
  int stage = -1;     // >= 0: an earlier stage
  std::string image;  // otherwise: an image reference
};

struct StageDraft {
  const Command* from = nullptr;
  std::vector<const Command*> commands;
  // Per command (same index): what its --from / mount from= resolved to.
  std::vector<std::vector<FromTarget>> reads;
};

bool IsNumber(const std::string& s) {
  return !s.empty() && s.size() < 9 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string PlatformArgValue(const Platform& p, const std::string& part) {
  if (part == "PLATFORM") return p.ToString();
  if (part == "OS") return p.os;
  if (part == "ARCH") return p.arch;
  return p.variant;
}

// A stage's variables while it is being planned: ARGs in scope and the config.
struct StageScope {
  ImageConfig config;
  EnvList args;  // declared ARGs with a value, in order (proxy args included)
  ConfigUpdateState update;

  // ARG values first, then ENV on top: ENV always wins over ARG of the same name.
  Environment ExpansionEnv() const {
    Environment env;
    for (const auto& [k, v] : args) env.Set(k, v);
    for (const auto& [k, v] : config.env) env.Set(k, v);
    return env;
  }
};

void SetPair(EnvList* list, const std::string& key, const std::string& value) {
  for (auto& [k, v] : *list) {
    if (k == key) {
      v = value;
      return;
    }
  }
  list->emplace_back(key, value);
}

// "80" -> "80/tcp"; "8000-8010/udp" kept; anything else is an error message.
std::string NormalizePort(const std::string& text, std::string* out) {
  std::string port = text, proto = "tcp";
  size_t slash = text.find('/');
  if (slash != std::string::npos) {
    port = text.substr(0, slash);
    proto = Lower(text.substr(slash + 1));
  }
  if (proto != "tcp" && proto != "udp" && proto != "sctp") {
    return "invalid protocol \"" + proto + "\" in port \"" + text + "\" (tcp, udp or sctp)";
  }
  size_t dash = port.find('-');
  std::vector<std::string> ends{port.substr(0, dash)};
  if (dash != std::string::npos) ends.push_back(port.substr(dash + 1));
  for (const auto& e : ends) {
    int n = 0;
    auto [p, ec] = std::from_chars(e.data(), e.data() + e.size(), n);
    if (e.empty() || ec != std::errc() || p != e.data() + e.size() || n < 0 || n > 65535) {
      return "invalid port \"" + text + "\"";
    }
  }
  *out = port + "/" + proto;
  return "";
}

bool IsValidSignal(const std::string& text) {
  if (IsNumber(text)) {
    int n = std::stoi(text);
    return n >= 1 && n <= 64;
  }
  std::string name = text;
  for (char& ch : name) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (name.rfind("SIG", 0) == 0) name = name.substr(3);
  static const std::set<std::string> kNames = {
      "ABRT",   "ALRM",  "BUS",  "CHLD", "CLD",   "CONT",  "FPE",   "HUP",  "ILL",  "INT",
      "IO",     "IOT",   "KILL", "PIPE", "POLL",  "PROF",  "PWR",   "QUIT", "SEGV", "STKFLT",
      "STOP",   "SYS",   "TERM", "TRAP", "TSTP",  "TTIN",  "TTOU",  "URG",  "USR1", "USR2",
      "VTALRM", "WINCH", "XCPU", "XFSZ", "RTMIN", "RTMAX", "UNUSED"};
  if (kNames.count(name)) return true;
  for (const char* rt : {"RTMIN+", "RTMAX-"}) {
    std::string prefix = rt;
    if (name.rfind(prefix, 0) == 0 && IsNumber(name.substr(prefix.size()))) return true;
  }
  return false;
}

// Lexically cleans an absolute path ("/a/./b/../c/" -> "/a/c").
std::string CleanAbsolute(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out;
  for (const auto& p : parts) out += "/" + p;
  return out.empty() ? "/" : out;
}

bool IsRemoteUrl(const std::string& s) {
  return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0;
}

class Planner {
 public:
  Planner(const dockerfile::Dockerfile& df, const PlanOptions& opts)
      : df_(df),
        opts_(opts),
        file_(df.filename.empty() ? "Dockerfile" : df.filename),
        expander_(file_, df.directives.escape) {}

  Result<Plan> Run();

 private:
  Status SplitStages();
  Status DeclareGlobalArgs();
  Status PlanStageHeads();
  Result<FromTarget> ResolveFrom(const Command& c, const std::string& raw, int current);
  Status ResolveReads();
  Status ChooseTarget();
  Status PlanStage(int index);
  Status PlanStep(const Command& c, int stage_index, size_t command_index, StageScope* scope,
                  bool from_onbuild);
  Result<std::vector<Command>> OnbuildTriggers(const std::vector<std::string>& triggers,
                                               const Command& from);
  void Consume(const std::string& name) { consumed_.insert(name); }
  Status Err(const Command& c, const std::string& msg) const { return At(file_, c, msg); }

  const dockerfile::Dockerfile& df_;
  const PlanOptions& opts_;
  std::string file_;
  Expander expander_;
  std::vector<Command> commands_;
  std::vector<const Command*> global_args_;
  std::vector<StageDraft> drafts_;
  Environment meta_env_;  // global scope: platform args + global ARGs
  std::set<std::string> consumed_;
  Platform target_platform_;
  Platform build_platform_;
  Plan plan_;
};

Status Planner::SplitStages() {
  DISTILL_ASSIGN_OR_RETURN(commands_, dockerfile::ParseCommands(df_));
  for (const Command& c : commands_) {
    if (c.As<dockerfile::FromCommand>()) {
      drafts_.push_back(StageDraft{&c, {}, {}});
    } else if (drafts_.empty()) {
      if (!c.As<dockerfile::ArgCommand>()) {
        return Err(c, "only ARG may come before the first FROM (no build stage in context yet)");
      }
      global_args_.push_back(&c);
    } else {
      drafts_.back().commands.push_back(&c);
    }
  }
  if (drafts_.empty()) {
    return Status::Invalid(file_ + ": no FROM instruction: the Dockerfile has no build stage");
  }
  return Status::Ok();
}

Status Planner::DeclareGlobalArgs() {
  if (!opts_.build_platform.empty()) {
    auto p = ParsePlatform(opts_.build_platform);
    if (!p.ok()) return p.status().Prefixed("--build-platform");
    build_platform_ = *p;
  } else {
    build_platform_ = HostPlatform();
  }
  target_platform_ = build_platform_;
  if (!opts_.platform.empty()) {
    auto p = ParsePlatform(opts_.platform);
    if (!p.ok()) return p.status().Prefixed("--platform");
    target_platform_ = *p;
  }
  plan_.target_platform = target_platform_.ToString();
  plan_.build_platform = build_platform_.ToString();
  for (const char* part : {"PLATFORM", "OS", "ARCH", "VARIANT"}) {
    meta_env_.Set(std::string("TARGET") + part, PlatformArgValue(target_platform_, part));
    meta_env_.Set(std::string("BUILD") + part, PlatformArgValue(build_platform_, part));
  }
  for (const Command* c : global_args_) {
    for (const auto& decl : c->As<dockerfile::ArgCommand>()->args) {
      Consume(decl.name);
      auto given = opts_.build_args.find(decl.name);
      if (given != opts_.build_args.end()) {
        meta_env_.Set(decl.name, given->second);
        SetPair(&plan_.global_args, decl.name, given->second);
      } else if (decl.default_value) {
        DISTILL_ASSIGN_OR_RETURN(std::string v, expander_.Word(*c, *decl.default_value, meta_env_));
        meta_env_.Set(decl.name, v);
        SetPair(&plan_.global_args, decl.name, v);
      }
    }
  }
  return Status::Ok();
}

Status Planner::PlanStageHeads() {
  for (size_t i = 0; i < drafts_.size(); ++i) {
    const Command& c = *drafts_[i].from;
    const auto* from = c.As<dockerfile::FromCommand>();
    Stage stage;
    stage.index = static_cast<int>(i);
    stage.name = from->stage_name;
    stage.location = RangeOf(file_, c);
    stage.base_as_written = from->image;
    for (const Stage& earlier : plan_.stages) {
      if (!stage.name.empty() && earlier.name == stage.name) {
        return Err(c, "duplicate stage name \"" + stage.name + "\" (first defined at line " +
                          std::to_string(earlier.location.start_line) + ")");
      }
    }
    DISTILL_ASSIGN_OR_RETURN(std::string image, expander_.Word(c, from->image, meta_env_));
    if (image.empty()) {
      return Err(c, "base name (" + from->image + ") should not be blank");
    }
    if (!from->platform.empty()) {
      DISTILL_ASSIGN_OR_RETURN(std::string platform, expander_.Word(c, from->platform, meta_env_));
      auto p = ParsePlatform(platform);
      if (!p.ok()) return Err(c, p.status().message());
      stage.platform = p->ToString();
    }
    // An earlier stage's name wins over an image of the same name; a stage
    // cannot build on itself or a later stage, so those names mean images.
    std::string lower = Lower(image);
    for (const Stage& earlier : plan_.stages) {
      if (!earlier.name.empty() && earlier.name == lower) {
        stage.base.kind = BaseKind::kStage;
        stage.base.stage = earlier.index;
      }
    }
    if (stage.base.kind != BaseKind::kStage) {
      if (lower == "scratch") {
        stage.base.kind = BaseKind::kScratch;
      } else if (IsValidImageReference(image)) {
        stage.base.kind = BaseKind::kImage;
        stage.base.image = image;
      } else {
        return Err(c,
                   "invalid image reference \"" + image + "\" (not an earlier stage name either)");
      }
    }
    plan_.stages.push_back(std::move(stage));
  }
  return Status::Ok();
}

Result<FromTarget> Planner::ResolveFrom(const Command& c, const std::string& raw, int current) {
  DISTILL_ASSIGN_OR_RETURN(std::string name, expander_.Word(c, raw, meta_env_));
  const int count = static_cast<int>(plan_.stages.size());
  const std::string what = "--from=" + name;
  if (name.empty()) return Err(c, "--from expanded to an empty value (from \"" + raw + "\")");
  if (IsNumber(name)) {
    int idx = std::stoi(name);
    if (idx >= count) {
      return Err(c, what + ": there is no stage " + name + " (the file has " +
                        std::to_string(count) + " stages, numbered from 0)");
    }
    if (idx == current) return Err(c, what + ": a stage cannot copy from itself");
    if (idx > current) {
      return Err(c, what + ": refers to a later stage (line " +
                        std::to_string(plan_.stages[idx].location.start_line) +
                        "); only earlier stages can be used");
    }
    return FromTarget{idx, ""};
  }
  std::string lower = Lower(name);
  for (const Stage& s : plan_.stages) {
    if (s.name.empty() || s.name != lower) continue;
    if (s.index == current) return Err(c, what + ": a stage cannot copy from itself");
    if (s.index > current) {
      return Err(c, what + ": stage \"" + s.name + "\" is defined later (line " +
                        std::to_string(s.location.start_line) +
                        "); only earlier stages can be used");
    }
    return FromTarget{s.index, ""};
  }
  // Like the reference: a name that is no stage is an image to copy from.
  if (!IsValidImageReference(name)) {
    return Err(c, what + ": no stage has that name, and it is not a valid image reference");
  }
  return FromTarget{-1, name};
}

Status Planner::ResolveReads() {
  for (size_t i = 0; i < drafts_.size(); ++i) {
    StageDraft& d = drafts_[i];
    Stage& stage = plan_.stages[i];
    std::set<int> deps;
    std::set<std::string> images;
    if (stage.base.kind == BaseKind::kStage) deps.insert(stage.base.stage);
    d.reads.resize(d.commands.size());
    for (size_t k = 0; k < d.commands.size(); ++k) {
      const Command& c = *d.commands[k];
      std::vector<std::string> froms;
      if (const auto* copy = c.As<dockerfile::CopyCommand>()) {
        if (!copy->from.empty()) froms.push_back(copy->from);
      } else if (const auto* run = c.As<dockerfile::RunCommand>()) {
        for (const auto& m : run->mounts) {
          if (!m.from.empty()) froms.push_back(m.from);
        }
      }
      for (const std::string& raw : froms) {
        DISTILL_ASSIGN_OR_RETURN(FromTarget t, ResolveFrom(c, raw, static_cast<int>(i)));
        if (t.stage >= 0) {
          deps.insert(t.stage);
        } else {
          images.insert(t.image);
        }
        d.reads[k].push_back(t);
      }
    }
    stage.deps.assign(deps.begin(), deps.end());
    stage.image_deps.assign(images.begin(), images.end());
  }
  return Status::Ok();
}

Status Planner::ChooseTarget() {
  if (opts_.target.empty()) {
    plan_.target = static_cast<int>(plan_.stages.size()) - 1;
  } else {
    std::string want = Lower(opts_.target);
    for (const Stage& s : plan_.stages) {
      if (s.name == want) plan_.target = s.index;
    }
    if (plan_.target < 0) {
      std::string names;
      for (const Stage& s : plan_.stages) {
        if (s.name.empty()) continue;
        names += (names.empty() ? "" : ", ") + s.name;
      }
      return Status::NotFound(file_ + ": target stage \"" + opts_.target +
                              "\" could not be found; available stages: " +
                              (names.empty() ? "(none is named; add AS NAME to a FROM)" : names));
    }
  }
  Stage& target = plan_.stages[plan_.target];
  meta_env_.Set("TARGETSTAGE", target.name);
  std::vector<std::vector<int>> deps;
  std::vector<std::string> names;
  for (const Stage& s : plan_.stages) {
    deps.push_back(s.deps);
    names.push_back(s.DisplayName());
  }
  std::vector<bool> needed = ReachableStages(deps, plan_.target);
  for (Stage& s : plan_.stages) {
    s.needed = needed[s.index];
    if (s.needed) continue;
    s.skip_reason = s.index > plan_.target
                        ? "after the target stage \"" + target.DisplayName() + "\""
                        : "not needed by the target stage \"" + target.DisplayName() + "\"";
  }
  auto order = TopologicalOrder(deps, needed, names);
  if (!order.ok()) return Status::Invalid(file_ + ": " + order.status().message());
  plan_.order = *order;
  std::vector<int> waves = StageWaves(deps, plan_.order);
  for (Stage& s : plan_.stages) s.wave = waves[s.index];
  return Status::Ok();
}

Result<std::vector<Command>> Planner::OnbuildTriggers(const std::vector<std::string>& triggers,
                                                      const Command& from) {
  std::vector<Command> out;
  for (const std::string& expression : triggers) {
    auto parsed = dockerfile::Parse(expression + "\n", file_);
    if (!parsed.ok()) return Err(from, "ONBUILD trigger of the base: " + parsed.status().message());
    for (dockerfile::Instruction& in : parsed->instructions) {
      in.start_line = from.start_line;
      in.end_line = from.end_line;
      auto cmd = dockerfile::ParseCommand(in, file_);
      if (!cmd.ok()) return Err(from, "ONBUILD trigger of the base: " + cmd.status().message());
      out.push_back(std::move(cmd).value());
    }
  }
  return out;
}

Status Planner::PlanStage(int index) {
  Stage& stage = plan_.stages[index];
  const StageDraft& draft = drafts_[index];
  StageScope scope;
  std::vector<std::string> triggers;
  switch (stage.base.kind) {
    case BaseKind::kScratch:
      scope.config.SetEnv("PATH", kDefaultPath);
      stage.base_config_resolved = true;
      break;
    case BaseKind::kStage:
      scope.config = plan_.stages[stage.base.stage].config;
      stage.base_config_resolved = plan_.stages[stage.base.stage].base_config_resolved;
      break;
    case BaseKind::kImage:
      if (opts_.resolve_image_config) {
        std::string platform = stage.platform.empty() ? plan_.target_platform : stage.platform;
        auto config = opts_.resolve_image_config(stage.base.image, platform);
        if (!config.ok()) return Err(*draft.from, config.status().message());
        scope.config = std::move(config).value();
        stage.base_config_resolved = true;
      }
      break;
  }
  // The base's ONBUILD triggers run first in the derived stage, and are not inherited.
  triggers.swap(scope.config.onbuild);
  DISTILL_ASSIGN_OR_RETURN(std::vector<Command> injected, OnbuildTriggers(triggers, *draft.from));
  for (const Command& c : injected) {
    if (c.As<dockerfile::CopyCommand>() && !c.As<dockerfile::CopyCommand>()->from.empty()) {
      return Err(*draft.from, "ONBUILD COPY --from is not supported in a base's triggers");
    }
    DISTILL_RETURN_IF_ERROR(PlanStep(c, index, SIZE_MAX, &scope, true));
  }
  for (size_t k = 0; k < draft.commands.size(); ++k) {
    DISTILL_RETURN_IF_ERROR(PlanStep(*draft.commands[k], index, k, &scope, false));
  }
  stage.config = std::move(scope.config);
  return Status::Ok();
}

Status Planner::PlanStep(const Command& c, int stage_index, size_t command_index, StageScope* scope,
                         bool from_onbuild) {
  using namespace dockerfile;
  Stage& stage = plan_.stages[stage_index];
  Step step;
  step.command = c;
  step.location = RangeOf(file_, c);
  step.from_onbuild = from_onbuild;
  // The state the step runs in: what it sees, before its own effect.
  const Environment env = scope->ExpansionEnv();
  auto word = [&](const std::string& w) { return expander_.Word(c, w, env); };
  step.working_dir = scope->config.working_dir.empty() ? "/" : scope->config.working_dir;
  step.user = scope->config.user;
  step.shell = scope->config.EffectiveShell();
  for (const auto& [k, v] : scope->args) {
    if (IsProxyArg(k)) {
      SetPair(&step.proxy_env, k, v);
    } else {
      SetPair(&step.build_args, k, v);
    }
  }
  for (const auto& [k, v] : opts_.build_args) {
    if (IsProxyArg(k)) SetPair(&step.proxy_env, k, v);
  }
  for (const auto& [k, v] : step.build_args) SetPair(&step.env, k, v);
  for (const auto& [k, v] : scope->config.env) SetPair(&step.env, k, v);
  if (command_index != SIZE_MAX) {
    for (const auto& t : drafts_[stage_index].reads[command_index]) {
      if (t.stage >= 0) {
        step.reads_stages.push_back(t.stage);
      } else {
        step.reads_images.push_back(t.image);
      }
    }
  }

  if (auto* arg = step.command.As<ArgCommand>()) {
    for (auto& decl : arg->args) {
      Consume(decl.name);
      std::optional<std::string> value;
      auto given = opts_.build_args.find(decl.name);
      if (given != opts_.build_args.end()) {
        value = given->second;
      } else if (decl.default_value) {
        DISTILL_ASSIGN_OR_RETURN(value, word(*decl.default_value));
      } else if (const std::string* global = meta_env_.Lookup(decl.name)) {
        value = *global;  // `ARG NAME` re-declares a global ARG (or a platform one)
      }
      if (value) {
        decl.default_value = value;
        SetPair(&scope->args, decl.name, *value);
      }
    }
  } else if (auto* env_cmd = step.command.As<EnvCommand>()) {
    // Each pair sees the ones before it on the same line.
    Environment running = env;
    for (auto& kv : env_cmd->vars) {
      DISTILL_ASSIGN_OR_RETURN(kv.key, expander_.Word(c, kv.key, running));
      DISTILL_ASSIGN_OR_RETURN(kv.value, expander_.Word(c, kv.value, running));
      if (kv.key.empty()) return Err(c, "ENV names cannot be empty");
      running.Set(kv.key, kv.value);
    }
  } else if (auto* label = step.command.As<LabelCommand>()) {
    for (auto& kv : label->labels) {
      DISTILL_ASSIGN_OR_RETURN(kv.key, word(kv.key));
      DISTILL_ASSIGN_OR_RETURN(kv.value, word(kv.value));
      if (kv.key.empty()) return Err(c, "LABEL names cannot be empty");
    }
  } else if (auto* expose = step.command.As<ExposeCommand>()) {
    std::vector<std::string> ports;
    for (const std::string& p : expose->ports) {
      DISTILL_ASSIGN_OR_RETURN(std::vector<std::string> words, expander_.Words(c, p, env));
      for (const std::string& w : words) {
        std::string normal;
        std::string err = NormalizePort(w, &normal);
        if (!err.empty()) return Err(c, err);
        ports.push_back(normal);
      }
    }
    expose->ports = ports;
  } else if (auto* user = step.command.As<UserCommand>()) {
    DISTILL_ASSIGN_OR_RETURN(user->user, word(user->user));
    if (user->user.empty()) return Err(c, "USER expanded to an empty value");
  } else if (auto* wd = step.command.As<WorkdirCommand>()) {
    DISTILL_ASSIGN_OR_RETURN(std::string path, word(wd->path));
    if (path.empty()) return Err(c, "WORKDIR expanded to an empty path");
    wd->path = CleanAbsolute(path[0] == '/' ? path : step.working_dir + "/" + path);
    step.changes_filesystem = true;
  } else if (auto* volume = step.command.As<VolumeCommand>()) {
    for (std::string& v : volume->volumes) {
      DISTILL_ASSIGN_OR_RETURN(v, word(v));
      if (v.empty()) return Err(c, "VOLUME specified can not be an empty string");
    }
  } else if (auto* sig = step.command.As<StopSignalCommand>()) {
    DISTILL_ASSIGN_OR_RETURN(sig->signal, word(sig->signal));
    if (!IsValidSignal(sig->signal)) return Err(c, "invalid signal \"" + sig->signal + "\"");
  } else if (auto* copy = step.command.As<CopyCommand>()) {
    for (std::string& source : copy->sources) {
      DISTILL_ASSIGN_OR_RETURN(source, word(source));
    }
    DISTILL_ASSIGN_OR_RETURN(copy->dest, word(copy->dest));
    DISTILL_ASSIGN_OR_RETURN(copy->chown, word(copy->chown));
    DISTILL_ASSIGN_OR_RETURN(copy->chmod, word(copy->chmod));
    DISTILL_ASSIGN_OR_RETURN(copy->checksum, word(copy->checksum));
    for (std::string& exclude : copy->excludes) {
      DISTILL_ASSIGN_OR_RETURN(exclude, word(exclude));
    }
    if (!copy->from.empty()) {
      // --from sees the global scope only (it decides the graph before any stage runs).
      DISTILL_ASSIGN_OR_RETURN(copy->from, expander_.Word(c, copy->from, meta_env_));
    }
    for (auto& h : copy->heredoc_sources) {
      if (h.expand) {
        DISTILL_ASSIGN_OR_RETURN(h.content, expander_.Heredoc(c, h.content, env));
      }
    }
    if (copy->dest.empty()) return Err(c, "the destination expanded to an empty path");
    if (!copy->chmod.empty() && !IsValidChmod(copy->chmod)) {
      return Err(c, "invalid --chmod value \"" + copy->chmod + "\"");
    }
    if (!copy->checksum.empty()) {
      for (const std::string& s : copy->sources) {
        if (!IsRemoteUrl(s)) {
          return Err(c, "--checksum can only be used with HTTP(S) sources, not \"" + s + "\"");
        }
      }
    }
    step.changes_filesystem = true;
  } else if (auto* run = step.command.As<RunCommand>()) {
    // The command itself is left to the shell; mount options are expanded here.
    WordExpander mount_word = [&](const std::string& w) { return expander_.Unlocated(w, env); };
    const std::vector<Mount> raw_mounts = run->mounts;
    run->mounts.clear();
    for (size_t i = 0; i < run->mount_specs.size(); ++i) {
      auto m = ParseMount(run->mount_specs[i], &mount_word);
      if (!m.ok()) return Err(c, m.status().message());
      // from= is resolved in the global scope, as the dependency graph was.
      if (i < raw_mounts.size() && !raw_mounts[i].from.empty()) {
        DISTILL_ASSIGN_OR_RETURN(m->from, expander_.Word(c, raw_mounts[i].from, meta_env_));
      }
      run->mounts.push_back(std::move(m).value());
    }
    if (!scope->config.GetEnv("PATH")) {
      bool has_path = false;
      for (const auto& kv : step.env) has_path = has_path || kv.first == "PATH";
      if (!has_path) step.env.emplace_back("PATH", kDefaultPath);
    }
    step.changes_filesystem = true;
  }
  // CMD, ENTRYPOINT, SHELL, HEALTHCHECK, MAINTAINER, ONBUILD: not expanded.

  ApplyToConfig(step.command, &scope->config, &scope->update);
  stage.steps.push_back(std::move(step));
  return Status::Ok();
}

Result<Plan> Planner::Run() {
  plan_.filename = file_;
  DISTILL_RETURN_IF_ERROR(SplitStages());
  DISTILL_RETURN_IF_ERROR(DeclareGlobalArgs());
  DISTILL_RETURN_IF_ERROR(PlanStageHeads());
  DISTILL_RETURN_IF_ERROR(ResolveReads());
  DISTILL_RETURN_IF_ERROR(ChooseTarget());
  for (int index : plan_.order) DISTILL_RETURN_IF_ERROR(PlanStage(index));
  std::vector<std::string> unused;
  for (const auto& [name, value] : opts_.build_args) {
    if (!consumed_.count(name) && !IsPlatformArg(name) && !IsProxyArg(name)) {
      unused.push_back(name);
    }
  }
  if (!unused.empty()) {
    std::string list;
    for (const auto& n : unused) list += (list.empty() ? "" : " ") + n;
    plan_.warnings.push_back("[Warning] One or more build-args [" + list + "] were not consumed");
  }
  for (const auto& w : df_.warnings) {
    plan_.warnings.push_back(file_ + ":" + std::to_string(w.line) + ": " + w.message);
  }
  return std::move(plan_);
}

}  // namespace

bool IsPlatformArg(const std::string& name) {
  static const std::set<std::string> kNames = {"TARGETPLATFORM", "TARGETOS",      "TARGETARCH",
                                               "TARGETVARIANT",  "BUILDPLATFORM", "BUILDOS",
                                               "BUILDARCH",      "BUILDVARIANT",  "TARGETSTAGE"};
  return kNames.count(name) > 0;
}

bool IsProxyArg(const std::string& name) {
  static const std::set<std::string> kNames = {
      "HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "FTP_PROXY",
      "ftp_proxy",  "NO_PROXY",   "no_proxy",    "ALL_PROXY",   "all_proxy"};
  return kNames.count(name) > 0;
}

Result<std::map<std::string, std::string>> ParseBuildArgs(
    const std::vector<std::string>& specs, const std::function<const char*(const char*)>& getenv) {
  std::map<std::string, std::string> out;
  for (const std::string& spec : specs) {
    size_t eq = spec.find('=');
    std::string name = spec.substr(0, eq);
    if (name.empty()) {
      return Status::Invalid("--build-arg \"" + spec + "\": the name is empty (use NAME=VALUE)");
    }
    if (eq != std::string::npos) {
      out[name] = spec.substr(eq + 1);
    } else if (const char* value = getenv(name.c_str())) {
      out[name] = value;
    }
  }
  return out;
}

Result<Plan> BuildPlan(const dockerfile::Dockerfile& dockerfile, const PlanOptions& options) {
  Planner planner(dockerfile, options);
  return planner.Run();
}

}  // namespace distill::frontend
