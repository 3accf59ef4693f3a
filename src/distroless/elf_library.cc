#include "distroless/elf_library.h"

#include <cstring>
#include <vector>

namespace distill::distroless {
namespace {

constexpr uint16_t kEtDyn = 3;
constexpr uint16_t kEmI386 = 3;
constexpr uint16_t kEmX8664 = 62;
constexpr uint16_t kEmAarch64 = 183;
constexpr uint32_t kPtLoad = 1;
constexpr uint32_t kPtDynamic = 2;
constexpr int64_t kDtNull = 0;
constexpr int64_t kDtStrtab = 5;
constexpr int64_t kDtSoname = 14;

// Little-endian field reads that fail (instead of reading past the end) on
// truncated files.
class Bytes {
 public:
  explicit Bytes(std::string_view data) : data_(data) {}
  bool Has(uint64_t offset, uint64_t size) const {
    return offset <= data_.size() && size <= data_.size() - offset;
  }
  uint64_t Uint(uint64_t offset, int size) const {
    uint64_t v = 0;
    for (int i = size - 1; i >= 0; --i) {
      v = (v << 8) | static_cast<unsigned char>(data_[offset + static_cast<uint64_t>(i)]);
    }
    return v;
  }
  std::string_view data() const { return data_; }

 private:
  std::string_view data_;
};

struct Segment {
  uint64_t offset, vaddr, filesz;
};

}  // namespace

Result<std::optional<ElfLibrary>> ReadElfLibrary(std::string_view bytes, const std::string& what) {
  Bytes elf(bytes);
  if (!elf.Has(0, 20) || std::memcmp(bytes.data(),
                                     "\x7f"
                                     "ELF",
                                     4) != 0)
    return std::optional<ElfLibrary>();
  const int elf_class = static_cast<unsigned char>(bytes[4]);  // 1: 32-bit, 2: 64-bit
  const int data_encoding = static_cast<unsigned char>(bytes[5]);
  if ((elf_class != 1 && elf_class != 2) || data_encoding != 1) return std::optional<ElfLibrary>();
  const bool is64 = elf_class == 2;
  if (elf.Uint(16, 2) != kEtDyn) return std::optional<ElfLibrary>();
  const uint64_t machine = elf.Uint(18, 2);
  ElfLibrary out;
  if (is64 && machine == kEmX8664) {
    out.ld_cache_flags = kLdCacheFlagElfLibc6 | kLdCacheFlagX8664Lib64;
  } else if (is64 && machine == kEmAarch64) {
    out.ld_cache_flags = kLdCacheFlagElfLibc6 | kLdCacheFlagAarch64Lib64;
  } else if (!is64 && machine == kEmI386) {
    out.ld_cache_flags = kLdCacheFlagElfLibc6;
  } else {
    return std::optional<ElfLibrary>();
  }
  const int word = is64 ? 8 : 4;
  const uint64_t header_size = is64 ? 64 : 52;
  if (!elf.Has(0, header_size)) return Status::Invalid(what + ": truncated ELF header");
  const uint64_t phoff = elf.Uint(is64 ? 32 : 28, word);
  const uint64_t phentsize = elf.Uint(is64 ? 54 : 42, 2);
  const uint64_t phnum = elf.Uint(is64 ? 56 : 44, 2);
  const uint64_t min_phent = is64 ? 56 : 32;
  if (phentsize < min_phent || !elf.Has(phoff, phentsize * phnum)) {
    return Status::Invalid(what + ": ELF program headers lie outside the file");
  }
  std::vector<Segment> loads;
  std::optional<Segment> dynamic;
  for (uint64_t i = 0; i < phnum; ++i) {
    uint64_t ph = phoff + i * phentsize;
    Segment s;
    uint32_t type = static_cast<uint32_t>(elf.Uint(ph, 4));
    if (is64) {
      s = {elf.Uint(ph + 8, 8), elf.Uint(ph + 16, 8), elf.Uint(ph + 32, 8)};
    } else {
      s = {elf.Uint(ph + 4, 4), elf.Uint(ph + 8, 4), elf.Uint(ph + 16, 4)};
    }
    if (type == kPtLoad) loads.push_back(s);
    if (type == kPtDynamic) dynamic = s;
  }
  if (!dynamic) return std::optional<ElfLibrary>(out);  // no dynamic section: no soname
  if (!elf.Has(dynamic->offset, dynamic->filesz)) {
    return Status::Invalid(what + ": the ELF dynamic segment lies outside the file");
  }
  std::optional<uint64_t> strtab_vaddr, soname_offset;
  for (uint64_t at = dynamic->offset; at + 2 * word <= dynamic->offset + dynamic->filesz;
       at += 2 * word) {
    int64_t tag = static_cast<int64_t>(elf.Uint(at, word));
    uint64_t value = elf.Uint(at + word, word);
    if (tag == kDtNull) break;
    if (tag == kDtStrtab) strtab_vaddr = value;
    if (tag == kDtSoname) soname_offset = value;
  }
  if (!soname_offset) return std::optional<ElfLibrary>(out);
  if (!strtab_vaddr) return Status::Invalid(what + ": DT_SONAME without a DT_STRTAB");
  // DT_STRTAB is an address: find the loaded segment that holds it.
  for (const Segment& load : loads) {
    if (*strtab_vaddr < load.vaddr || *strtab_vaddr - load.vaddr >= load.filesz) continue;
    uint64_t at = load.offset + (*strtab_vaddr - load.vaddr) + *soname_offset;
    if (!elf.Has(at, 1)) break;
    std::string_view rest = bytes.substr(at);
    size_t end = rest.find('\0');
    if (end == std::string_view::npos) break;
    out.soname = std::string(rest.substr(0, end));
    return std::optional<ElfLibrary>(out);
  }
  return Status::Invalid(what + ": DT_SONAME points outside the file's loaded segments");
}

}  // namespace distill::distroless
