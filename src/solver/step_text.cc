#include "solver/step_text.h"

#include <cstdio>
#include <set>

namespace distill::solver {

namespace {

using namespace dockerfile;

std::string Join(const std::vector<std::string>& words, const char* sep) {
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += sep;
    out += words[i];
  }
  return out;
}

// Go's fmt %q of a []string: ["a" "b"].
std::string GoQuoteList(const std::vector<std::string>& words) {
  std::string out = "[";
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += " ";
    out += GoQuote(words[i]);
  }
  return out + "]";
}

std::vector<std::string> ConfigArgv(const CommandLine& line, const frontend::Step& step) {
  if (line.exec_form) return line.args;
  std::vector<std::string> out = step.shell;
  out.insert(out.end(), line.args.begin(), line.args.end());
  return out;
}

// BuildKit prefixes a RUN's history with the build args it saw: "|2 A=1 B=2 ".
std::string BuildArgPrefix(const frontend::Step& step) {
  if (step.build_args.empty()) return "";
  std::string out = "|" + std::to_string(step.build_args.size());
  for (const auto& [k, v] : step.build_args) out += " " + k + "=" + v;
  return out + " ";
}

std::string CopyCreatedBy(const CopyCommand& copy) {
  std::string out = copy.is_add ? "ADD" : "COPY";
  if (copy.parents) out += " --parents";
  if (!copy.chown.empty()) out += " --chown=" + copy.chown;
  if (!copy.chmod.empty()) out += " --chmod=" + copy.chmod;
  for (const std::string& source : copy.sources) out += " " + source;
  for (const HeredocSource& h : copy.heredoc_sources) out += " <<" + h.path;
  return out + " " + copy.dest;
}

std::string PairList(const char* keyword, const std::vector<KeyValue>& pairs) {
  std::string out = keyword;
  for (const KeyValue& kv : pairs) out += " " + kv.key + "=" + kv.value;
  return out;
}

}  // namespace

std::string GoQuote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::vector<std::string> RunArgv(const frontend::Step& step) {
  const auto* run = step.command.As<RunCommand>();
  if (run == nullptr) return {};
  return ConfigArgv(run->command, step);
}

std::string HistoryCreatedBy(const frontend::Step& step) {
  const Command& c = step.command;
  if (c.As<RunCommand>()) {
    return "RUN " + BuildArgPrefix(step) + Join(RunArgv(step), " ") + " # buildkit";
  }
  if (const auto* copy = c.As<CopyCommand>()) return CopyCreatedBy(*copy) + " # buildkit";
  if (const auto* wd = c.As<WorkdirCommand>()) return "WORKDIR " + wd->path;
  if (const auto* env = c.As<EnvCommand>()) return PairList("ENV", env->vars);
  if (const auto* label = c.As<LabelCommand>()) return PairList("LABEL", label->labels);
  if (const auto* cmd = c.As<CmdCommand>())
    return "CMD " + GoQuoteList(ConfigArgv(cmd->command, step));
  if (const auto* ep = c.As<EntrypointCommand>()) {
    return "ENTRYPOINT " + GoQuoteList(ConfigArgv(ep->command, step));
  }
  if (const auto* user = c.As<UserCommand>()) return "USER " + user->user;
  if (const auto* expose = c.As<ExposeCommand>()) {
    std::set<std::string> sorted(expose->ports.begin(), expose->ports.end());
    std::string out = "EXPOSE map[";
    bool first = true;
    for (const std::string& p : sorted) {
      out += (first ? "" : " ") + p + ":{}";
      first = false;
    }
    return out + "]";
  }
  if (const auto* volume = c.As<VolumeCommand>())
    return "VOLUME [" + Join(volume->volumes, " ") + "]";
  if (const auto* shell = c.As<ShellCommand>()) return "SHELL [" + Join(shell->shell, " ") + "]";
  if (const auto* sig = c.As<StopSignalCommand>()) return "STOPSIGNAL " + sig->signal;
  if (const auto* health = c.As<HealthcheckCommand>())
    return "HEALTHCHECK " + GoQuoteList(health->Test());
  if (const auto* m = c.As<MaintainerCommand>()) return "MAINTAINER " + m->maintainer;
  if (const auto* onbuild = c.As<OnbuildCommand>()) return "ONBUILD " + onbuild->expression;
  if (const auto* arg = c.As<ArgCommand>()) {
    std::string out = "ARG";
    for (const ArgDeclaration& d : arg->args) {
      out += " " + d.name;
      if (d.default_value) out += "=" + *d.default_value;
    }
    return out;
  }
  return c.keyword;
}

std::string StepSummary(const frontend::Step& step) {
  std::string text = step.command.original.empty() ? step.location.text : step.command.original;
  size_t nl = text.find('\n');
  if (nl != std::string::npos) text.resize(nl);
  // One line, runs of blanks (left by joined continuation lines) as one space.
  std::string out;
  for (char c : text) {
    const bool blank = c == ' ' || c == '\t' || c == '\r';
    if (blank) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\\')) out.pop_back();
  return out.empty() ? step.command.keyword : out;
}

std::string StepLocation(const frontend::Step& step) {
  std::string out = step.location.file + ":" + std::to_string(step.location.start_line);
  if (step.location.end_line > step.location.start_line) {
    out += "-" + std::to_string(step.location.end_line);
  }
  return out;
}

}  // namespace distill::solver
