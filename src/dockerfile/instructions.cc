#include "dockerfile/instructions.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

namespace distill::dockerfile {

namespace {

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The flags one instruction accepts, and what the user gave. Flags are written
// `--name=value`, or `--name` alone for booleans; names are case-sensitive.
class FlagSet {
 public:
  enum class Kind { kString, kBool, kList };

  void Add(const std::string& name, Kind kind) { kinds_[name] = kind; }

  // Returns an error message, or "" on success.
  std::string Parse(const std::vector<std::string>& raw) {
    for (const std::string& flag : raw) {
      if (flag.rfind("--", 0) != 0) return "flag \"" + flag + "\" must start with '--'";
      std::string body = flag.substr(2);
      size_t eq = body.find('=');
      std::string name = body.substr(0, eq);
      bool has_value = eq != std::string::npos;
      std::string value = has_value ? body.substr(eq + 1) : "";
      auto kind = kinds_.find(name);
      if (kind == kinds_.end()) return "unknown flag: --" + name;
      if (kind->second != Kind::kList && seen_.count(name)) return "duplicate flag: --" + name;
      seen_.insert(name);
      switch (kind->second) {
        case Kind::kString:
          if (!has_value) return "missing a value on flag --" + name;
          strings_[name] = value;
          break;
        case Kind::kList:
          if (!has_value) return "missing a value on flag --" + name;
          lists_[name].push_back(value);
          break;
        case Kind::kBool: {
          std::string v = Lower(value);
          if (!has_value || v == "true" || v == "1") {
            bools_[name] = true;
          } else if (v == "false" || v == "0") {
            bools_[name] = false;
          } else {
            return "expecting boolean value for flag --" + name + ", not: " + value;
          }
          break;
        }
      }
    }
    return "";
  }

  bool IsSet(const std::string& name) const { return seen_.count(name) > 0; }
  std::string String(const std::string& name) const {
    auto it = strings_.find(name);
    return it == strings_.end() ? "" : it->second;
  }
  bool Bool(const std::string& name) const {
    auto it = bools_.find(name);
    return it != bools_.end() && it->second;
  }
  std::vector<std::string> List(const std::string& name) const {
    auto it = lists_.find(name);
    return it == lists_.end() ? std::vector<std::string>{} : it->second;
  }

 private:
  std::map<std::string, Kind> kinds_;
  std::set<std::string> seen_;
  std::map<std::string, std::string> strings_;
  std::map<std::string, bool> bools_;
  std::map<std::string, std::vector<std::string>> lists_;
};

// Everything a per-keyword parser needs; Fail() builds the located error.
struct Request {
  const Instruction& in;
  const std::string& filename;
  FlagSet flags;

  Status Fail(const std::string& message) const {
    return Status::Invalid(InstructionError(filename, in, message));
  }
  // Parses the flags registered so far; call before reading them.
  Status ParseFlags() {
    std::string err = flags.Parse(in.flags);
    if (!err.empty()) return Fail(err);
    return Status::Ok();
  }
  std::string Name() const { return Upper(in.keyword); }
};

// Shell form: the whole rest of the line is one string; exec form: the array.
CommandLine ToCommandLine(const Instruction& in) {
  CommandLine line;
  line.exec_form = in.json;
  if (in.json) {
    line.args = in.args;
  } else {
    std::string joined;
    for (size_t i = 0; i < in.args.size(); ++i) {
      if (i) joined += ' ';
      joined += in.args[i];
    }
    line.args.push_back(joined);
  }
  return line;
}

bool ParseUint32(std::string_view text, int base, uint32_t* out) {
  if (text.empty()) return false;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), *out, base);
  return ec == std::errc() && ptr == text.data() + text.size();
}

Result<FromCommand> ParseFrom(Request& req) {
  req.flags.Add("platform", FlagSet::Kind::kString);
  DISTILL_RETURN_IF_ERROR(req.ParseFlags());
  const auto& args = req.in.args;
  if (args.size() != 1 && args.size() != 3) {
    return req.Fail("FROM requires either one or three arguments (IMAGE [AS NAME])");
  }
  FromCommand cmd;
  cmd.image = args[0];
  cmd.platform = req.flags.String("platform");
  if (req.flags.IsSet("platform") && cmd.platform.empty()) {
    return req.Fail("--platform must not be empty");
  }
  if (args.size() == 3) {
    if (Lower(args[1]) != "as") {
      return req.Fail("expected \"AS\" after the image name, found \"" + args[1] + "\"");
    }
    cmd.stage_name = Lower(args[2]);
    if (!IsValidStageName(cmd.stage_name)) {
      return req.Fail("invalid name for build stage: \"" + args[2] +
                      "\", name can't start with a number or contain symbols");
    }
  }
  return cmd;
}

