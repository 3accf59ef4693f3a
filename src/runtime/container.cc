#include "runtime/container.h"

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace distill::runtime {
namespace {

using nlohmann::json;

constexpr int kFormatVersion = 1;

json PortsToJson(const std::vector<PortMapping>& ports) {
  json out = json::array();
  for (const PortMapping& p : ports) {
    out.push_back({{"host_ip", p.host_ip},
                   {"host_port", p.host_port},
                   {"container_port", p.container_port},
                   {"protocol", p.protocol}});
  }
  return out;
}

std::vector<PortMapping> PortsFromJson(const json& j) {
  std::vector<PortMapping> out;
  for (const json& p : j) {
    PortMapping m;
    m.host_ip = p.at("host_ip").get<std::string>();
    m.host_port = p.at("host_port").get<uint16_t>();
    m.container_port = p.at("container_port").get<uint16_t>();
    m.protocol = p.at("protocol").get<std::string>();
    out.push_back(m);
  }
  return out;
}

Result<json> ParseVersioned(std::string_view text, std::string_view source) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Corrupt(std::string(source) + ": not a JSON object");
  }
  if (j.value("version", 0) != kFormatVersion) {
    return Status::Corrupt(std::string(source) + ": unsupported format version " +
                           std::to_string(j.value("version", 0)));
  }
  return j;
}

}  // namespace

std::string StatusName(ContainerStatus status) {
  switch (status) {
    case ContainerStatus::kCreated:
      return "created";
    case ContainerStatus::kRunning:
      return "running";
    case ContainerStatus::kExited:
      return "exited";
  }
  return "unknown";
}

std::string SpecToJson(const ContainerSpec& s) {
  json binds = json::array();
  for (const exec::BindMount& b : s.binds) {
    binds.push_back({{"source", b.source}, {"target", b.target}, {"readonly", b.readonly}});
  }
  json j = {{"version", kFormatVersion},
            {"id", s.id},
            {"name", s.name},
            {"image", s.image},
            {"image_digest", s.image_digest},
            {"argv", s.argv},
            {"env", s.env},
            {"user", s.user},
            {"cwd", s.cwd},
            {"binds", binds},
            {"network", s.network},
            {"ports", PortsToJson(s.ports)},
            {"memory_bytes", s.limits.memory_bytes},
            {"cpus", s.limits.cpus},
            {"pids", s.limits.pids},
            {"init", s.init},
            {"readonly_rootfs", s.readonly_rootfs},
            {"auto_remove", s.auto_remove},
            {"interactive", s.interactive},
            {"tty", s.tty},
            {"stop_signal", s.stop_signal},
            {"created_ms", s.created_ms}};
  return j.dump(2) + "\n";
}

Result<ContainerSpec> SpecFromJson(std::string_view text, std::string_view source) {
  DISTILL_ASSIGN_OR_RETURN(json j, ParseVersioned(text, source));
  try {
    ContainerSpec s;
    s.id = j.at("id").get<std::string>();
    s.name = j.at("name").get<std::string>();
    s.image = j.at("image").get<std::string>();
    s.image_digest = j.at("image_digest").get<std::string>();
    s.argv = j.at("argv").get<std::vector<std::string>>();
    s.env = j.at("env").get<std::vector<std::string>>();
    s.user = j.at("user").get<std::string>();
    s.cwd = j.at("cwd").get<std::string>();
    for (const json& b : j.at("binds")) {
      s.binds.push_back({b.at("source").get<std::string>(), b.at("target").get<std::string>(),
                         b.at("readonly").get<bool>()});
    }
    s.network = j.at("network").get<std::string>();
    s.ports = PortsFromJson(j.at("ports"));
    s.limits.memory_bytes = j.at("memory_bytes").get<uint64_t>();
    s.limits.cpus = j.at("cpus").get<double>();
    s.limits.pids = j.at("pids").get<uint64_t>();
    s.init = j.at("init").get<bool>();
    s.readonly_rootfs = j.at("readonly_rootfs").get<bool>();
    s.auto_remove = j.at("auto_remove").get<bool>();
    // Added after version 1 was first written: absent means false.
    s.interactive = j.value("interactive", false);
    s.tty = j.value("tty", false);
    s.stop_signal = j.at("stop_signal").get<std::string>();
    s.created_ms = j.at("created_ms").get<int64_t>();
    return s;
  } catch (const json::exception& e) {
    return Status::Corrupt(std::string(source) + ": " + e.what());
  }
}

std::string StateToJson(const ContainerState& s) {
  json j = {{"version", kFormatVersion},          {"status", StatusName(s.status)},
            {"monitor_pid", s.monitor_pid},       {"pid", s.pid},
            {"pid_start_time", s.pid_start_time}, {"exit_code", s.exit_code},
            {"started_ms", s.started_ms},         {"finished_ms", s.finished_ms},
            {"ports", PortsToJson(s.ports)},      {"error", s.error},
            {"rootfs_chain", s.rootfs_chain}};
  return j.dump(2) + "\n";
}

Result<ContainerState> StateFromJson(std::string_view text, std::string_view source) {
  DISTILL_ASSIGN_OR_RETURN(json j, ParseVersioned(text, source));
  try {
    ContainerState s;
    std::string status = j.at("status").get<std::string>();
    if (status == "created") {
      s.status = ContainerStatus::kCreated;
    } else if (status == "running") {
      s.status = ContainerStatus::kRunning;
    } else if (status == "exited") {
      s.status = ContainerStatus::kExited;
    } else {
      return Status::Corrupt(std::string(source) + ": unknown status \"" + status + "\"");
    }
    s.monitor_pid = j.at("monitor_pid").get<pid_t>();
    s.pid = j.at("pid").get<pid_t>();
    s.pid_start_time = j.at("pid_start_time").get<uint64_t>();
    s.exit_code = j.at("exit_code").get<int>();
    s.started_ms = j.at("started_ms").get<int64_t>();
    s.finished_ms = j.at("finished_ms").get<int64_t>();
    s.ports = PortsFromJson(j.at("ports"));
    s.error = j.at("error").get<std::string>();
    s.rootfs_chain = j.value("rootfs_chain", "");  // absent in states written before it
    return s;
  } catch (const json::exception& e) {
    return Status::Corrupt(std::string(source) + ": " + e.what());
  }
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

uint64_t ProcessStartTime(pid_t pid) {
  if (pid <= 0) return 0;
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The command name (field 2) may hold spaces and parentheses: skip past the
  // last ')'; field 3 follows.
  size_t close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(text.substr(close + 1));
  std::string field;
  for (int i = 3; i <= 22; ++i) {
    if (!(fields >> field)) return 0;
  }
  return std::stoull(field);
}

}  // namespace distill::runtime
