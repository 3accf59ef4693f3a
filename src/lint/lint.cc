#include "lint/lint.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "dockerfile/instructions.h"
#include "dockerfile/parser.h"
#include "dockerfile/shell_lexer.h"
#include "frontend/build_plan.h"
#include "frontend/image_ref.h"
#include "frontend/stage_graph.h"
#include "lint/check_directive.h"
#include "lint/run_checks.h"

namespace distill::lint {

namespace {

using dockerfile::Command;
using dockerfile::Instruction;

const std::vector<RuleInfo> kRules = {
    {"ConsistentInstructionCasing", Severity::kWarning, "instruction keywords in mixed case"},
    {"FromAsCasing", Severity::kWarning, "'FROM' and 'AS' keywords' casing differ"},
    {"StageNameCasing", Severity::kWarning, "stage name not in lower case"},
    {"DuplicateStageName", Severity::kError, "two stages with the same name"},
    {"UndefinedVar", Severity::kWarning, "variable used but never set"},
    {"UndefinedArgInFrom", Severity::kWarning, "FROM uses an ARG not declared before it"},
    {"InvalidDefaultArgInFrom", Severity::kWarning, "FROM is not valid with the ARG defaults"},
    {"FromPlatformFlagConstDisallowed", Severity::kWarning, "FROM --platform with a constant"},
    {"MaintainerDeprecated", Severity::kWarning, "MAINTAINER instead of a label"},
    {"JSONArgsRecommended", Severity::kWarning, "shell-form CMD/ENTRYPOINT (DL3025)"},
    {"ShellFormWithoutShell", Severity::kError, "shell form on a base without a shell"},
    {"MultipleInstructionsDisallowed", Severity::kWarning,
     "several CMD/ENTRYPOINT/HEALTHCHECK in one stage"},
    {"WorkdirRelativePath", Severity::kWarning, "relative WORKDIR without a base directory"},
    {"LegacyKeyValueFormat", Severity::kWarning, "ENV/LABEL key value without '='"},
    {"ExposeProtoCasing", Severity::kWarning, "EXPOSE protocol not in lower case"},
    {"SecretsUsedInArgOrEnv", Severity::kWarning, "secret-looking ARG/ENV name"},
    {"NoEmptyContinuation", Severity::kWarning, "empty continuation line"},
    {"DL3006", Severity::kWarning, "FROM image without a tag or digest"},
    {"DL3007", Severity::kWarning, "FROM image with the 'latest' tag"},
    {"DL3015", Severity::kWarning, "apt-get install without --no-install-recommends"},
    {"DL3009", Severity::kInfo, "apt lists not removed in the same RUN"},
    {"DL3042", Severity::kWarning, "pip install without --no-cache-dir"},
    {"DL3002", Severity::kWarning, "final stage runs as root"},
    {"DL3059", Severity::kInfo, "consecutive RUN instructions with the same flags"},
    {"CopyContextIntoFinalStage", Severity::kWarning,
     "whole build context copied into the final stage of a multi-stage build"},
    {"UnusedStage", Severity::kInfo, "stage never used by the target"},
};

Severity DefaultSeverity(const std::string& id) {
  for (const auto& r : kRules) {
    if (id == r.id) return r.severity;
  }
  return Severity::kWarning;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> SplitWhitespace(const std::string& s) {
  std::vector<std::string> out;
  std::string word;
  for (char c : s) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!word.empty()) out.push_back(word);
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) out.push_back(word);
  return out;
}

// The keyword as the author wrote it: the first word of the instruction.
std::string KeywordAsWritten(const Instruction& inst) {
  std::vector<std::string> words = SplitWhitespace(inst.original.substr(0, 64));
  return words.empty() ? inst.keyword : words[0];
}

bool IsAllUpper(const std::string& s) {
  return std::none_of(s.begin(), s.end(),
                      [](char c) { return std::islower(static_cast<unsigned char>(c)); });
}
bool IsAllLower(const std::string& s) {
  return std::none_of(s.begin(), s.end(),
                      [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
}

// Whether a variable is referenced with a fallback (${X:-y}, ${X-y}, ${X:+y}, ${X?msg}):
// the author handled the unset case on purpose.
bool HasFallback(const std::string& text, const std::string& name) {
  for (const char* op : {":-", "-", ":+", "+", ":?", "?"}) {
    if (text.find("${" + name + op) != std::string::npos) return true;
  }
  return false;
}

// "name:tag@digest" → the tag ("" when none); has_digest set when '@' is present.
std::string TagOf(const std::string& image, bool* has_digest) {
  *has_digest = image.find('@') != std::string::npos;
  std::string ref = image.substr(0, image.find('@'));
  size_t slash = ref.rfind('/');
  size_t colon = ref.rfind(':');
  if (colon == std::string::npos || (slash != std::string::npos && colon < slash)) return "";
  return ref.substr(colon + 1);
}

bool IsShelllessImage(const std::string& image) {
  if (image == "scratch") return true;
  if (image.rfind("gcr.io/distroless/", 0) != 0) return false;
  bool digest = false;
  return TagOf(image, &digest).find("debug") == std::string::npos;
}

bool IsRootUser(const std::string& user) {
  std::string name = user.substr(0, user.find(':'));
  return name == "root" || name == "0";
}

struct Step {
  const Instruction* inst = nullptr;
  const Command* cmd = nullptr;
};

struct LintStage {
  int index = 0;
  Step from;
  std::string name;             // lower case, "" when unnamed
  std::string name_as_written;  // for StageNameCasing
  std::vector<Step> steps;
  std::string base;            // the FROM image expanded with the global ARGs
  bool base_resolved = false;  // expansion left no variable unset
  int parent = -1;             // index of the stage it builds on
  bool no_shell = false;       // scratch/distroless, directly or through parents
  std::vector<int> deps;

  std::string Display() const {
    return name.empty() ? "#" + std::to_string(index) + " (unnamed)" : "\"" + name + "\"";
  }
};

class Linter {
 public:
  Linter(const dockerfile::Dockerfile& df, const LintOptions& options, CheckDirective directive)
      : df_(df),
        options_(options),
        directive_(std::move(directive)),
        file_(df.filename.empty() ? "Dockerfile" : df.filename),
        lexer_(df.directives.escape) {
    for (const auto& s : options.skip) {
      if (Lower(s) == "all") {
        directive_.skip_all = true;
      } else {
        directive_.skip.insert(s);
      }
    }
  }

  Result<LintReport> Run();

 private:
  void Emit(const std::string& rule, int line, std::string message, std::string why,
            std::string fix);
  Status Split();
  void CheckCasing();
  void CheckFroms();
  Status ResolveGraph();
  void CheckStage(const LintStage& stage);
  void CheckRun(const Step& step, const dockerfile::RunCommand& run, const LintStage& stage,
                bool pip_no_cache_env);
  void CheckTarget();
  void CheckUndefined(const Step& step, const std::string& text, const dockerfile::Environment& env,
                      bool full_check);
  int StageByName(const std::string& ref, int before) const;
  // The resolved config of an external base, or nullptr (no resolver, or it failed).
  const frontend::ImageConfig* BaseConfig(const LintStage& root);

  const dockerfile::Dockerfile& df_;
  const LintOptions& options_;
  CheckDirective directive_;
  std::string file_;
  dockerfile::ShellLexer lexer_;
  std::vector<Command> commands_;
  std::vector<Step> global_args_;
  std::vector<LintStage> stages_;
  dockerfile::Environment meta_env_;  // platform args + global ARGs with values
  std::set<std::string> global_arg_names_;
  int target_ = -1;
  std::map<std::string, std::optional<frontend::ImageConfig>> base_configs_;
  LintReport report_;
};

void Linter::Emit(const std::string& rule, int line, std::string message, std::string why,
                  std::string fix) {
  if (directive_.Skips(rule)) return;
  Finding f;
  f.rule = rule;
  f.severity = DefaultSeverity(rule);
  if (directive_.error && f.severity == Severity::kWarning) f.severity = Severity::kError;
  f.file = file_;
  f.line = line;
  f.message = std::move(message);
  f.why = std::move(why);
  f.fix = std::move(fix);
  report_.findings.push_back(std::move(f));
}

Status Linter::Split() {
  commands_.reserve(df_.instructions.size());
  for (const Instruction& inst : df_.instructions) {
    DISTILL_ASSIGN_OR_RETURN(Command c, dockerfile::ParseCommand(inst, file_));
    commands_.push_back(std::move(c));
  }
  for (size_t i = 0; i < commands_.size(); ++i) {
    Step step{&df_.instructions[i], &commands_[i]};
    if (const auto* from = commands_[i].As<dockerfile::FromCommand>()) {
      LintStage stage;
      stage.index = static_cast<int>(stages_.size());
      stage.from = step;
      stage.name = from->stage_name;
      // The name as written is the last word of "FROM image AS Name".
      std::vector<std::string> words = SplitWhitespace(df_.instructions[i].original);
      if (words.size() >= 2 && Lower(words[words.size() - 2]) == "as") {
        stage.name_as_written = words.back();
      }
      stages_.push_back(std::move(stage));
    } else if (stages_.empty()) {
      if (!commands_[i].As<dockerfile::ArgCommand>()) {
        return Status::Invalid(file_ + ":" + std::to_string(commands_[i].start_line) +
                               ": only ARG may come before the first FROM");
      }
      global_args_.push_back(step);
    } else {
      stages_.back().steps.push_back(step);
    }
  }
  if (stages_.empty()) return Status::Invalid(file_ + ": no FROM instruction");
  return Status::Ok();
}

void Linter::CheckCasing() {
  int upper = 0, lower = 0;
  for (const Instruction& inst : df_.instructions) {
    std::string kw = KeywordAsWritten(inst);
    upper += IsAllUpper(kw) ? 1 : 0;
    lower += IsAllLower(kw) ? 1 : 0;
  }
  bool majority_upper = upper >= lower;
  for (const Instruction& inst : df_.instructions) {
    std::string kw = KeywordAsWritten(inst);
    if (majority_upper ? IsAllUpper(kw) : IsAllLower(kw)) continue;
    std::string want = inst.keyword;
    if (majority_upper) {
      for (char& c : want) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    Emit("ConsistentInstructionCasing", inst.start_line,
         "Command '" + kw + "' should match the case of the command majority (" +
             (majority_upper ? "uppercase" : "lowercase") + ")",
         "mixed keyword casing makes a Dockerfile harder to read and to search",
         "write '" + want + "'");
  }
  for (const LintStage& s : stages_) {
    std::vector<std::string> words = SplitWhitespace(s.from.inst->original);
    if (words.size() >= 2 && Lower(words[words.size() - 2]) == "as") {
      const std::string& from_kw = words[0];
      const std::string& as_kw = words[words.size() - 2];
      if ((IsAllUpper(from_kw) && !IsAllUpper(as_kw)) ||
          (IsAllLower(from_kw) && !IsAllLower(as_kw))) {
        Emit("FromAsCasing", s.from.cmd->start_line,
             "'" + as_kw + "' and '" + from_kw + "' keywords' casing do not match",
             "inconsistent keyword casing is easy to misread",
             std::string("write '") + (IsAllUpper(from_kw) ? "AS" : "as") + "'");
      }
    }
    if (!s.name_as_written.empty() && s.name_as_written != Lower(s.name_as_written)) {
      Emit("StageNameCasing", s.from.cmd->start_line,
           "Stage name '" + s.name_as_written + "' should be lowercase",
           "stage names are case-insensitive and stored in lower case; --target and --from "
           "references look inconsistent otherwise",
           "rename the stage to '" + Lower(s.name_as_written) + "'");
    }
  }
}

void Linter::CheckFroms() {
  // The global scope: platform args, then global ARGs (build args win).
  for (const char* prefix : {"TARGET", "BUILD"}) {
    for (const char* part : {"PLATFORM", "OS", "ARCH", "VARIANT"}) {
      meta_env_.Set(std::string(prefix) + part, "");
    }
  }
  dockerfile::Environment defaults_env = meta_env_;
  for (const Step& step : global_args_) {
    for (const auto& decl : step.cmd->As<dockerfile::ArgCommand>()->args) {
      global_arg_names_.insert(decl.name);
      auto given = options_.build_args.find(decl.name);
      if (decl.default_value) {
        auto v = lexer_.ProcessWord(*decl.default_value, defaults_env);
        if (v.ok()) defaults_env.Set(decl.name, *v);
      }
      if (given != options_.build_args.end()) {
        meta_env_.Set(decl.name, given->second);
      } else if (const std::string* d = defaults_env.Lookup(decl.name)) {
        meta_env_.Set(decl.name, *d);
      }
    }
  }
  for (size_t i = 0; i < stages_.size(); ++i) {
    LintStage& s = stages_[i];
    const auto* from = s.from.cmd->As<dockerfile::FromCommand>();
    int line = s.from.cmd->start_line;
    for (size_t j = 0; j < i; ++j) {
      if (!s.name.empty() && stages_[j].name == s.name) {
        Emit("DuplicateStageName", line, "Duplicate stage name \"" + s.name + "\"",
             "the build fails: --from and --target could not tell the stages apart",
             "rename one of them (first defined at line " +
                 std::to_string(stages_[j].from.cmd->start_line) + ")");
      }
    }
    auto expanded = lexer_.Expand(from->image, meta_env_);
    if (!expanded.ok()) continue;
    s.base = expanded->word;
    s.base_resolved = expanded->unmatched.empty();
    bool all_declared = true;
    for (const auto& name : expanded->unmatched) {
      if (HasFallback(from->image, name) || global_arg_names_.count(name)) continue;
      all_declared = false;
      Emit("UndefinedArgInFrom", line, "FROM argument '" + name + "' is not declared",
           "an ARG used in FROM must be declared before the first FROM, or it expands to "
           "an empty string",
           "add 'ARG " + name + "=<default>' at the top of the Dockerfile");
    }
    if (from->image.find('$') != std::string::npos && all_declared) {
      auto with_defaults = lexer_.ProcessWord(from->image, defaults_env);
      if (with_defaults.ok() && *with_defaults != "scratch" &&
          !frontend::IsValidImageReference(*with_defaults)) {
        Emit("InvalidDefaultArgInFrom", line,
             "Default value for ARG " + from->image +
                 " results in empty or invalid base image "
                 "name \"" +
                 *with_defaults + "\"",
             "the build fails unless every builder passes the right --build-arg",
             "give the ARGs used in FROM defaults that form a valid image reference");
      }
    }
    if (!from->platform.empty() && from->platform.find('$') == std::string::npos) {
      Emit("FromPlatformFlagConstDisallowed", line,
           "FROM --platform flag should not use constant value \"" + from->platform + "\"",
           "a hard-coded platform ignores the --platform the builder asked for",
           "use a variable such as --platform=$BUILDPLATFORM, or drop the flag");
    }
    // Base: an earlier stage, scratch, or an image.
    std::string lower_base = Lower(s.base);
    s.parent = StageByName(lower_base, static_cast<int>(i));
    if (s.parent >= 0) {
      s.no_shell = stages_[s.parent].no_shell;
      s.deps.push_back(s.parent);
      continue;
    }
    s.no_shell = IsShelllessImage(s.base);
    if (s.base == "scratch" || !s.base_resolved) continue;
    bool has_digest = false;
    std::string tag = TagOf(s.base, &has_digest);
    if (tag.empty() && !has_digest) {
      Emit("DL3006", line, "Always tag the version of an image explicitly: " + s.base,
           "an untagged image means ':latest', which changes under you: builds stop being "
           "reproducible",
           "pin a tag (" + s.base + ":<version>) or a digest (@sha256:...)");
    } else if (tag == "latest" && !has_digest) {
      Emit("DL3007", line, "Using latest is prone to errors: " + s.base,
           "'latest' moves with every release, so the same Dockerfile builds different images",
           "pin a specific version tag or a digest");
    }
  }
}

int Linter::StageByName(const std::string& ref, int before) const {
  for (int j = 0; j < before; ++j) {
    if (!stages_[j].name.empty() && stages_[j].name == ref) return j;
  }
  bool digits = !ref.empty() && ref.size() < 9 &&
                std::all_of(ref.begin(), ref.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits && std::stoi(ref) < before) return std::stoi(ref);
  return -1;
}

const frontend::ImageConfig* Linter::BaseConfig(const LintStage& root) {
  if (!options_.resolve_image_config || !root.base_resolved || root.base == "scratch" ||
      root.parent >= 0) {
    return nullptr;
  }
  auto [it, inserted] = base_configs_.try_emplace(root.base);
  if (inserted) {
    auto config = options_.resolve_image_config(root.base, "");
    if (config.ok()) it->second = std::move(config).value();
  }
  return it->second ? &*it->second : nullptr;
}

Status Linter::ResolveGraph() {
  for (LintStage& s : stages_) {
    for (const Step& step : s.steps) {
      std::vector<std::string> refs;
      if (const auto* copy = step.cmd->As<dockerfile::CopyCommand>()) {
        if (!copy->from.empty()) refs.push_back(copy->from);
      } else if (const auto* run = step.cmd->As<dockerfile::RunCommand>()) {
        for (const auto& m : run->mounts) {
          if (!m.from.empty()) refs.push_back(m.from);
        }
      }
      for (const auto& ref : refs) {
        auto word = lexer_.ProcessWord(ref, meta_env_);
        int dep = StageByName(Lower(word.ok() ? *word : ref), s.index);
        if (dep >= 0) s.deps.push_back(dep);
      }
    }
  }
  if (options_.target.empty()) {
    target_ = static_cast<int>(stages_.size()) - 1;
  } else {
    target_ = StageByName(Lower(options_.target), static_cast<int>(stages_.size()));
    if (target_ < 0) {
      return Status::Invalid(file_ + ": target stage \"" + options_.target + "\" not found");
    }
  }
  return Status::Ok();
}

void Linter::CheckUndefined(const Step& step, const std::string& text,
                            const dockerfile::Environment& env, bool full_check) {
  if (text.find('$') == std::string::npos) return;
  auto expanded = lexer_.Expand(text, env);
  if (!expanded.ok()) return;
  for (const auto& name : expanded->unmatched) {
    if (HasFallback(text, name)) continue;
    // On an external base we cannot see its ENV: only a global ARG that was not
    // re-declared in the stage is certainly undefined there.
    if (!full_check && !global_arg_names_.count(name)) continue;
    std::string fix = global_arg_names_.count(name)
                          ? "declare 'ARG " + name + "' inside the stage to use the global ARG"
                          : "set it with ARG or ENV before this line, or fix the name";
    Emit("UndefinedVar", step.cmd->start_line, "Usage of undefined variable '$" + name + "'",
         "it expands to an empty string, which is rarely what was meant", fix);
  }
}

void Linter::CheckRun(const Step& step, const dockerfile::RunCommand& run, const LintStage& stage,
                      bool pip_no_cache_env) {
  int line = step.cmd->start_line;
  std::string script;
  for (const auto& a : run.command.args) script += a + " ";
  for (const auto& h : run.heredocs) script += "\n" + h.content;
  if (!run.command.exec_form && stage.no_shell) {
    Emit("ShellFormWithoutShell", line,
         "shell-form RUN in stage " + stage.Display() + ", whose base (" + stage.base +
             ") has no /bin/sh",
         "the step fails: a shell-form RUN runs through /bin/sh -c",
         "run the command in a builder stage and COPY --from the result, or use a :debug base");
  }
  if (AptInstallWithoutNoRecommends(script)) {
    Emit("DL3015", line, "apt-get install without --no-install-recommends",
         "recommended packages are pulled in too: larger image, more CVEs to patch",
         "add --no-install-recommends to apt-get install");
  }
  bool lists_cached = false;
  for (const auto& m : run.mounts) {
    if (m.target.find("/var/lib/apt") != std::string::npos) lists_cached = true;
  }
  if (!lists_cached && AptListsNotCleaned(script)) {
    Emit("DL3009", line, "apt lists are not removed in the same RUN as apt-get update/install",
         "the package lists stay in the layer (tens of MB) and go stale",
         "end the RUN with '&& rm -rf /var/lib/apt/lists/*'");
  }
  bool pip_cache_mount = false;
  for (const auto& m : run.mounts) {
    if (m.type == dockerfile::MountType::kCache && m.target.find("pip") != std::string::npos) {
      pip_cache_mount = true;
    }
  }
  if (!pip_no_cache_env && !pip_cache_mount && PipInstallWithoutNoCacheDir(script)) {
    Emit("DL3042", line, "pip install without --no-cache-dir",
         "pip's download cache is written into the layer and shipped with the image",
         "add --no-cache-dir (or ENV PIP_NO_CACHE_DIR=1, or a cache mount)");
  }
}

void Linter::CheckStage(const LintStage& stage) {
  // Variables the stage can see: platform and proxy args, its ARGs and ENVs,
  // and its parent stage's (recomputed: stages are few and small).
  dockerfile::Environment env;
  for (const auto& [k, v] : meta_env_.entries()) {
    if (frontend::IsPlatformArg(k)) env.Set(k, v);
  }
  for (const char* p : {"HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY",
                        "http_proxy", "https_proxy", "ftp_proxy", "no_proxy", "all_proxy"}) {
    env.Set(p, "");
  }
  bool full_check = true;
  bool workdir_set = false;
  std::vector<const LintStage*> chain;
  for (const LintStage* s = &stage; s != nullptr;
       s = s->parent >= 0 ? &stages_[s->parent] : nullptr) {
    chain.push_back(s);
  }
  const LintStage& root = *chain.back();
  if (root.base != "scratch") {
    // An external base: its ENV is unknown unless the resolver can tell.
    const frontend::ImageConfig* base = BaseConfig(root);
    full_check = base != nullptr;
    if (base != nullptr) {
      for (const auto& [k, v] : base->env) env.Set(k, v);
      workdir_set = !base->working_dir.empty();
    }
  }
  if (!root.base_resolved) full_check = false;
  for (auto it = chain.rbegin(); it + 1 != chain.rend(); ++it) {
    for (const Step& step : (*it)->steps) {
      if (const auto* e = step.cmd->As<dockerfile::EnvCommand>()) {
        for (const auto& kv : e->vars) env.Set(kv.key, "");
      } else if (step.cmd->As<dockerfile::WorkdirCommand>()) {
        workdir_set = true;
      }
    }
  }

  bool pip_no_cache_env = false;
  std::map<std::string, std::vector<int>> singles;  // CMD/ENTRYPOINT/HEALTHCHECK lines
  const Step* previous = nullptr;
  for (const Step& step : stage.steps) {
    const Command& c = *step.cmd;
    int line = c.start_line;
    if (c.As<dockerfile::EnvCommand>() || c.As<dockerfile::LabelCommand>()) {
      // The AST keeps key/value/separator triples; "" marks `KEY value`.
      const auto& args = step.inst->args;
      for (size_t i = 0; i + 2 < args.size(); i += 3) {
        if (!args[i + 2].empty()) continue;
        Emit("LegacyKeyValueFormat", line,
             "\"" + c.keyword + " key=value\" should be used instead of legacy \"" + c.keyword +
                 " key value\" format",
             "the legacy form sets one variable and swallows the rest of the line into its "
             "value; it is deprecated",
             "write " + c.keyword + " " + args[i] + "=<value> (quote values with spaces)");
      }
    }
    if (c.As<dockerfile::MaintainerCommand>()) {
      Emit("MaintainerDeprecated", line, "The MAINTAINER instruction is deprecated",
           "it sets a legacy config field that tools no longer read",
           "use LABEL org.opencontainers.image.authors=\"...\"");
    } else if (const auto* arg = c.As<dockerfile::ArgCommand>()) {
      for (const auto& decl : arg->args) {
        if (decl.default_value) CheckUndefined(step, *decl.default_value, env, full_check);
        const std::string* global = meta_env_.Lookup(decl.name);
        env.Set(decl.name, global ? *global : "");
        if (LooksLikeSecretName(decl.name)) {
          Emit("SecretsUsedInArgOrEnv", line,
               "Do not use ARG or ENV instructions for sensitive data (ARG \"" + decl.name + "\")",
               "build args and env values are stored in the image config and history",
               "use RUN --mount=type=secret,id=" + Lower(decl.name) + " and read the file");
        }
      }
    } else if (const auto* e = c.As<dockerfile::EnvCommand>()) {
      for (const auto& kv : e->vars) {
        CheckUndefined(step, kv.value, env, full_check);
        env.Set(kv.key, "");
        if (kv.key == "PIP_NO_CACHE_DIR") pip_no_cache_env = true;
        if (LooksLikeSecretName(kv.key)) {
          Emit("SecretsUsedInArgOrEnv", line,
               "Do not use ARG or ENV instructions for sensitive data (ENV \"" + kv.key + "\")",
               "env values are stored in the image config: anyone who pulls it can read them",
               "use RUN --mount=type=secret,id=" + Lower(kv.key) +
                   " and pass the value only to the command that needs it");
        }
      }
    } else if (const auto* label = c.As<dockerfile::LabelCommand>()) {
      for (const auto& kv : label->labels) {
        CheckUndefined(step, kv.key, env, full_check);
        CheckUndefined(step, kv.value, env, full_check);
      }
    } else if (const auto* copy = c.As<dockerfile::CopyCommand>()) {
      for (const auto& src : copy->sources) CheckUndefined(step, src, env, full_check);
      CheckUndefined(step, copy->dest, env, full_check);
      CheckUndefined(step, copy->chown, env, full_check);
    } else if (const auto* wd = c.As<dockerfile::WorkdirCommand>()) {
      CheckUndefined(step, wd->path, env, full_check);
      if (!wd->path.empty() && wd->path[0] != '/' && wd->path[0] != '$' && !workdir_set) {
        Emit("WorkdirRelativePath", line,
             "Relative workdir \"" + wd->path +
                 "\" can have unexpected results if the base "
                 "image changes",
             "it resolves against the base image's WORKDIR, which you do not control",
             "use an absolute path (WORKDIR /" + wd->path + ")");
      }
      workdir_set = true;
    } else if (const auto* user = c.As<dockerfile::UserCommand>()) {
      CheckUndefined(step, user->user, env, full_check);
    } else if (const auto* expose = c.As<dockerfile::ExposeCommand>()) {
      for (const auto& port : expose->ports) {
        CheckUndefined(step, port, env, full_check);
        size_t slash = port.find('/');
        if (slash != std::string::npos && port.substr(slash + 1) != Lower(port.substr(slash + 1))) {
          Emit("ExposeProtoCasing", line,
               "Defined protocol '" + port.substr(slash + 1) + "' in EXPOSE should be lowercase",
               "protocols are lower case in the image config; other spellings are "
               "normalised or rejected by other tools",
               "write " + port.substr(0, slash) + "/" + Lower(port.substr(slash + 1)));
        }
      }
    } else if (const auto* vol = c.As<dockerfile::VolumeCommand>()) {
      for (const auto& v : vol->volumes) CheckUndefined(step, v, env, full_check);
    } else if (const auto* sig = c.As<dockerfile::StopSignalCommand>()) {
      CheckUndefined(step, sig->signal, env, full_check);
    } else if (const auto* run = c.As<dockerfile::RunCommand>()) {
      CheckRun(step, *run, stage, pip_no_cache_env);
      if (previous != nullptr && previous->cmd->As<dockerfile::RunCommand>() &&
          previous->inst->flags == step.inst->flags) {
        Emit("DL3059", line,
             "Multiple consecutive RUN instructions (lines " +
                 std::to_string(previous->cmd->start_line) + " and " + std::to_string(line) +
                 "): consider consolidation",
             "each RUN is a layer: files deleted in a later one still ship in the earlier one",
             "join them with && into one RUN (or a RUN <<EOF heredoc)");
      }
    }
    previous = &step;

    const dockerfile::CommandLine* command_line = nullptr;
    if (const auto* cmd = c.As<dockerfile::CmdCommand>()) command_line = &cmd->command;
    if (const auto* ep = c.As<dockerfile::EntrypointCommand>()) command_line = &ep->command;
    if (command_line != nullptr) {
      singles[c.keyword].push_back(line);
      bool shell_form =
          !command_line->exec_form && !command_line->args.empty() && !command_line->args[0].empty();
      if (shell_form && stage.no_shell) {
        Emit("ShellFormWithoutShell", line,
             "shell-form " + c.keyword + " in stage " + stage.Display() + ", whose base (" +
                 stage.base + ") has no /bin/sh",
             "the container fails to start: shell form runs through /bin/sh -c",
             "use the JSON (exec) form: " + c.keyword + " [\"executable\", \"arg\"]");
      } else if (shell_form) {
        Emit("JSONArgsRecommended", line,
             "JSON arguments recommended for " + c.keyword +
                 " to prevent unintended behavior "
                 "related to OS signals",
             "in shell form the process runs under /bin/sh -c and does not receive SIGTERM",
             "use the JSON (exec) form: " + c.keyword + " [\"executable\", \"arg\"]");
      }
    }
    if (const auto* hc = c.As<dockerfile::HealthcheckCommand>()) {
      singles[c.keyword].push_back(line);
      if (!hc->none && !hc->command.exec_form && stage.no_shell) {
        Emit("ShellFormWithoutShell", line,
             "HEALTHCHECK CMD in shell form in stage " + stage.Display() + ", whose base (" +
                 stage.base + ") has no /bin/sh",
             "the health check always fails: CMD-SHELL runs through /bin/sh -c",
             "use the JSON form: HEALTHCHECK CMD [\"executable\", \"arg\"]");
      }
    }
  }
  for (const auto& [keyword, lines] : singles) {
    for (size_t i = 0; i + 1 < lines.size(); ++i) {
      Emit("MultipleInstructionsDisallowed", lines[i],
           "Multiple " + keyword +
               " instructions should not be used in the same stage because "
               "only the last one will be used",
           "this " + keyword + " is silently overridden at line " + std::to_string(lines.back()),
           "remove all but the last " + keyword);
    }
  }
}

void Linter::CheckTarget() {
  std::vector<std::vector<int>> deps;
  for (auto& s : stages_) {
    std::sort(s.deps.begin(), s.deps.end());
    deps.push_back(s.deps);
  }
  std::vector<bool> reachable = frontend::ReachableStages(deps, target_);
  for (const LintStage& s : stages_) {
    if (!reachable[s.index]) {
      Emit(
          "UnusedStage", s.from.cmd->start_line,
          "Stage " + s.Display() + " is not used by the target stage " + stages_[target_].Display(),
          "it is parsed but never built: dead code, or a --from that points elsewhere",
          "remove it, or reference it with COPY --from / FROM");
    }
  }
  const LintStage& target = stages_[target_];
  // The user the target runs as: the last USER along the chain of stage bases.
  const Step* last_user = nullptr;
  const LintStage* root = &target;
  for (const LintStage* s = &target; s != nullptr;
       s = s->parent >= 0 ? &stages_[s->parent] : nullptr) {
    root = s;
    for (auto it = s->steps.rbegin(); it != s->steps.rend() && last_user == nullptr; ++it) {
      if (it->cmd->As<dockerfile::UserCommand>()) last_user = &*it;
    }
    if (last_user != nullptr) break;
  }
  if (last_user != nullptr) {
    const auto* user = last_user->cmd->As<dockerfile::UserCommand>();
    if (IsRootUser(user->user)) {
      Emit("DL3002", last_user->cmd->start_line, "Last USER should not be root",
           "a process running as root in the container is one kernel bug away from root on "
           "the host",
           "add 'USER <non-root user>' (create one with useradd, or use a :nonroot base)");
    }
  } else {
    bool dummy = false;
    bool base_nonroot = TagOf(root->base, &dummy).find("nonroot") != std::string::npos;
    if (const frontend::ImageConfig* base = BaseConfig(*root)) {
      base_nonroot = !base->user.empty() && !IsRootUser(base->user);
    }
    if (!base_nonroot && root->base_resolved) {
      Emit("DL3002", target.from.cmd->start_line,
           "No USER in the final stage " + target.Display() + ": the image runs as root" +
               (root->base == "scratch" ? "" : " (unless " + root->base + " sets a user)"),
           "a process running as root in the container is one kernel bug away from root on "
           "the host",
           "add 'USER <non-root user>' (create one with useradd, or use a :nonroot base)");
    }
  }
  if (stages_.size() > 1) {
    for (const Step& step : target.steps) {
      const auto* copy = step.cmd->As<dockerfile::CopyCommand>();
      if (copy == nullptr || !copy->from.empty()) continue;
      for (const auto& src : copy->sources) {
        if (src == "." || src == "./" || src == "*" || src == "./*") {
          Emit("CopyContextIntoFinalStage", step.cmd->start_line,
               std::string(copy->is_add ? "ADD" : "COPY") +
                   " of the whole build context into "
                   "the final stage " +
                   target.Display(),
               "sources, tests, build files and possibly secrets end up in the shipped image, "
               "and any change to the context invalidates this layer",
               "COPY only the files the image needs, or COPY --from a builder stage");
          break;
        }
      }
    }
  }
}

Result<LintReport> Linter::Run() {
  DISTILL_RETURN_IF_ERROR(Split());
  CheckCasing();
  CheckFroms();
  DISTILL_RETURN_IF_ERROR(ResolveGraph());
  for (const LintStage& s : stages_) CheckStage(s);
  CheckTarget();
  for (const auto& w : df_.warnings) {
    if (w.message.find("Empty continuation line") == std::string::npos) continue;
    Emit("NoEmptyContinuation", w.line, "Empty continuation line",
         "an empty line inside a continued instruction will become an error in Dockerfile "
         "syntax; it also hides where the instruction ends",
         "remove the empty line (or make it a comment)");
  }
  std::stable_sort(report_.findings.begin(), report_.findings.end(),
                   [](const Finding& a, const Finding& b) {
                     return std::tie(a.line, a.rule) < std::tie(b.line, b.rule);
                   });
  report_.warnings_as_errors = directive_.error;
  return std::move(report_);
}

}  // namespace

const std::vector<RuleInfo>& AllRules() {
  return kRules;
}

Result<LintReport> LintDockerfile(const dockerfile::Dockerfile& dockerfile,
                                  const LintOptions& options) {
  CheckDirective directive;
  // As in Docker, the BUILDKIT_DOCKERFILE_CHECK build argument takes the
  // place of the file's `# check=` directive.
  auto from_arg = options.build_args.find(std::string(kCheckBuildArg));
  bool use_arg = from_arg != options.build_args.end();
  const std::string& text = use_arg ? from_arg->second : dockerfile.directives.check;
  if (!text.empty()) {
    auto parsed = ParseCheckDirective(text);
    if (!parsed.ok()) {
      return Status::Invalid(
          (use_arg ? "--build-arg " + std::string(kCheckBuildArg)
                   : (dockerfile.filename.empty() ? "Dockerfile" : dockerfile.filename) + ":1") +
          ": " + parsed.status().message());
    }
    directive = std::move(parsed).value();
  }
  Linter linter(dockerfile, options, std::move(directive));
  return linter.Run();
}

Result<LintReport> LintSource(std::string_view source, const std::string& filename,
                              const LintOptions& options) {
  DISTILL_ASSIGN_OR_RETURN(dockerfile::Dockerfile df, dockerfile::Parse(source, filename));
  return LintDockerfile(df, options);
}

}  // namespace distill::lint