Result<RunCommand> ParseRun(Request& req) {
  req.flags.Add("mount", FlagSet::Kind::kList);
  req.flags.Add("network", FlagSet::Kind::kString);
  req.flags.Add("security", FlagSet::Kind::kString);
  DISTILL_RETURN_IF_ERROR(req.ParseFlags());
  RunCommand cmd;
  if (req.in.args.empty() && req.in.heredocs.empty()) {
    return req.Fail("RUN requires at least one argument");
  }
  cmd.command = ToCommandLine(req.in);
  cmd.heredocs = req.in.heredocs;
  cmd.mount_specs = req.flags.List("mount");
  for (const std::string& spec : cmd.mount_specs) {
    auto mount = ParseMount(spec, nullptr);
    if (!mount.ok()) return req.Fail(mount.status().message());
    cmd.mounts.push_back(std::move(mount).value());
  }
  std::string network = req.flags.String("network");
  if (network == "" || network == "default") {
    cmd.network = NetworkMode::kDefault;
  } else if (network == "none") {
    cmd.network = NetworkMode::kNone;
  } else if (network == "host") {
    cmd.network = NetworkMode::kHost;
  } else {
    return req.Fail("unsupported network mode \"" + network + "\" (use default, none or host)");
  }
  if (req.flags.IsSet("network") && network.empty()) {
    return req.Fail("--network must not be empty");
  }
  std::string security = req.flags.String("security");
  if (security == "" || security == "sandbox") {
    cmd.security = SecurityMode::kSandbox;
  } else if (security == "insecure") {
    cmd.security = SecurityMode::kInsecure;
  } else {
    return req.Fail("unsupported security mode \"" + security + "\" (use sandbox or insecure)");
  }
  if (req.flags.IsSet("security") && security.empty()) {
    return req.Fail("--security must not be empty");
  }
  return cmd;
}

// "ENV a=1 b=2" / "LABEL k v": the parser gives (key, value, separator) triples.
Result<std::vector<KeyValue>> ParseKeyValues(Request& req) {
  DISTILL_RETURN_IF_ERROR(req.ParseFlags());
  const auto& args = req.in.args;
  if (args.empty()) return req.Fail(req.Name() + " requires at least one argument");
  if (args.size() % 3 != 0) {
    return req.Fail(req.Name() + " expects key/value pairs (internal: " +
                    std::to_string(args.size()) + " parts)");
  }
  std::vector<KeyValue> out;
  for (size_t i = 0; i < args.size(); i += 3) {
    if (args[i].empty()) return req.Fail(req.Name() + " names cannot be empty");
    out.push_back({args[i], args[i + 1]});
  }
  return out;
}

Result<ArgCommand> ParseArg(Request& req) {
  DISTILL_RETURN_IF_ERROR(req.ParseFlags());
  if (req.in.args.empty()) return req.Fail("ARG requires at least one argument");
  ArgCommand cmd;
  for (const std::string& word : req.in.args) {
    ArgDeclaration decl;
    size_t eq = word.find('=');
    decl.name = word.substr(0, eq);
    if (eq != std::string::npos) decl.default_value = word.substr(eq + 1);
    if (decl.name.empty()) return req.Fail("ARG names cannot be empty: \"" + word + "\"");
    cmd.args.push_back(std::move(decl));
  }
  return cmd;
}

// The heredoc marker in a source word: "<<EOF", "<<-EOF", "<<'EOF'", "<<\"EOF\"".
std::optional<std::string> HeredocMarkerName(const std::string& word) {
  if (word.size() < 3 || word.compare(0, 2, "<<") != 0) return std::nullopt;
  std::string name = word.substr(2);
  if (!name.empty() && name[0] == '-') name.erase(0, 1);
  if (name.size() >= 2 && (name.front() == '"' || name.front() == '\'') &&
      name.back() == name.front()) {
    name = name.substr(1, name.size() - 2);
  }
  if (name.empty()) return std::nullopt;
  return name;
}

