// /etc/ld.so.cache written natively, in glibc's "glibc-ld.so.cache1.1"
// format, so a distroless image gets the cache its dynamic loader (and
// ctypes.util.find_library-style lookups) expect without running ldconfig —
// there is no ldconfig, and no scripts run, in a distroless build.
//
// The file: a 48-byte header (magic "glibc-ld.so.cache" + version "1.1",
// number of entries, string table length, an endianness byte, no extensions),
// then one 24-byte entry per library (flags, key and value offsets, an unused
// osversion, hwcap 0), then the strings. Offsets count from the start of the
// file. Entries are sorted DEScending by _dl_cache_libcmp of their key, the
// order ld.so's binary search assumes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace distill::distroless {

struct LdCacheEntry {
  std::string soname;  // the key: "libssl.so.3"
  std::string path;    // the value: "/lib/x86_64-linux-gnu/libssl.so.3"
  int32_t flags = 0;   // kLdCacheFlag* (elf_library.h)
};

// glibc's _dl_cache_libcmp: runs of digits compare as numbers, so
// "libfoo.so.10" sorts after "libfoo.so.9"; a digit sorts after a non-digit.
int LdCacheLibcmp(const std::string& a, const std::string& b);

// The cache file for `entries` (any order: they are sorted here, entries
// that compare equal keeping their given order). Same entries, same bytes.
std::string RenderLdSoCache(std::vector<LdCacheEntry> entries);

}  // namespace distill::distroless
