#include "inspect/go_buildinfo.h"

#include <cstdint>

namespace distill::inspect {

namespace {

constexpr std::string_view kMagic = "\xff Go buildinf:";
constexpr size_t kHeaderSize = 32;
constexpr size_t kMaxInfoBytes = 1 << 20;  // version + module text is far smaller

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (true) {
    size_t tab = line.find('\t', pos);
    out.push_back(line.substr(pos, tab == std::string_view::npos ? tab : tab - pos));
    if (tab == std::string_view::npos) return out;
    pos = tab + 1;
  }
}

GoModule ModuleOf(const std::vector<std::string_view>& f) {
  GoModule m;
  if (f.size() > 1) m.path = f[1];
  if (f.size() > 2) m.version = f[2];
  if (f.size() > 3) m.sum = f[3];
  return m;
}

// Reads a uvarint at `*pos`; false when truncated.
bool ReadUvarint(std::string_view data, size_t* pos, uint64_t* out) {
  uint64_t value = 0;
  for (int shift = 0; shift < 64 && *pos < data.size(); shift += 7) {
    auto b = static_cast<uint8_t>(data[(*pos)++]);
    value |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      *out = value;
      return true;
    }
  }
  return false;
}

}  // namespace

GoBuildInfo ParseGoModInfo(std::string_view text) {
  // Sentinels are 16 bytes of non-text around the module info.
  if (text.size() >= 33 && text[text.size() - 17] == '\n') {
    text = text.substr(16, text.size() - 32);
  }
  GoBuildInfo info;
  size_t pos = 0;
  GoModule* last = nullptr;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    auto fields = SplitTabs(text.substr(pos, end - pos));
    pos = end + 1;
    if (fields[0] == "path" && fields.size() > 1) {
      info.path = fields[1];
    } else if (fields[0] == "mod") {
      info.main = ModuleOf(fields);
      last = &info.main;
    } else if (fields[0] == "dep") {
      info.deps.push_back(ModuleOf(fields));
      last = &info.deps.back();
    } else if (fields[0] == "=>" && last != nullptr) {
      *last = ModuleOf(fields);  // the replacement is what was built
    }
  }
  return info;
}

Result<std::optional<GoBuildInfo>> ReadGoBuildInfo(Reader* in, const std::string& source_name) {
  std::string window;
  char buf[64 * 1024];
  size_t found = std::string::npos;
  bool eof = false;
  while (found == std::string::npos && !eof) {
    DISTILL_ASSIGN_OR_RETURN(size_t n, in->Read(buf, sizeof buf));
    if (n == 0) {
      eof = true;
      break;
    }
    window.append(buf, n);
    found = window.find(kMagic);
    if (found == std::string::npos && window.size() > kMagic.size()) {
      window.erase(0, window.size() - (kMagic.size() - 1));  // keep a possible partial magic
    }
  }
  if (found == std::string::npos) return std::optional<GoBuildInfo>();
  window.erase(0, found);
  while (!eof && window.size() < kHeaderSize + kMaxInfoBytes) {
    DISTILL_ASSIGN_OR_RETURN(size_t n, in->Read(buf, sizeof buf));
    if (n == 0) eof = true;
    window.append(buf, n);
  }
  if (window.size() < kHeaderSize) {
    return Status::Corrupt(source_name + ": truncated Go buildinfo header");
  }
  auto flags = static_cast<uint8_t>(window[15]);
  if ((flags & 2) == 0) return std::optional<GoBuildInfo>();  // pre-1.18 layout
  size_t pos = kHeaderSize;
  std::string_view data(window);
  uint64_t len = 0;
  if (!ReadUvarint(data, &pos, &len) || len > data.size() - pos) {
    return Status::Corrupt(source_name + ": bad Go version string in buildinfo");
  }
  std::string go_version(data.substr(pos, len));
  pos += len;
  if (!ReadUvarint(data, &pos, &len) || len > data.size() - pos) {
    return Status::Corrupt(source_name + ": bad module info in Go buildinfo");
  }
  GoBuildInfo info = ParseGoModInfo(data.substr(pos, len));
  info.go_version = go_version;
  return std::optional<GoBuildInfo>(std::move(info));
}

}  // namespace distill::inspect