bool IsValidChecksum(const std::string& value) {
  size_t colon = value.find(':');
  if (colon == std::string::npos) return false;
  std::string algo = value.substr(0, colon), hex = value.substr(colon + 1);
  size_t want = algo == "sha256" ? 64 : algo == "sha384" ? 96 : algo == "sha512" ? 128 : 0;
  if (want == 0 || hex.size() != want) return false;
  return std::all_of(hex.begin(), hex.end(),
                     [](char c) { return std::isdigit(c) || (c >= 'a' && c <= 'f'); });
}

Result<CopyCommand> ParseCopy(Request& req, bool is_add) {
  const std::string name = is_add ? "ADD" : "COPY";
  req.flags.Add("chown", FlagSet::Kind::kString);
  req.flags.Add("chmod", FlagSet::Kind::kString);
  req.flags.Add("link", FlagSet::Kind::kBool);
  req.flags.Add("exclude", FlagSet::Kind::kList);
  if (is_add) {
    req.flags.Add("checksum", FlagSet::Kind::kString);
    req.flags.Add("keep-git-dir", FlagSet::Kind::kBool);
  } else {
    req.flags.Add("from", FlagSet::Kind::kString);
    req.flags.Add("parents", FlagSet::Kind::kBool);
  }
  DISTILL_RETURN_IF_ERROR(req.ParseFlags());
  const auto& args = req.in.args;
  if (args.size() < 2) {
    return req.Fail(name + " requires at least two arguments, but only " +
                    std::to_string(args.size()) + (args.size() == 1 ? " was" : " were") +
                    " provided. Destination could not be determined.");
  }
  CopyCommand cmd;
  cmd.is_add = is_add;
  cmd.json = req.in.json;
  cmd.dest = args.back();
  size_t next_heredoc = 0;
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    std::optional<std::string> marker = req.in.json ? std::nullopt : HeredocMarkerName(args[i]);
    if (!marker) {
      cmd.sources.push_back(args[i]);
      continue;
    }
    // Match the marker to its body by name; fall back to marker order.
    const Heredoc* body = nullptr;
    for (const Heredoc& h : req.in.heredocs) {
      if (h.name == *marker) body = &h;
    }
    if (!body && next_heredoc < req.in.heredocs.size()) body = &req.in.heredocs[next_heredoc];
    if (!body) return req.Fail("here-document " + args[i] + " has no body");
    ++next_heredoc;
    cmd.heredoc_sources.push_back({body->name, body->content, body->expand});
  }
  cmd.from = req.flags.String("from");
  if (req.flags.IsSet("from") && cmd.from.empty()) return req.Fail("--from must not be empty");
  cmd.chown = req.flags.String("chown");
  cmd.chmod = req.flags.String("chmod");
  if (!cmd.chmod.empty() && cmd.chmod.find('$') == std::string::npos && !IsValidChmod(cmd.chmod)) {
    return req.Fail("invalid --chmod value \"" + cmd.chmod +
                    "\" (octal like 755, or symbolic like u+x,g-w)");
  }
  cmd.link = req.flags.Bool("link");
  cmd.parents = req.flags.Bool("parents");
  cmd.excludes = req.flags.List("exclude");
  for (const std::string& e : cmd.excludes) {
    if (e.empty()) return req.Fail("--exclude must not be empty");
  }
  cmd.checksum = req.flags.String("checksum");
  if (!cmd.checksum.empty() && cmd.checksum.find('$') == std::string::npos &&
      !IsValidChecksum(cmd.checksum)) {
    return req.Fail("invalid --checksum \"" + cmd.checksum +
                    "\" (expected sha256:<64 hex digits>, sha384:... or sha512:...)");
  }
  cmd.keep_git_dir = req.flags.Bool("keep-git-dir");
  return cmd;
}

Result<std::string> ParseExactlyOne(Request& req) {
  DISTILL_RETURN_IF_ERROR(req.ParseFlags());
  if (req.in.args.size() != 1) return req.Fail(req.Name() + " requires exactly one argument");
  if (req.in.args[0].empty()) return req.Fail(req.Name() + " requires a non-empty argument");
  return req.in.args[0];
}

