#include "distroless/ld_so_cache.h"

#include <algorithm>

namespace distill::distroless {
namespace {

constexpr char kMagic[] = "glibc-ld.so.cache1.1";  // CACHEMAGIC_NEW + CACHE_VERSION
constexpr size_t kHeaderSize = 48;
constexpr size_t kEntrySize = 24;
constexpr uint8_t kLittleEndian = 2;  // cache_file_new_flags_endian_little

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

void PutUint32(std::string* out, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) (*out)[at + static_cast<size_t>(i)] = static_cast<char>(v >> (8 * i));
}

}  // namespace

int LdCacheLibcmp(const std::string& a, const std::string& b) {
  const char* p1 = a.c_str();
  const char* p2 = b.c_str();
  while (*p1 != '\0') {
    if (IsDigit(*p1)) {
      if (!IsDigit(*p2)) return 1;
      long v1 = 0, v2 = 0;
      while (IsDigit(*p1)) v1 = v1 * 10 + (*p1++ - '0');
      while (IsDigit(*p2)) v2 = v2 * 10 + (*p2++ - '0');
      if (v1 != v2) return v1 < v2 ? -1 : 1;
    } else if (IsDigit(*p2)) {
      return -1;
    } else if (*p1 != *p2) {
      return static_cast<unsigned char>(*p1) - static_cast<unsigned char>(*p2);
    } else {
      ++p1;
      ++p2;
    }
  }
  return static_cast<unsigned char>(*p1) - static_cast<unsigned char>(*p2);
}

std::string RenderLdSoCache(std::vector<LdCacheEntry> entries) {
  // ldconfig's order: key descending; for equal keys the higher flags first.
  std::stable_sort(entries.begin(), entries.end(),
                   [](const LdCacheEntry& x, const LdCacheEntry& y) {
                     int c = LdCacheLibcmp(x.soname, y.soname);
                     if (c != 0) return c > 0;
                     return x.flags > y.flags;
                   });
  const size_t strings_at = kHeaderSize + kEntrySize * entries.size();
  std::string strings;
  std::vector<std::pair<uint32_t, uint32_t>> offsets;  // key, value
  for (const LdCacheEntry& e : entries) {
    uint32_t value = static_cast<uint32_t>(strings_at + strings.size());
    strings += e.path;
    strings += '\0';
    // The key is usually the value's last component: share its bytes, as
    // ldconfig's string table does.
    uint32_t key;
    if (e.path.size() > e.soname.size() &&
        e.path.compare(e.path.size() - e.soname.size(), e.soname.size(), e.soname) == 0 &&
        e.path[e.path.size() - e.soname.size() - 1] == '/') {
      key = value + static_cast<uint32_t>(e.path.size() - e.soname.size());
    } else {
      key = static_cast<uint32_t>(strings_at + strings.size());
      strings += e.soname;
      strings += '\0';
    }
    offsets.emplace_back(key, value);
  }
  std::string out(strings_at, '\0');
  std::copy(kMagic, kMagic + 20, out.begin());
  PutUint32(&out, 20, static_cast<uint32_t>(entries.size()));
  PutUint32(&out, 24, static_cast<uint32_t>(strings.size()));
  out[28] = static_cast<char>(kLittleEndian);
  // 29..31 padding, 32..35 extension_offset 0 (none), 36..47 unused.
  for (size_t i = 0; i < entries.size(); ++i) {
    size_t at = kHeaderSize + kEntrySize * i;
    PutUint32(&out, at, static_cast<uint32_t>(entries[i].flags));
    PutUint32(&out, at + 4, offsets[i].first);
    PutUint32(&out, at + 8, offsets[i].second);
    // osversion (unused) and hwcap stay 0: no hwcap subdirectory entries.
  }
  out += strings;
  return out;
}

}  // namespace distill::distroless
