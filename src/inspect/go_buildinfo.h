// Go binaries' embedded build information (what `go version -m` prints): Go
// 1.18+ writes a 32-byte header starting "\xff Go buildinf:" (pointer size,
// flags; flag bit 2 = strings inline) followed by two varint-length-prefixed
// strings, the Go version and the module info text, whose lines are
// "path\tP", "mod\tP\tV\tSUM", "dep\tP\tV\tSUM", "=>\tP\tV\tSUM" (replacing
// the line before) and "build\tK=V", framed by 16-byte sentinels.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/io.h"
#include "util/status.h"

namespace distill::inspect {

struct GoModule {
  std::string path;
  std::string version;
  std::string sum;
};

struct GoBuildInfo {
  std::string go_version;  // "go1.22.2"
  std::string path;        // the main package path
  GoModule main;           // version "(devel)" for local builds
  std::vector<GoModule> deps;
};

// Parses the module info text (sentinels optional).
GoBuildInfo ParseGoModInfo(std::string_view text);

// Streams `in` looking for the buildinfo header (holding at most a bounded
// window in memory); nullopt when the stream has none or uses the pre-1.18
// pointer-based layout, which needs the binary's address map to follow.
Result<std::optional<GoBuildInfo>> ReadGoBuildInfo(Reader* in, const std::string& source_name);

}  // namespace distill::inspect