Result<int64_t> ParseInterval(Request& req, const std::string& flag) {
  if (!req.flags.IsSet(flag)) return int64_t{0};
  auto d = ParseGoDuration(req.flags.String(flag));
  if (!d.ok()) return req.Fail("--" + flag + ": " + d.status().message());
  if (*d == 0) return int64_t{0};
  if (*d < 1000000) return req.Fail("--" + flag + " cannot be less than 1ms (or 0 to inherit)");
  return *d;
}

Result<HealthcheckCommand> ParseHealthcheck(Request& req) {
  const auto& args = req.in.args;
  if (args.empty()) return req.Fail("HEALTHCHECK requires at least one argument (NONE or CMD)");
  HealthcheckCommand cmd;
  std::string type = Upper(args[0]);
  if (type == "NONE") {
    DISTILL_RETURN_IF_ERROR(req.ParseFlags());
    if (args.size() != 1) return req.Fail("HEALTHCHECK NONE takes no arguments");
    if (!req.in.flags.empty()) return req.Fail("HEALTHCHECK NONE takes no flags");
    cmd.none = true;
    return cmd;
  }
  for (const char* f : {"interval", "timeout", "start-period", "start-interval"}) {
    req.flags.Add(f, FlagSet::Kind::kString);
  }
  req.flags.Add("retries", FlagSet::Kind::kString);
  DISTILL_RETURN_IF_ERROR(req.ParseFlags());
  if (type != "CMD") return req.Fail("unknown type \"" + args[0] + "\" in HEALTHCHECK (try CMD)");
  std::vector<std::string> rest(args.begin() + 1, args.end());
  cmd.command.exec_form = req.in.json;
  if (req.in.json) {
    cmd.command.args = rest;
  } else if (!rest.empty()) {
    std::string joined;
    for (size_t i = 0; i < rest.size(); ++i) joined += (i ? " " : "") + rest[i];
    cmd.command.args.push_back(joined);
  }
  if (cmd.command.args.empty() || (!req.in.json && cmd.command.args[0].empty())) {
    return req.Fail("missing command after HEALTHCHECK CMD");
  }
  DISTILL_ASSIGN_OR_RETURN(cmd.interval_ns, ParseInterval(req, "interval"));
  DISTILL_ASSIGN_OR_RETURN(cmd.timeout_ns, ParseInterval(req, "timeout"));
  DISTILL_ASSIGN_OR_RETURN(cmd.start_period_ns, ParseInterval(req, "start-period"));
  DISTILL_ASSIGN_OR_RETURN(cmd.start_interval_ns, ParseInterval(req, "start-interval"));
  if (req.flags.IsSet("retries")) {
    std::string v = req.flags.String("retries");
    int retries = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), retries);
    if (ec != std::errc() || ptr != v.data() + v.size()) {
      return req.Fail("--retries must be an integer, not \"" + v + "\"");
    }
    if (retries < 0) return req.Fail("--retries cannot be negative (" + v + ")");
    cmd.retries = retries;
  }
  return cmd;
}

Result<CommandVariant> ParseByKeyword(Request& req);

