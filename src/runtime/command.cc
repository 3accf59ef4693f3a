#include "runtime/command.h"

namespace distill::runtime {

Result<std::vector<std::string>> ResolveCommand(const oci::ContainerConfig& image,
                                                const std::optional<std::string>& entrypoint_flag,
                                                const std::vector<std::string>& args,
                                                std::string_view image_name) {
  std::vector<std::string> entrypoint = image.entrypoint;
  std::vector<std::string> cmd = image.cmd;
  if (entrypoint_flag) {
    entrypoint.clear();
    if (!entrypoint_flag->empty()) entrypoint.push_back(*entrypoint_flag);
    cmd.clear();
  }
  if (!args.empty()) cmd = args;
  std::vector<std::string> argv = entrypoint;
  argv.insert(argv.end(), cmd.begin(), cmd.end());
  if (argv.empty()) {
    return Status::Invalid("image " + std::string(image_name) +
                           " has no ENTRYPOINT or CMD: give a command after the image name");
  }
  return argv;
}

bool IsShellForm(const std::vector<std::string>& argv) {
  return argv.size() >= 3 && argv[0] == "/bin/sh" && argv[1] == "-c";
}

Status NoShellError(const std::vector<std::string>& argv, std::string_view image_name) {
  std::string script = argv.size() >= 3 ? argv[2] : "";
  return Status::NotFound(
      "image " + std::string(image_name) +
      " has no shell (/bin/sh), but its command is in shell form (\"" + script +
      "\"): write ENTRYPOINT/CMD in exec form, e.g. CMD [\"/app\", \"--flag\"], "
      "or give the command after the image name");
}

}  // namespace distill::runtime
