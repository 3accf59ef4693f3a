// Typed instructions: each ast::Instruction turned into a command with its flags
// parsed and validated, still WITHOUT variable expansion (the frontend expands,
// because only it knows the environment at each point of a stage). Mirrors the
// reference's `instructions` package: the same flags, the same argument rules.
//
// Every error reads "FILE:LINE: <instruction text>: <what is wrong>".
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dockerfile/ast.h"
#include "util/status.h"

namespace distill::dockerfile {

// A command line as written: exec form (JSON array, run as is) or shell form
// (one string, run through the stage's SHELL).
struct CommandLine {
  std::vector<std::string> args;  // shell form: exactly one element (may be empty)
  bool exec_form = false;
};

struct KeyValue {
  std::string key;
  std::string value;
  bool operator==(const KeyValue&) const = default;
};

// ---- RUN --mount ------------------------------------------------------------

enum class MountType { kBind, kCache, kTmpfs, kSecret, kSsh };
enum class CacheSharing { kShared, kPrivate, kLocked };

const char* MountTypeName(MountType t);
const char* CacheSharingName(CacheSharing s);

struct Mount {
  MountType type = MountType::kBind;
  std::string target;  // target/dst/destination; defaults filled for secret and ssh
  std::string source;  // source/src: path inside `from` (bind, cache) or secret file
  std::string from;    // stage name/index or image (bind, cache)
  std::string id;      // cache id, secret id, ssh id (defaults filled)
  bool read_only = false;
  CacheSharing sharing = CacheSharing::kShared;  // cache mounts only
  std::optional<uint32_t> mode;                  // octal, as written
  std::optional<uint32_t> uid;
  std::optional<uint32_t> gid;
  std::optional<int64_t> size_bytes;  // tmpfs only
  bool required = false;              // secret, ssh
  std::string env;                    // secret: also expose as this environment variable
};

// Expands one word (a mount option value); nullptr means "no expansion".
using WordExpander = std::function<Result<std::string>(const std::string&)>;

// Parses one --mount value ("type=cache,target=/root/.cache,sharing=locked").
// With an expander, each option value is expanded first (as the reference does at
// dispatch time). Without one, values containing '$' are kept raw and not
// validated further, since their meaning is only known after expansion.
Result<Mount> ParseMount(const std::string& spec, const WordExpander* expand);

enum class NetworkMode { kDefault, kNone, kHost };
enum class SecurityMode { kSandbox, kInsecure };
const char* NetworkModeName(NetworkMode m);
const char* SecurityModeName(SecurityMode m);

// ---- Commands -----------------------------------------------------------------

struct FromCommand {
  std::string image;       // as written, before expansion ("golang:${GO_VERSION}")
  std::string stage_name;  // lower case; empty when there is no AS
  std::string platform;    // --platform, as written
};

struct RunCommand {
  CommandLine command;
  std::vector<std::string> mount_specs;  // raw --mount values, in order
  std::vector<Mount> mounts;             // parsed without expansion (see ParseMount)
  NetworkMode network = NetworkMode::kDefault;
  SecurityMode security = SecurityMode::kSandbox;
  std::vector<Heredoc> heredocs;  // RUN <<EOF scripts, in marker order
};

struct CmdCommand {
  CommandLine command;
};
struct EntrypointCommand {
  CommandLine command;
};
struct ShellCommand {
  std::vector<std::string> shell;
};
struct LabelCommand {
  std::vector<KeyValue> labels;
};
struct MaintainerCommand {
  std::string maintainer;
};
struct ExposeCommand {
  std::vector<std::string> ports;
};
struct EnvCommand {
  std::vector<KeyValue> vars;
};

struct ArgDeclaration {
  std::string name;
  std::optional<std::string> default_value;  // unexpanded
  bool operator==(const ArgDeclaration&) const = default;
};
struct ArgCommand {
  std::vector<ArgDeclaration> args;
};

// A COPY/ADD source given inline as a here-document (`COPY <<EOF /dst`).
struct HeredocSource {
  std::string path;  // the delimiter name: the file name the content gets
  std::string content;
  bool expand = true;
};

// COPY and ADD share one shape; is_add tells them apart.
struct CopyCommand {
  bool is_add = false;
  std::vector<std::string> sources;  // paths, globs or URLs (ADD)
  std::vector<HeredocSource> heredoc_sources;
  std::string dest;
  bool json = false;
  std::string from;  // COPY only
  std::string chown;
  std::string chmod;
  bool link = false;
  bool parents = false;  // COPY only
  std::vector<std::string> excludes;
  std::string checksum;       // ADD only: "sha256:<hex>"
  bool keep_git_dir = false;  // ADD only
};

struct VolumeCommand {
  std::vector<std::string> volumes;
};
struct UserCommand {
  std::string user;
};
struct WorkdirCommand {
  std::string path;
};
struct StopSignalCommand {
  std::string signal;
};

// HEALTHCHECK NONE, or CMD with its timing options (nanoseconds; 0 = inherit).
struct HealthcheckCommand {
  bool none = false;
  CommandLine command;  // for CMD
  int64_t interval_ns = 0;
  int64_t timeout_ns = 0;
  int64_t start_period_ns = 0;
  int64_t start_interval_ns = 0;
  int retries = 0;
  // The config's Test array: ["NONE"], ["CMD", args...] or ["CMD-SHELL", cmd].
  std::vector<std::string> Test() const;
};

struct Command;
struct OnbuildCommand {
  std::string expression;            // the trigger as written, without "ONBUILD"
  std::shared_ptr<Command> trigger;  // the trigger, parsed (validated once, now)
};

using CommandVariant =
    std::variant<FromCommand, RunCommand, CmdCommand, EntrypointCommand, ShellCommand, LabelCommand,
                 MaintainerCommand, ExposeCommand, EnvCommand, ArgCommand, CopyCommand,
                 VolumeCommand, UserCommand, WorkdirCommand, StopSignalCommand, HealthcheckCommand,
                 OnbuildCommand>;

// One typed instruction with where it came from.
struct Command {
  std::string keyword;   // upper case: "COPY"
  std::string original;  // source text, for messages and history
  int start_line = 0;
  int end_line = 0;
  CommandVariant value;

  template <typename T>
  const T* As() const {
    return std::get_if<T>(&value);
  }
  template <typename T>
  T* As() {
    return std::get_if<T>(&value);
  }
};

// Types one instruction. `filename` is used in error messages.
Result<Command> ParseCommand(const Instruction& instruction, const std::string& filename);

// Types every instruction of a Dockerfile, in order; stops at the first error.
Result<std::vector<Command>> ParseCommands(const Dockerfile& dockerfile);

// "FILE:LINE: <first line of the instruction>: message" (the common error shape).
std::string InstructionError(const std::string& filename, const Instruction& instruction,
                             const std::string& message);

// Parses a Go-style duration ("1m30s", "500ms", "0"); nanoseconds.
Result<int64_t> ParseGoDuration(std::string_view text);

// Parses a memory size as Docker does ("64m", "1g", "1024", "10kb"); bytes.
Result<int64_t> ParseByteSize(std::string_view text);

// Whether `text` is a valid --chmod value (octal, or symbolic like "u+x,g-w").
bool IsValidChmod(std::string_view text);

// Whether a stage name is allowed: starts with a letter, then [a-z0-9-_.].
bool IsValidStageName(std::string_view lower_name);

}  // namespace distill::dockerfile