Result<OnbuildCommand> ParseOnbuild(Request& req) {
  DISTILL_RETURN_IF_ERROR(req.ParseFlags());
  if (!req.in.nested) return req.Fail("ONBUILD requires at least one argument");
  std::string trigger = Upper(req.in.nested->keyword);
  if (trigger == "ONBUILD") return req.Fail("chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
  if (trigger == "FROM" || trigger == "MAINTAINER") {
    return req.Fail(trigger + " isn't allowed as an ONBUILD trigger");
  }
  auto nested = ParseCommand(*req.in.nested, req.filename);
  if (!nested.ok()) {
    // Report it against the whole ONBUILD line, as the user wrote it.
    std::string message = nested.status().message();
    std::string prefix = InstructionError(req.filename, *req.in.nested, "");
    if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
    return req.Fail(message);
  }
  OnbuildCommand cmd;
  // The trigger text as the reference stores it: the original minus "ONBUILD".
  std::string text = req.in.original;
  size_t start = text.find_first_not_of(" \t");
  if (start != std::string::npos && Upper(text.substr(start, 7)) == "ONBUILD") {
    text = text.substr(start + 7);
  }
  size_t first = text.find_first_not_of(" \t");
  size_t last = text.find_last_not_of(" \t\r\n");
  cmd.expression = first == std::string::npos ? "" : text.substr(first, last - first + 1);
  cmd.trigger = std::make_shared<Command>(std::move(nested).value());
  return cmd;
}

Result<CommandVariant> ParseByKeyword(Request& req) {
  const std::string& k = req.in.keyword;
  auto wrap = [](auto result) -> Result<CommandVariant> {
    if (!result.ok()) return result.status();
    return CommandVariant(std::move(result).value());
  };
  if (k == "from") return wrap(ParseFrom(req));
  if (k == "run") return wrap(ParseRun(req));
  if (k == "cmd" || k == "entrypoint") {
    DISTILL_RETURN_IF_ERROR(req.ParseFlags());
    if (k == "cmd") return CommandVariant(CmdCommand{ToCommandLine(req.in)});
    return CommandVariant(EntrypointCommand{ToCommandLine(req.in)});
  }
  if (k == "shell") {
    DISTILL_RETURN_IF_ERROR(req.ParseFlags());
    if (!req.in.json) return req.Fail("SHELL requires the arguments to be in JSON form");
    if (req.in.args.empty()) return req.Fail("SHELL requires at least one argument");
    return CommandVariant(ShellCommand{req.in.args});
  }
  if (k == "label" || k == "env") {
    auto kv = ParseKeyValues(req);
    if (!kv.ok()) return kv.status();
    if (k == "label") return CommandVariant(LabelCommand{std::move(kv).value()});
    return CommandVariant(EnvCommand{std::move(kv).value()});
  }
  if (k == "maintainer") {
    DISTILL_RETURN_IF_ERROR(req.ParseFlags());
    if (req.in.args.empty()) return req.Fail("MAINTAINER requires exactly one argument");
    return CommandVariant(MaintainerCommand{ToCommandLine(req.in).args[0]});
  }
  if (k == "expose") {
    DISTILL_RETURN_IF_ERROR(req.ParseFlags());
    if (req.in.args.empty()) return req.Fail("EXPOSE requires at least one argument");
    return CommandVariant(ExposeCommand{req.in.args});
  }
  if (k == "arg") return wrap(ParseArg(req));
  if (k == "copy" || k == "add") return wrap(ParseCopy(req, k == "add"));
  if (k == "volume") {
    DISTILL_RETURN_IF_ERROR(req.ParseFlags());
    if (req.in.args.empty()) return req.Fail("VOLUME requires at least one argument");
    for (const std::string& v : req.in.args) {
      if (v.empty()) return req.Fail("VOLUME specified can not be an empty string");
    }
    return CommandVariant(VolumeCommand{req.in.args});
  }
  if (k == "user") {
    DISTILL_ASSIGN_OR_RETURN(std::string v, ParseExactlyOne(req));
    return CommandVariant(UserCommand{v});
  }
  if (k == "workdir") {
    DISTILL_ASSIGN_OR_RETURN(std::string v, ParseExactlyOne(req));
    return CommandVariant(WorkdirCommand{v});
  }
  if (k == "stopsignal") {
    DISTILL_ASSIGN_OR_RETURN(std::string v, ParseExactlyOne(req));
    return CommandVariant(StopSignalCommand{v});
  }
  if (k == "healthcheck") return wrap(ParseHealthcheck(req));
  if (k == "onbuild") return wrap(ParseOnbuild(req));
  return Status::Invalid(req.filename + ":" + std::to_string(req.in.start_line) +
                         ": unknown instruction: " + Upper(k));
}

bool IsOctal(std::string_view s) {
  return !s.empty() && s.size() <= 5 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '7'; });
}

}  // namespace

const char* MountTypeName(MountType t) {
  switch (t) {
    case MountType::kBind:
      return "bind";
    case MountType::kCache:
      return "cache";
    case MountType::kTmpfs:
      return "tmpfs";
    case MountType::kSecret:
      return "secret";
    case MountType::kSsh:
      return "ssh";
  }
  return "?";
}

