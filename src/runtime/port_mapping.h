// Published ports (`run -p`, `-P`) and how `ps` / `port` print them.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace distill::runtime {

struct PortMapping {
  std::string host_ip = "0.0.0.0";
  uint16_t host_port = 0;  // 0: a free port chosen when the container starts
  uint16_t container_port = 0;
  std::string protocol = "tcp";  // "tcp" or "udp"
  friend bool operator==(const PortMapping&, const PortMapping&) = default;
};

// "[IP:][HOST:]CONTAINER[/tcp|udp]", as `docker run -p` takes it:
// "8080", "80:8080", "127.0.0.1:80:8080/udp", "127.0.0.1::8080".
Result<PortMapping> ParsePortMapping(std::string_view spec);

// `-P`: one mapping on a random host port for each EXPOSE'd "80/tcp" entry.
Result<std::vector<PortMapping>> MappingsForExposedPorts(const std::set<std::string>& exposed);

// `distill port`: "8080/tcp -> 0.0.0.0:49153".
std::string FormatPortLine(const PortMapping& m);
// `distill ps` PORTS column: "0.0.0.0:49153->8080/tcp, ...".
std::string FormatPortsColumn(const std::vector<PortMapping>& mappings);

}  // namespace distill::runtime
