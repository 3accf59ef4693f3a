// Byte layout of the ustar header (POSIX.1-1988, extended by POSIX.1-2001 pax)
// shared by TarWriter and TarReader. Internal to the archive module.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace distill::archive::tar_format {

inline constexpr size_t kBlockSize = 512;

// Field offsets and widths inside one 512-byte header block.
struct Field {
  size_t offset;
  size_t width;
};
inline constexpr Field kName{0, 100};
inline constexpr Field kMode{100, 8};
inline constexpr Field kUid{108, 8};
inline constexpr Field kGid{116, 8};
inline constexpr Field kSize{124, 12};
inline constexpr Field kMtime{136, 12};
inline constexpr Field kChecksum{148, 8};
inline constexpr Field kTypeflag{156, 1};
inline constexpr Field kLinkname{157, 100};
inline constexpr Field kMagic{257, 6};
inline constexpr Field kVersion{263, 2};
inline constexpr Field kUname{265, 32};
inline constexpr Field kGname{297, 32};
inline constexpr Field kDevmajor{329, 8};
inline constexpr Field kDevminor{337, 8};
inline constexpr Field kPrefix{345, 155};

inline constexpr char kTypeFile = '0';
inline constexpr char kTypeFileOld = '\0';
inline constexpr char kTypeHardlink = '1';
inline constexpr char kTypeSymlink = '2';
inline constexpr char kTypeChar = '3';
inline constexpr char kTypeBlock = '4';
inline constexpr char kTypeDirectory = '5';
inline constexpr char kTypeFifo = '6';
inline constexpr char kTypeContiguous = '7';
inline constexpr char kTypePaxEntry = 'x';
inline constexpr char kTypePaxGlobal = 'g';
inline constexpr char kTypeGnuLongName = 'L';
inline constexpr char kTypeGnuLongLink = 'K';

inline constexpr std::string_view kPaxXattrPrefix = "SCHILY.xattr.";

// Sum of the header bytes with the checksum field counted as spaces. Returns
// the unsigned sum; `signed_sum` receives the historical signed-char variant.
inline uint64_t HeaderChecksum(const unsigned char* block, int64_t* signed_sum) {
  uint64_t sum = 0;
  int64_t ssum = 0;
  for (size_t i = 0; i < kBlockSize; ++i) {
    bool in_checksum = i >= kChecksum.offset && i < kChecksum.offset + kChecksum.width;
    unsigned char c = in_checksum ? ' ' : block[i];
    sum += c;
    ssum += static_cast<signed char>(c);
  }
  if (signed_sum != nullptr) *signed_sum = ssum;
  return sum;
}

// Rounds n up to a whole number of blocks.
inline uint64_t PaddedSize(uint64_t n) {
  return (n + kBlockSize - 1) / kBlockSize * kBlockSize;
}

}  // namespace distill::archive::tar_format