const char* CacheSharingName(CacheSharing s) {
  switch (s) {
    case CacheSharing::kShared:
      return "shared";
    case CacheSharing::kPrivate:
      return "private";
    case CacheSharing::kLocked:
      return "locked";
  }
  return "?";
}

const char* NetworkModeName(NetworkMode m) {
  switch (m) {
    case NetworkMode::kDefault:
      return "default";
    case NetworkMode::kNone:
      return "none";
    case NetworkMode::kHost:
      return "host";
  }
  return "?";
}

const char* SecurityModeName(SecurityMode m) {
  return m == SecurityMode::kInsecure ? "insecure" : "sandbox";
}

Result<Mount> ParseMount(const std::string& spec, const WordExpander* expand) {
  // Options are comma-separated; a value may be double-quoted to hold a comma.
  std::vector<std::string> fields;
  std::string cur;
  bool quoted = false;
  for (char c : spec) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (quoted) return Status::Invalid("--mount=" + spec + ": unterminated quote");
  fields.push_back(cur);

  Mount m;
  bool read_only_set = false, sharing_set = false, deferred = false;
  std::string type_text = "bind";
  auto bad = [&](const std::string& what) {
    return Status::Invalid("--mount=" + spec + ": " + what);
  };
  // Pass 1: the type decides defaults, so find it first.
  for (const std::string& f : fields) {
    size_t eq = f.find('=');
    if (eq != std::string::npos && Lower(f.substr(0, eq)) == "type") type_text = f.substr(eq + 1);
  }
  if (type_text == "bind") {
    m.type = MountType::kBind;
  } else if (type_text == "cache") {
    m.type = MountType::kCache;
  } else if (type_text == "tmpfs") {
    m.type = MountType::kTmpfs;
  } else if (type_text == "secret") {
    m.type = MountType::kSecret;
  } else if (type_text == "ssh") {
    m.type = MountType::kSsh;
  } else {
    return bad("unsupported mount type \"" + type_text + "\" (bind, cache, tmpfs, secret, ssh)");
  }
  auto parse_bool = [&](const std::string& key, const std::string& v, bool* out) -> Status {
    std::string l = Lower(v);
    if (l == "true" || l == "1") {
      *out = true;
    } else if (l == "false" || l == "0") {
      *out = false;
    } else {
      return bad("invalid value \"" + v + "\" for " + key + " (true or false)");
    }
    return Status::Ok();
  };
  for (const std::string& field : fields) {
    if (field.empty()) continue;
    size_t eq = field.find('=');
    std::string key = Lower(field.substr(0, eq));
    if (eq == std::string::npos) {
      if (key == "readonly" || key == "ro") {
        m.read_only = read_only_set = true;
      } else if (key == "readwrite" || key == "rw") {
        m.read_only = false;
        read_only_set = true;
      } else if (key == "required") {
        m.required = true;
      } else {
        return bad("unexpected key '" + key + "'");
      }
      continue;
    }
    std::string value = field.substr(eq + 1);
    if (key == "type") continue;
    if (expand && *expand) {
      auto expanded = (*expand)(value);
      if (!expanded.ok()) return bad(expanded.status().message());
      value = std::move(expanded).value();
    }
    // Unexpanded variables: keep the text, check it once it is expanded.
    bool raw_var = (!expand || !*expand) && value.find('$') != std::string::npos;
    deferred = deferred || raw_var;
    if (key == "target" || key == "dst" || key == "destination") {
      m.target = value;
    } else if (key == "source" || key == "src") {
      m.source = value;
    } else if (key == "from") {
      m.from = value;
    } else if (key == "id") {
      m.id = value;
    } else if (key == "env") {
      m.env = value;
    } else if (key == "readonly" || key == "ro") {
      if (!raw_var) DISTILL_RETURN_IF_ERROR(parse_bool(key, value, &m.read_only));
      read_only_set = true;
    } else if (key == "readwrite" || key == "rw") {
      bool rw = false;
      if (!raw_var) DISTILL_RETURN_IF_ERROR(parse_bool(key, value, &rw));
      m.read_only = !rw;
      read_only_set = true;
    } else if (key == "required") {
      if (!raw_var) DISTILL_RETURN_IF_ERROR(parse_bool(key, value, &m.required));
    } else if (key == "sharing") {
      sharing_set = true;
      if (raw_var) continue;
      if (value == "shared") {
        m.sharing = CacheSharing::kShared;
      } else if (value == "private") {
        m.sharing = CacheSharing::kPrivate;
      } else if (value == "locked") {
        m.sharing = CacheSharing::kLocked;
      } else {
        return bad("unsupported sharing value \"" + value + "\" (shared, private, locked)");
      }
    } else if (key == "mode") {
      if (raw_var) continue;
      uint32_t mode = 0;
      if (!ParseUint32(value, 8, &mode) || mode > 07777) {
        return bad("invalid mode \"" + value + "\" (octal, e.g. 0400)");
      }
      m.mode = mode;
    } else if (key == "uid" || key == "gid") {
      if (raw_var) continue;
      uint32_t id = 0;
      if (!ParseUint32(value, 10, &id)) return bad("invalid " + key + " \"" + value + "\"");
      (key == "uid" ? m.uid : m.gid) = id;
    } else if (key == "size") {
      if (raw_var) continue;
      auto size = ParseByteSize(value);
      if (!size.ok()) return bad(size.status().message());
      m.size_bytes = *size;
    } else {
      return bad("unexpected key '" + key + "'");
    }
  }
  if (deferred) return m;

  // Cross-option rules and defaults, per mount type.
  if (sharing_set && m.type != MountType::kCache) {
    return bad(std::string("sharing is only valid for cache mounts, not ") + MountTypeName(m.type));
  }
  if (m.size_bytes && m.type != MountType::kTmpfs) return bad("size is only valid for tmpfs");
  if (!m.env.empty() && m.type != MountType::kSecret) return bad("env is only valid for secrets");
  switch (m.type) {
    case MountType::kBind:
      if (m.target.empty()) return bad("a bind mount needs a target");
      if (!read_only_set) m.read_only = true;  // bind mounts are read-only unless rw
      break;
    case MountType::kCache:
      if (m.target.empty()) return bad("a cache mount needs a target");
      if (m.id.empty()) m.id = m.target;
      break;
    case MountType::kTmpfs:
      if (m.target.empty()) return bad("a tmpfs mount needs a target");
      if (!m.from.empty() || !m.source.empty()) return bad("a tmpfs mount takes no from/source");
      break;
    case MountType::kSecret:
      if (!m.from.empty()) return bad("a secret mount should not have a from");
      if (m.id.empty() && m.target.empty() && m.env.empty() && m.source.empty()) {
        return bad("a secret mount needs an id, a target or an env");
      }
      if (m.id.empty()) {
        std::string base = !m.target.empty() ? m.target : m.source;
        if (base.empty()) base = m.env;
        size_t slash = base.find_last_of('/');
        m.id = slash == std::string::npos ? base : base.substr(slash + 1);
      }
      if (m.target.empty() && m.env.empty()) m.target = "/run/secrets/" + m.id;
      if (!m.mode) m.mode = 0400;
      m.read_only = true;
      break;
    case MountType::kSsh:
      if (!m.from.empty()) return bad("an ssh mount should not have a from");
      if (m.id.empty()) m.id = "default";
      if (!m.mode) m.mode = 0600;
      m.read_only = true;
      break;
  }
  return m;
}

