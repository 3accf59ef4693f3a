#include "builder/build.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "builder/build_backend.h"
#include "builder/cache_export.h"
#include "builder/image_writer.h"
#include "builder/store_cache.h"
#include "builder/store_pool.h"
#include "context/stat_cache.h"
#include "dockerfile/parser.h"
#include "frontend/build_plan.h"
#include "solver/cancel_token.h"

namespace distill::builder {

namespace {

// Reads `path` when it exists; nullopt when it does not.
Result<std::optional<std::string>> ReadIfExists(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return std::optional<std::string>();
    return Status::Io("cannot read " + path);
  }
  std::ostringstream out;
  out << in.rdbuf();
  return std::optional<std::string>(out.str());
}

// The context's ignore file: <Dockerfile>.dockerignore beside a Dockerfile
// takes precedence over CONTEXT/.dockerignore (as BuildKit does).
Result<dockerfile::DockerIgnore> LoadIgnore(const BuildRequest& request) {
  std::vector<std::string> candidates;
  if (!request.dockerfile_path.empty())
    candidates.push_back(request.dockerfile_path + ".dockerignore");
  candidates.push_back(request.context_dir + "/.dockerignore");
  for (const std::string& path : candidates) {
    DISTILL_ASSIGN_OR_RETURN(auto text, ReadIfExists(path));
    if (text) return dockerfile::DockerIgnore::Parse(*text, path);
  }
  return dockerfile::DockerIgnore::Parse("", ".dockerignore");
}

// Turns the signal-safe interrupt token into a solver cancellation: a thread
// waits on the token's fd (or on `stop_`, when the build is over).
class InterruptBridge {
 public:
  InterruptBridge(exec::CancelToken* interrupt, solver::CancelToken* cancel) {
    if (interrupt == nullptr) return;
    if (pipe2(stop_, O_CLOEXEC) != 0) return;
    thread_ = std::thread([this, interrupt, cancel] {
      pollfd fds[2] = {{interrupt->fd(), POLLIN, 0}, {stop_[0], POLLIN, 0}};
      while (poll(fds, 2, -1) < 0 && errno == EINTR) {
      }
      if (fds[0].revents & POLLIN) cancel->Cancel("interrupted");
    });
  }
  ~InterruptBridge() {
    if (!thread_.joinable()) return;
    char byte = 0;
    while (write(stop_[1], &byte, 1) < 0 && errno == EINTR) {
    }
    thread_.join();
    close(stop_[0]);
    close(stop_[1]);
  }

 private:
  int stop_[2] = {-1, -1};
  std::thread thread_;
};

// The --cache-from locations that can be opened; the others are warned about.
std::vector<std::unique_ptr<CacheArtifactStore>> OpenCacheSources(const BuildRequest& request) {
  std::vector<std::unique_ptr<CacheArtifactStore>> sources;
  for (const CacheLocation& from : request.cache_from) {
    auto source = OpenCacheArtifactStore(from);
    if (source.ok()) {
      sources.push_back(std::move(source).value());
    } else if (request.warn) {
      request.warn("--cache-from " + from.text + ": " + source.status().message() +
                   "; building without it");
    }
  }
  return sources;
}

}  // namespace

