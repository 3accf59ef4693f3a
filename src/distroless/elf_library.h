// Reading what ldconfig reads from a shared library: its ELF class and machine
// (which become the ld.so.cache entry's flags) and its DT_SONAME. Only the
// program headers are used, as the dynamic loader does, so stripped libraries
// without section headers read fine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace distill::distroless {

// The flag bits of glibc's ld.so.cache entries (dl-cache.h / ldconfig.h).
inline constexpr int32_t kLdCacheFlagElfLibc6 = 0x0003;
inline constexpr int32_t kLdCacheFlagX8664Lib64 = 0x0300;
inline constexpr int32_t kLdCacheFlagAarch64Lib64 = 0x0a00;

struct ElfLibrary {
  // FLAG_ELF_LIBC6 plus the architecture bits ldconfig gives this machine.
  int32_t ld_cache_flags = 0;
  // DT_SONAME; empty when the library has none (ldconfig then uses the file name).
  std::string soname;
};

// nullopt when `bytes` is not a little-endian ELF shared object of a machine
// distill knows the ld.so.cache flags of (x86-64, aarch64, i386) — ldconfig
// would skip or mis-file such a file, so the cache leaves it out. A truncated
// or inconsistent ELF file is an error naming `what`.
Result<std::optional<ElfLibrary>> ReadElfLibrary(std::string_view bytes, const std::string& what);

}  // namespace distill::distroless
