// Tiny ELF shared objects for tests: just a header, a PT_LOAD and a
// PT_DYNAMIC segment whose DT_SONAME names `soname` (none when empty).
#pragma once

#include <cstdint>
#include <string>

namespace distill::distroless::testing {

inline void PutLe(std::string* out, size_t at, uint64_t v, int size) {
  for (int i = 0; i < size; ++i)
    (*out)[at + static_cast<size_t>(i)] = static_cast<char>(v >> (8 * i));
}

// machine 62: x86-64, 183: aarch64 (both 64-bit).
inline std::string MakeElfLibrary(const std::string& soname, uint16_t machine = 62) {
  const uint64_t kVaddr = 0x1000;
  const size_t phoff = 64, dynoff = phoff + 2 * 56, stroff = dynoff + 3 * 16;
  std::string strtab = std::string(1, '\0') + soname + std::string(1, '\0');
  std::string elf(stroff + strtab.size(), '\0');
  elf.replace(0, 4,
              "\x7f"
              "ELF");
  elf[4] = 2;             // 64-bit
  elf[5] = 1;             // little-endian
  elf[6] = 1;             // EV_CURRENT
  PutLe(&elf, 16, 3, 2);  // ET_DYN
  PutLe(&elf, 18, machine, 2);
  PutLe(&elf, 20, 1, 4);
  PutLe(&elf, 32, phoff, 8);
  PutLe(&elf, 52, 64, 2);  // e_ehsize
  PutLe(&elf, 54, 56, 2);  // e_phentsize
  PutLe(&elf, 56, 2, 2);   // e_phnum
  // PT_LOAD: the whole file at kVaddr.
  PutLe(&elf, phoff, 1, 4);
  PutLe(&elf, phoff + 8, 0, 8);
  PutLe(&elf, phoff + 16, kVaddr, 8);
  PutLe(&elf, phoff + 32, elf.size(), 8);
  // PT_DYNAMIC.
  PutLe(&elf, phoff + 56, 2, 4);
  PutLe(&elf, phoff + 56 + 8, dynoff, 8);
  PutLe(&elf, phoff + 56 + 16, kVaddr + dynoff, 8);
  PutLe(&elf, phoff + 56 + 32, 3 * 16, 8);
  PutLe(&elf, dynoff, 5, 8);  // DT_STRTAB
  PutLe(&elf, dynoff + 8, kVaddr + stroff, 8);
  if (!soname.empty()) {
    PutLe(&elf, dynoff + 16, 14, 8);  // DT_SONAME
    PutLe(&elf, dynoff + 24, 1, 8);
  }
  elf.replace(stroff, strtab.size(), strtab);
  return elf;
}

}  // namespace distill::distroless::testing