std::vector<std::string> HealthcheckCommand::Test() const {
  if (none) return {"NONE"};
  std::vector<std::string> test{command.exec_form ? "CMD" : "CMD-SHELL"};
  test.insert(test.end(), command.args.begin(), command.args.end());
  return test;
}

std::string InstructionError(const std::string& filename, const Instruction& instruction,
                             const std::string& message) {
  std::string text = instruction.original;
  size_t nl = text.find('\n');
  if (nl != std::string::npos) text = text.substr(0, nl);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  if (text.empty()) text = Upper(instruction.keyword);
  return filename + ":" + std::to_string(instruction.start_line) + ": " + text + ": " + message;
}

Result<Command> ParseCommand(const Instruction& instruction, const std::string& filename) {
  Request req{instruction, filename, FlagSet()};
  DISTILL_ASSIGN_OR_RETURN(CommandVariant value, ParseByKeyword(req));
  Command cmd;
  cmd.keyword = Upper(instruction.keyword);
  cmd.original = instruction.original;
  cmd.start_line = instruction.start_line;
  cmd.end_line = instruction.end_line;
  cmd.value = std::move(value);
  return cmd;
}

Result<std::vector<Command>> ParseCommands(const Dockerfile& dockerfile) {
  std::vector<Command> out;
  for (const Instruction& in : dockerfile.instructions) {
    DISTILL_ASSIGN_OR_RETURN(Command cmd, ParseCommand(in, dockerfile.filename));
    out.push_back(std::move(cmd));
  }
  return out;
}

