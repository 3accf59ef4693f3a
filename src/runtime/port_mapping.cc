#include "runtime/port_mapping.h"

#include <arpa/inet.h>

#include <charconv>

namespace distill::runtime {
namespace {

Result<uint16_t> ParsePort(std::string_view text, std::string_view spec, bool allow_zero) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > 65535 ||
      (value == 0 && !allow_zero)) {
    return Status::Invalid("invalid port \"" + std::string(text) + "\" in \"" + std::string(spec) +
                           "\": want a number from 1 to 65535");
  }
  return static_cast<uint16_t>(value);
}

}  // namespace

Result<PortMapping> ParsePortMapping(std::string_view spec) {
  PortMapping m;
  std::string_view rest = spec;
  size_t slash = rest.find('/');
  if (slash != std::string_view::npos) {
    m.protocol = std::string(rest.substr(slash + 1));
    rest = rest.substr(0, slash);
    if (m.protocol != "tcp" && m.protocol != "udp") {
      return Status::Invalid("invalid protocol \"" + m.protocol + "\" in port mapping \"" +
                             std::string(spec) + "\": want tcp or udp");
    }
  }
  size_t last = rest.rfind(':');
  std::string_view container_text = last == std::string_view::npos ? rest : rest.substr(last + 1);
  DISTILL_ASSIGN_OR_RETURN(m.container_port, ParsePort(container_text, spec, false));
  if (last == std::string_view::npos) return m;
  std::string_view front = rest.substr(0, last);
  size_t colon = front.rfind(':');
  std::string_view host_port = colon == std::string_view::npos ? front : front.substr(colon + 1);
  if (!host_port.empty()) {
    DISTILL_ASSIGN_OR_RETURN(m.host_port, ParsePort(host_port, spec, false));
  }
  if (colon != std::string_view::npos) {
    std::string ip(front.substr(0, colon));
    if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
    in_addr addr4;
    if (inet_pton(AF_INET, ip.c_str(), &addr4) != 1) {
      return Status::Invalid("invalid host IP \"" + ip + "\" in port mapping \"" +
                             std::string(spec) + "\": want an IPv4 address");
    }
    m.host_ip = ip;
  }
  return m;
}

Result<std::vector<PortMapping>> MappingsForExposedPorts(const std::set<std::string>& exposed) {
  std::vector<PortMapping> out;
  for (const std::string& entry : exposed) {
    DISTILL_ASSIGN_OR_RETURN(PortMapping m, ParsePortMapping(entry));
    if (entry.find(':') != std::string::npos) {
      return Status::Invalid("invalid EXPOSE entry \"" + entry + "\" in the image config");
    }
    out.push_back(m);
  }
  return out;
}

std::string FormatPortLine(const PortMapping& m) {
  return std::to_string(m.container_port) + "/" + m.protocol + " -> " + m.host_ip + ":" +
         std::to_string(m.host_port);
}

std::string FormatPortsColumn(const std::vector<PortMapping>& mappings) {
  std::string out;
  for (const PortMapping& m : mappings) {
    if (!out.empty()) out += ", ";
    out += m.host_ip + ":" + std::to_string(m.host_port) + "->" + std::to_string(m.container_port) +
           "/" + m.protocol;
  }
  return out;
}

}  // namespace distill::runtime
