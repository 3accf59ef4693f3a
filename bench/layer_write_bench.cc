// Layer write throughput: a tar stream of a real tree goes through LayerWriter
// (sha256 → compress → sha256) into /dev/null. The tar is made once, up front,
// by tar(1), so the numbers measure the compression pipeline alone; compare
// with `pigz < tree.tar | sha256sum` (bench/layer_export.sh runs both).
//
// The tree is $DISTILL_BENCH_TREE, else /usr/lib/python3, else /usr/share.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "archive/layer_writer.h"
#include "archive/tar_tree.h"
#include "archive/tar_writer.h"
#include "util/file_writer.h"

namespace distill::archive {
namespace {

std::string BenchTree() {
  if (const char* env = std::getenv("DISTILL_BENCH_TREE")) return env;
  if (std::filesystem::exists("/usr/lib/python3")) return "/usr/lib/python3";
  return "/usr/share";
}

// The tar stream of the tree, made once per process.
const std::string& TreeTar() {
  static const std::string tar = [] {
    std::string out;
    std::string cmd = "tar --sort=name -cf - '" + BenchTree() + "' 2>/dev/null";
    FILE* p = popen(cmd.c_str(), "r");
    if (p == nullptr) std::abort();
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
    pclose(p);
    return out;
  }();
  return tar;
}

void BM_LayerWrite(benchmark::State& state, Compression compression, int level) {
  const std::string& tar = TreeTar();
  if (tar.empty()) {
    state.SkipWithError("could not tar the benchmark tree");
    return;
  }
  CompressOptions options;
  options.level = level;
  options.threads = static_cast<int>(state.range(0));  // 0: one per core
  uint64_t compressed = 0;
  for (auto _ : state) {
    int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    FileWriter sink(fd, "/dev/null", /*owns_fd=*/true);
    auto writer = LayerWriter::Create(compression, &sink, options);
    if (!writer.ok()) {
      state.SkipWithError(writer.status().message().c_str());
      return;
    }
    // Feed the tar in 64 KiB pieces, as a tar writer would.
    constexpr size_t kPiece = 64 * 1024;
    for (size_t pos = 0; pos < tar.size(); pos += kPiece) {
      Status st = (*writer)->Write(tar.data() + pos, std::min(kPiece, tar.size() - pos));
      if (!st.ok()) state.SkipWithError(st.message().c_str());
    }
    auto digests = (*writer)->Finish();
    if (!digests.ok() || !sink.Close().ok()) {
      state.SkipWithError("layer write failed");
      return;
    }
    compressed = digests->compressed_size;
    benchmark::DoNotOptimize(digests->digest);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * tar.size()));
  state.counters["tar_MB"] = static_cast<double>(tar.size()) / 1e6;
  state.counters["ratio"] = static_cast<double>(compressed) / static_cast<double>(tar.size());
}

// The whole export path, as a build commits a layer: walk the tree, write the
// tar with distill's own writer, hash, compress and hash again, in one pass.
// Comparable with `tar -cf - TREE | pigz | sha256sum`.
void BM_TreeLayerWrite(benchmark::State& state, Compression compression, int level) {
  const std::string tree = BenchTree();
  CompressOptions options;
  options.level = level;
  options.threads = static_cast<int>(state.range(0));
  uint64_t uncompressed = 0;
  for (auto _ : state) {
    int fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    FileWriter sink(fd, "/dev/null", /*owns_fd=*/true);
    auto writer = LayerWriter::Create(compression, &sink, options);
    if (!writer.ok()) {
      state.SkipWithError(writer.status().message().c_str());
      return;
    }
    TarWriter tar(writer->get());
    Status st = WriteTreeTar(tree, &tar, TreeTarOptions{});
    if (st.ok()) st = tar.Finish();
    auto digests = (*writer)->Finish();
    if (!st.ok() || !digests.ok() || !sink.Close().ok()) {
      state.SkipWithError(st.ok() ? "layer write failed" : st.message().c_str());
      return;
    }
    uncompressed = digests->uncompressed_size;
    benchmark::DoNotOptimize(digests->digest);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * uncompressed));
  state.counters["tar_MB"] = static_cast<double>(uncompressed) / 1e6;
}

BENCHMARK_CAPTURE(BM_TreeLayerWrite, gzip1, Compression::kGzip, 1)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_TreeLayerWrite, gzip6, Compression::kGzip, 6)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

BENCHMARK_CAPTURE(BM_LayerWrite, gzip1, Compression::kGzip, 1)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_LayerWrite, gzip6, Compression::kGzip, 6)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_LayerWrite, zstd3, Compression::kZstd, 3)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_LayerWrite, uncompressed, Compression::kNone, CompressOptions::kDefaultLevel)
    ->Arg(0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace distill::archive

BENCHMARK_MAIN();
