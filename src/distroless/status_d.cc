#include "distroless/status_d.h"

#include <string_view>

namespace distill::distroless {

std::string RenderStatusParagraph(const debian::Paragraph& control) {
  std::string out;
  for (const auto& field : control.fields()) {
    std::string_view value = field.value;
    size_t nl = value.find('\n');
    std::string_view first = value.substr(0, nl);
    out += field.name + ":";
    if (!first.empty()) out += " " + std::string(first);
    out += "\n";
    while (nl != std::string_view::npos) {
      value = value.substr(nl + 1);
      nl = value.find('\n');
      std::string_view line = value.substr(0, nl);
      out += line.empty() ? " ." : " " + std::string(line);
      out += "\n";
    }
  }
  return out;
}

std::string RenderMd5sums(const std::map<std::string, std::string>& md5sums) {
  std::string out;
  for (const auto& [path, md5] : md5sums) out += md5 + "  " + path + "\n";
  return out;
}

}  // namespace distill::distroless
