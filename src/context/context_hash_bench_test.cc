// Not a unit test: the body of bench/context_hash.sh, which times digesting a
// big build context cold (no stat cache) and warm (stat cache hit) with
// hyperfine. Disabled unless run with --gtest_also_run_disabled_tests, and
// skipped without DISTILL_BENCH_CONTEXT.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "context/sources_digest.h"

namespace distill::context {
namespace {

TEST(ContextHashBench, DISABLED_DigestWholeContext) {
  const char* dir = std::getenv("DISTILL_BENCH_CONTEXT");
  if (dir == nullptr) GTEST_SKIP() << "set DISTILL_BENCH_CONTEXT (see bench/context_hash.sh)";
  const char* cache_path = std::getenv("DISTILL_BENCH_STAT_CACHE");
  dockerfile::DockerIgnore ignore;
  std::filesystem::path ignore_file = std::filesystem::path(dir) / ".dockerignore";
  if (std::filesystem::exists(ignore_file)) {
    auto loaded = dockerfile::DockerIgnore::Load(ignore_file);
    ASSERT_TRUE(loaded.ok()) << loaded.status().message();
    ignore = std::move(loaded).value();
  }
  auto ctx = BuildContext::Open(dir, ignore);
  ASSERT_TRUE(ctx.ok()) << ctx.status().message();
  auto cache = StatCache::Load(cache_path ? cache_path : "");
  ASSERT_TRUE(cache.ok()) << cache.status().message();
  FileDigester files(cache->get());
  CopyRequest request;
  request.sources = {"."};
  request.dest = "/app/";
  auto digest = SourcesDigest(*ctx, request, &files);
  ASSERT_TRUE(digest.ok()) << digest.status().message();
  ASSERT_TRUE((*cache)->Save().ok());
  std::fprintf(stderr, "%s files_read=%llu bytes_read=%llu cached=%zu\n", digest->str().c_str(),
               static_cast<unsigned long long>(files.files_read()),
               static_cast<unsigned long long>(files.bytes_read()), (*cache)->size());
}

}  // namespace
}  // namespace distill::context
