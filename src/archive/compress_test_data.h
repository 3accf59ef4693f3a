// Test inputs for the compression tests: deterministic mixes of incompressible
// (random) and compressible (repetitive text) bytes, plus decoding helpers that
// use the libraries directly, independent of distill's decompressor.
#pragma once

#include <zlib.h>
#include <zstd.h>

#include <cstdint>
#include <cstdio>
#include <random>
#include <string>

#include "util/io.h"

namespace distill::archive::testing {

// `size` bytes alternating random runs and text runs, reproducible per seed.
inline std::string MixedData(size_t size, uint64_t seed = 1) {
  std::mt19937_64 rng(seed);
  std::string out;
  out.reserve(size);
  static const std::string kText =
      "usr/lib/python3/dist-packages/example/__init__.py def main(argv): return 0\n";
  while (out.size() < size) {
    size_t run = std::min<size_t>(size - out.size(), 1 + rng() % 9000);
    if (rng() % 2 == 0) {
      for (size_t i = 0; i < run; ++i) out.push_back(static_cast<char>(rng()));
    } else {
      for (size_t i = 0; i < run; ++i) out.push_back(kText[(i + seed) % kText.size()]);
    }
  }
  return out;
}

// Decodes ONE gzip member with zlib; false on any error or trailing bytes.
inline bool ZlibGunzip(const std::string& gz, std::string* out) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return false;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  zs.avail_in = static_cast<uInt>(gz.size());
  char buf[65536];
  int rc;
  do {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof(buf);
    rc = inflate(&zs, Z_NO_FLUSH);
    out->append(buf, sizeof(buf) - zs.avail_out);
  } while (rc == Z_OK);
  bool ok = rc == Z_STREAM_END && zs.avail_in == 0;
  inflateEnd(&zs);
  return ok;
}

inline bool ZstdDecode(const std::string& in, std::string* out) {
  ZSTD_DStream* ds = ZSTD_createDStream();
  ZSTD_inBuffer ib{in.data(), in.size(), 0};
  char buf[65536];
  size_t rc = 1;
  while (ib.pos < ib.size || rc != 0) {
    ZSTD_outBuffer ob{buf, sizeof(buf), 0};
    rc = ZSTD_decompressStream(ds, &ob, &ib);
    if (ZSTD_isError(rc) || (ob.pos == 0 && ib.pos == ib.size && rc != 0)) {
      ZSTD_freeDStream(ds);
      return false;
    }
    out->append(buf, ob.pos);
  }
  ZSTD_freeDStream(ds);
  return true;
}

// Runs `command` through the shell with `input` in a temp file appended as its
// last argument; returns its stdout, or false if it exits non-zero.
inline bool RunOnFile(const std::string& command, const std::string& input, std::string* out) {
  char path[] = "/tmp/distill-compress-test-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return false;
  FILE* f = fdopen(fd, "wb");
  fwrite(input.data(), 1, input.size(), f);
  fclose(f);
  FILE* p = popen((command + " " + path).c_str(), "r");
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out->append(buf, n);
  int status = pclose(p);
  std::remove(path);
  return status == 0;
}

}  // namespace distill::archive::testing