Result<BuildOutcome> Build(const BuildRequest& request) {
  DISTILL_ASSIGN_OR_RETURN(dockerfile::Dockerfile df,
                           dockerfile::Parse(request.dockerfile_text, request.dockerfile_name));
  StorePool pool(request.store_root);
  DISTILL_ASSIGN_OR_RETURN(StoreHandles * main, pool.ForThisThread());

  frontend::PlanOptions plan_options;
  plan_options.target = request.target;
  plan_options.build_args = request.build_args;
  plan_options.platform = request.platform;
  plan_options.resolve_image_config = [&](const std::string& ref,
                                          const std::string&) -> Result<frontend::ImageConfig> {
    if (request.refresh_base) {
      auto fresh = request.refresh_base(*main->store, ref);
      if (!fresh.ok() && fresh.status().code() != Status::Code::kNotFound) return fresh.status();
    }
    auto base = ReadBaseImage(*main->store, ref);
    if (!base.ok() && base.status().code() == Status::Code::kNotFound && request.make_base) {
      auto made = request.make_base(*main->store, ref);
      if (!made.ok() && made.status().code() != Status::Code::kNotFound) return made.status();
      if (made.ok()) base = ReadBaseImage(*main->store, ref);
    }
    if (!base.ok()) return base.status();
    return base->config;
  };
  DISTILL_ASSIGN_OR_RETURN(frontend::Plan plan, frontend::BuildPlan(df, plan_options));

  DISTILL_ASSIGN_OR_RETURN(dockerfile::DockerIgnore ignore, LoadIgnore(request));
  DISTILL_ASSIGN_OR_RETURN(context::BuildContext context,
                           context::BuildContext::Open(request.context_dir, std::move(ignore)));
  // File digests survive between builds of the same context (keyed by its path).
  std::error_code ec;
  std::string context_abs = std::filesystem::absolute(request.context_dir, ec).string();
  DISTILL_ASSIGN_OR_RETURN(auto stat_cache,
                           context::StatCache::Load(request.store_root + "/cache/stat/" +
                                                    oci::Digest::Of(context_abs).hex()));
  std::filesystem::create_directories(request.store_root + "/cache/stat", ec);
  context::FileDigester digester(stat_cache.get());

  BackendOptions backend_options;
  backend_options.pool = &pool;
  backend_options.context = &context;
  backend_options.digester = &digester;
  backend_options.default_network = request.network;
  backend_options.secrets = request.secrets;
  backend_options.source_date_epoch = request.source_date_epoch;
  BuildBackend backend(std::move(backend_options));
  StoreCache local_cache(&pool);
  solver::CacheStore* cache = &local_cache;
  std::optional<ImportedRecords> imported;
  std::optional<ImportingCache> importing;
  if (!request.cache_from.empty()) {
    imported = ImportedRecords::Load(OpenCacheSources(request), request.warn);
    importing.emplace(&pool, &local_cache, &*imported, request.warn);
    cache = &*importing;
  }

  solver::CancelToken cancel;
  solver::SolveOptions solve_options;
  solve_options.jobs = request.jobs;
  solve_options.no_cache = request.no_cache;
  solve_options.no_cache_filter = request.no_cache_filter;
  solve_options.progress = request.progress;
  solve_options.cancel = &cancel;
  Result<solver::BuildResult> result = [&] {
    InterruptBridge bridge(request.interrupt, &cancel);
    return solver::Solve(plan, &backend, cache, solve_options);
  }();
  if (!result.ok()) return result.status();
  // A stale digest cache only costs re-reading files: its failure is no error.
  (void)stat_cache->Save();

  ImageWriteOptions write;
  write.tags = request.tags;
  write.labels = request.labels;
  write.created_unix = request.source_date_epoch
                           ? *request.source_date_epoch
                           : CreatedTimeOfResults(*main->store, result->stats, std::time(nullptr));
  DISTILL_ASSIGN_OR_RETURN(oci::Digest image, WriteBuiltImage(*main->store, result->image, write));
  BuildOutcome outcome{image, result->stats, {}};
  for (const CacheLocation& to : request.cache_to) {
    const std::vector<std::string> keys = SelectCacheKeys(plan, *result, to.mode);
    auto dest = OpenCacheArtifactStore(to);
    if (!dest.ok()) return dest.status().Prefixed("--cache-to " + to.text);
    auto manifest = ExportCache(*main->store, keys, dest->get());
    if (!manifest.ok()) {
      return manifest.status().Prefixed("--cache-to " + to.text + " (the image " + image.str() +
                                        " was built and stored)");
    }
    outcome.cache_exports.push_back(CacheExportResult{to.text, *manifest, keys.size()});
  }
  return outcome;
}

}  // namespace distill::builder
