// SHA-256's compression function (FIPS 180-4, section 6.2.2), in two forms:
// the x86 SHA extensions (about 2 GB/s per core, what OpenSSL's assembly
// reaches too) and portable C++ for CPUs without them. util/sha256.h picks
// one at start-up; both are exposed so the tests can check them against
// each other and against OpenSSL.
#pragma once

#include <cstddef>
#include <cstdint>

namespace distill::sha256_internal {

// Folds `blocks` 64-byte blocks at `data` into `state` (H0..H7).
using CompressFn = void (*)(uint32_t state[8], const uint8_t* data, size_t blocks);

void CompressPortable(uint32_t state[8], const uint8_t* data, size_t blocks);
// Only on a CPU for which HasShaExtensions() is true.
void CompressShaExtensions(uint32_t state[8], const uint8_t* data, size_t blocks);
bool HasShaExtensions();

// The round constants K0..K63.
extern const uint32_t kRoundConstants[64];

}  // namespace distill::sha256_internal