Result<int64_t> ParseGoDuration(std::string_view text) {
  std::string_view s = text;
  auto bad = [&] { return Status::Invalid("invalid duration \"" + std::string(text) + "\""); };
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return int64_t{0};
  if (s.empty()) return bad();
  static const std::pair<const char*, double> kUnits[] = {
      {"ns", 1},   {"us", 1e3}, {"\xc2\xb5s", 1e3}, {"\xce\xbcs", 1e3},
      {"ms", 1e6}, {"s", 1e9},  {"m", 60e9},        {"h", 3600e9}};
  double total = 0;
  while (!s.empty()) {
    size_t i = 0;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    if (i == 0) return bad();
    std::string number(s.substr(0, i));
    if (std::count(number.begin(), number.end(), '.') > 1 || number == ".") return bad();
    s.remove_prefix(i);
    size_t j = 0;
    while (j < s.size() && !std::isdigit(static_cast<unsigned char>(s[j])) && s[j] != '.') ++j;
    std::string unit(s.substr(0, j));
    s.remove_prefix(j);
    double scale = 0;
    for (const auto& [name, factor] : kUnits) {
      if (unit == name) scale = factor;
    }
    if (scale == 0) {
      return Status::Invalid("invalid duration \"" + std::string(text) + "\"" +
                             (unit.empty() ? ": missing unit" : ": unknown unit \"" + unit + "\""));
    }
    total += std::stod(number) * scale;
  }
  if (total > 9.2e18) return bad();
  int64_t ns = static_cast<int64_t>(std::llround(total));
  return negative ? -ns : ns;
}

Result<int64_t> ParseByteSize(std::string_view text) {
  auto bad = [&] { return Status::Invalid("invalid size \"" + std::string(text) + "\""); };
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) {
    ++i;
  }
  if (i == 0) return bad();
  std::string number(text.substr(0, i));
  if (std::count(number.begin(), number.end(), '.') > 1 || number.back() == '.') return bad();
  std::string unit = Lower(std::string(text.substr(i)));
  if (!unit.empty() && unit[0] == ' ') unit.erase(0, 1);
  // Docker's RAMInBytes: k/m/g/t/p, optional "i" and "b", all binary multiples.
  double scale = 1;
  static const std::string kPrefixes = "kmgtp";
  if (!unit.empty() && kPrefixes.find(unit[0]) != std::string::npos) {
    scale = std::pow(1024.0, static_cast<double>(kPrefixes.find(unit[0]) + 1));
    unit.erase(0, 1);
    if (!unit.empty() && unit[0] == 'i') unit.erase(0, 1);
  }
  if (unit == "b") unit.clear();
  if (!unit.empty()) return bad();
  double bytes = std::stod(number) * scale;
  if (bytes > 9.2e18) return bad();
  return static_cast<int64_t>(bytes);
}

bool IsValidChmod(std::string_view text) {
  if (IsOctal(text)) return true;
  // Symbolic: clauses like "u+x", "go-w", "a=rX", joined by commas.
  if (text.empty()) return false;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view clause = text.substr(start, end - start);
    size_t i = 0;
    while (i < clause.size() &&
           std::string_view("ugoa").find(clause[i]) != std::string_view::npos) {
      ++i;
    }
    if (i >= clause.size() || std::string_view("+-=").find(clause[i]) == std::string_view::npos) {
      return false;
    }
    ++i;
    for (; i < clause.size(); ++i) {
      if (std::string_view("rwxXstugo+-=").find(clause[i]) == std::string_view::npos) return false;
    }
    start = end + 1;
    if (end == text.size()) break;
  }
  return true;
}

bool IsValidStageName(std::string_view name) {
  if (name.empty() || !(name[0] >= 'a' && name[0] <= 'z')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
  });
}

}  // namespace distill::dockerfile
