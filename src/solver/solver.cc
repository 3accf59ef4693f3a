#include "solver/solver.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "frontend/config_update.h"
#include "solver/cache_key.h"
#include "solver/step_text.h"

namespace distill::solver {

namespace {

using frontend::BaseKind;
using frontend::Plan;
using frontend::Stage;
using frontend::Step;

void SetPair(frontend::EnvList* list, const std::string& key, const std::string& value) {
  for (auto& [k, v] : *list) {
    if (k == key) {
      v = value;
      return;
    }
  }
  list->emplace_back(key, value);
}

std::string StagePrefix(const Plan& plan, const Stage& stage) {
  if (plan.stages.size() <= 1) return "";
  return (stage.name.empty() ? "stage-" + std::to_string(stage.index) : stage.name) + " ";
}

std::string BaseText(const Plan& plan, const Stage& stage) {
  switch (stage.base.kind) {
    case BaseKind::kScratch:
      return "scratch";
    case BaseKind::kImage:
      return stage.base.image;
    case BaseKind::kStage: {
      const Stage& base = plan.stages[stage.base.stage];
      return base.name.empty() ? "stage-" + std::to_string(base.index) : base.name;
    }
  }
  return stage.base_as_written;
}

std::string StageLabel(const Plan& plan, const Stage& stage) {
  return "[" + StagePrefix(plan, stage) + "1/" + std::to_string(stage.steps.size() + 1) +
         "] FROM " + BaseText(plan, stage);
}

// One build: the scheduler state shared by the worker threads.
class BuildRun {
 public:
  BuildRun(const Plan& plan, Backend* backend, CacheStore* cache, const SolveOptions& options)
      : plan_(plan), backend_(backend), cache_(cache), options_(options) {
    clock_ = options.clock != nullptr ? options.clock : &steady_clock_;
  }

  Result<BuildResult> Run();

 private:
  void Emit(ProgressKind kind, int id, int stage, std::string label, std::string text = "",
            int64_t duration_ns = 0) {
    if (options_.progress == nullptr) return;
    ProgressEvent event;
    event.kind = kind;
    event.time_ns = clock_->NowNanos();
    event.id = id;
    event.stage = stage;
    event.label = std::move(label);
    event.text = std::move(text);
    event.duration_ns = duration_ns;
    options_.progress->OnEvent(event);
  }
  // Records the first failure and cancels everything still running.
  void Fail(const Status& status);
  void WorkerLoop();
  Result<StageResult> BuildStage(int index);
  Result<BaseImage> ResolveBase(const std::string& ref, const std::string& platform);
  // Runs the step (a cache miss) and records its result.
  Result<std::optional<LayerRef>> ExecuteAndRecord(const Stage& stage, int id,
                                                   const std::string& label,
                                                   const StepRequest& request,
                                                   const std::string& key);
  Status RunStep(const Stage& stage, int step_index, const StepRequest& request,
                 const std::string& key, bool use_cache, ImageState* state, bool* made_layer);
  bool SkipsCache(const Stage& stage) const;

  const Plan& plan_;
  Backend* backend_;
  CacheStore* cache_;
  const SolveOptions& options_;
  SteadyClock steady_clock_;
  const Clock* clock_;
  CancelToken cancel_;

  std::mutex mu_;  // guards everything below
  std::condition_variable cv_;
  std::map<int, StageResult> results_;
  std::map<int, int> pending_deps_;
  std::map<int, std::vector<int>> dependents_;
  std::deque<int> ready_;
  size_t total_ = 0;
  size_t finished_ = 0;
  size_t running_ = 0;
  bool failed_ = false;
  Status first_error_;
  BuildStats stats_;
  int next_step_id_ = 1;

  // Steps being (or already) executed in this build, by key: a second stage
  // reaching the same key waits for the first instead of running it again.
  std::mutex inflight_mu_;
  std::map<std::string, std::shared_future<Result<std::optional<LayerRef>>>> inflight_;

  std::mutex base_mu_;  // guards bases_
  std::map<std::string, std::shared_future<Result<BaseImage>>> bases_;
};

void BuildRun::Fail(const Status& status) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!failed_) {
      failed_ = true;
      first_error_ = status;
    }
  }
  cv_.notify_all();
  cancel_.Cancel(status.message());
}

bool BuildRun::SkipsCache(const Stage& stage) const {
  if (options_.no_cache) return true;
  for (const std::string& f : options_.no_cache_filter) {
    if ((!stage.name.empty() && f == stage.name) || f == std::to_string(stage.index)) return true;
  }
  return false;
}

Result<BaseImage> BuildRun::ResolveBase(const std::string& ref, const std::string& platform) {
  // Two stages FROM the same image resolve it once per build.
  std::string id = ref + '\n' + platform;
  std::promise<Result<BaseImage>> promise;
  std::shared_future<Result<BaseImage>> future;
  bool owner = false;
  {
    std::lock_guard<std::mutex> lock(base_mu_);
    auto it = bases_.find(id);
    if (it != bases_.end()) {
      future = it->second;
    } else {
      future = promise.get_future().share();
      bases_.emplace(id, future);
      owner = true;
    }
  }
  if (owner) promise.set_value(backend_->ResolveBase(ref, platform));
  return future.get();
}

Status BuildRun::RunStep(const Stage& stage, int step_index, const StepRequest& request,
                         const std::string& key, bool use_cache, ImageState* state,
                         bool* made_layer) {
  const Step& step = stage.steps[step_index];
  const std::string where = StepLocation(step) + ": " + StepSummary(step);
  const std::string label = StepLabel(plan_, stage, step_index);
  int id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    id = next_step_id_++;
  }
  std::optional<LayerRef> layer;
  bool cached = false;
  if (use_cache) {
    auto record = cache_->Lookup(key);
    if (!record.ok()) return record.status().Prefixed(where + ": cache lookup");
    if (record->has_value()) {
      cached = true;
      layer = (*record)->layer;
      Emit(ProgressKind::kStepCached, id, stage.index, label);
    }
  }
  int64_t duration = 0;
  if (!cached) {
    // Another stage may be running this very step (same key, e.g. two stages
    // FROM one base with the same first RUN): wait for its result instead.
    std::promise<Result<std::optional<LayerRef>>> promise;
    std::shared_future<Result<std::optional<LayerRef>>> running;
    bool owner = false;
    {
      std::lock_guard<std::mutex> lock(inflight_mu_);
      auto it = inflight_.find(key);
      if (it != inflight_.end()) {
        running = it->second;
      } else {
        inflight_.emplace(key, promise.get_future().share());
        owner = true;
      }
    }
    if (owner) {
      const int64_t start = clock_->NowNanos();
      Result<std::optional<LayerRef>> outcome = ExecuteAndRecord(stage, id, label, request, key);
      duration = clock_->NowNanos() - start;
      promise.set_value(outcome);
      if (!outcome.ok()) return outcome.status().Prefixed(where);
      layer = *outcome;
    } else {
      const Result<std::optional<LayerRef>>& shared = running.get();
      if (!shared.ok()) {
        // That failure is the build's; this copy of the step just stops.
        return Status(Status::Code::kCancelled, where + ": the same step failed in another stage");
      }
      cached = true;
      layer = *shared;
      Emit(ProgressKind::kStepCached, id, stage.index, label);
    }
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    (cached ? stats_.steps_cached : stats_.steps_executed)++;
    stats_.steps.push_back({stage.index, step_index, label, cached, duration, key});
  }
  *made_layer = layer.has_value();
  if (layer) AppendLayer(state, std::move(*layer));
  return Status::Ok();
}

Result<std::optional<LayerRef>> BuildRun::ExecuteAndRecord(const Stage& stage, int id,
                                                           const std::string& label,
                                                           const StepRequest& request,
                                                           const std::string& key) {
  Emit(ProgressKind::kStepStarted, id, stage.index, label);
  const int64_t start = clock_->NowNanos();
  OutputFn output = [&](const std::string& line) {
    Emit(ProgressKind::kStepOutput, id, stage.index, label, line);
  };
  auto outcome = backend_->Execute(request, output, &cancel_);
  const int64_t duration = clock_->NowNanos() - start;
  Status failed = outcome.status();
  if (failed.ok())
    failed = cache_->Record(key, CacheRecord{outcome->layer}).Prefixed("recording the cache");
  if (!failed.ok()) {
    // The caller prefixes the step's location; the event gets the same text.
    const std::string where = StepLocation(*request.step) + ": " + StepSummary(*request.step);
    Emit(ProgressKind::kStepFailed, id, stage.index, label, failed.Prefixed(where).message(),
         duration);
    return failed;
  }
  Emit(ProgressKind::kStepFinished, id, stage.index, label, "", duration);
  return outcome->layer;
}

Result<StageResult> BuildRun::BuildStage(int index) {
  const Stage& stage = plan_.stages[index];
  const std::string platform = stage.platform.empty() ? plan_.target_platform : stage.platform;
  // The finished stages this one reads; their entries in results_ never move.
  StageResults finished;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (int dep : stage.deps) {
      auto it = results_.find(dep);
      if (it == results_.end()) {
        return Status::Error("internal: stage " + stage.DisplayName() + " started before stage " +
                             std::to_string(dep));
      }
      finished.emplace(dep, &it->second);
    }
  }
  Emit(ProgressKind::kStageStarted, 0, index, StageLabel(plan_, stage));

  ImageState state;
  std::string key;
  switch (stage.base.kind) {
    case BaseKind::kScratch:
      state.config.SetEnv("PATH", kDefaultPath);
      key = kScratchParentKey;
      break;
    case BaseKind::kImage: {
      auto base = ResolveBase(stage.base.image, platform);
      if (!base.ok()) {
        return base.status().Prefixed(stage.location.file + ":" +
                                      std::to_string(stage.location.start_line) + ": FROM " +
                                      stage.base.image);
      }
      if (base->digest.empty()) {
        return Status::Error(stage.location.file + ":" + std::to_string(stage.location.start_line) +
                             ": FROM " + stage.base.image + ": the image resolved to no digest");
      }
      for (const LayerRef& layer : base->layers) AppendLayer(&state, layer);
      state.config = base->config;
      state.history = base->history;
      key = base->digest.str();
      break;
    }
    case BaseKind::kStage: {
      const StageResult* source = finished.at(stage.base.stage);
      state = source->state;
      key = source->final_key;
      break;
    }
  }
  // The base's ONBUILD triggers ran as this stage's first steps (the frontend
  // injected them); they are not inherited further.
  state.config.onbuild.clear();
  state.platform = platform;

  const bool use_cache = !SkipsCache(stage);
  frontend::ConfigUpdateState update;
  for (size_t i = 0; i < stage.steps.size(); ++i) {
    if (cancel_.cancelled()) return Status(Status::Code::kCancelled, "build cancelled");
    const Step& step = stage.steps[i];
    StepRequest request;
    request.plan = &plan_;
    request.stage = &stage;
    request.step = &step;
    request.step_index = static_cast<int>(i);
    request.platform = platform;
    request.env = StepEnv(stage, step, state.config);
    if (step.command.As<dockerfile::RunCommand>()) request.proxy_env = step.proxy_env;
    request.parent = &state;
    for (int read : step.reads_stages) {
      auto it = finished.find(read);
      if (it != finished.end()) request.reads.emplace(read, it->second);
    }
    if (StepChangesKey(step)) {
      StepKeyContext context{platform, request.env, {}};
      if (NeedsInputDigest(step)) {
        auto inputs = backend_->InputDigests(request);
        if (!inputs.ok()) {
          return inputs.status().Prefixed(StepLocation(step) + ": " + StepSummary(step));
        }
        context.inputs = std::move(inputs).value();
      }
      key = StepCacheKey(key, step, context);
    }
    bool made_layer = false;
    if (step.changes_filesystem) {
      // `request.parent` points at `state`, which RunStep extends only after Execute.
      DISTILL_RETURN_IF_ERROR(
          RunStep(stage, static_cast<int>(i), request, key, use_cache, &state, &made_layer));
    }
    oci::HistoryEntry entry;
    entry.created_by = HistoryCreatedBy(step);
    entry.comment = kHistoryComment;
    entry.empty_layer = !made_layer;
    state.history.push_back(std::move(entry));
    frontend::ApplyToConfig(step.command, &state.config, &update);
  }
  StageResult result;
  result.stage = index;
  result.state = std::move(state);
  result.final_key = std::move(key);
  return result;
}

void BuildRun::WorkerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    // Nothing ready and nothing running while stages remain: they wait on each
    // other (a cycle), so no worker could ever start them.
    cv_.wait(lock,
             [this] { return failed_ || !ready_.empty() || finished_ == total_ || running_ == 0; });
    if (failed_ || ready_.empty()) return;
    int index = ready_.front();
    ready_.pop_front();
    ++running_;
    lock.unlock();
    Result<StageResult> result = BuildStage(index);
    if (!result.ok()) {
      Fail(result.status());
      lock.lock();
      --running_;
      cv_.notify_all();
      continue;
    }
    lock.lock();
    --running_;
    results_.emplace(index, std::move(result).value());
    ++finished_;
    for (int d : dependents_[index]) {
      if (--pending_deps_[d] == 0) ready_.push_back(d);
    }
    cv_.notify_all();
  }
}

Result<BuildResult> BuildRun::Run() {
  if (options_.jobs < 0) return Status::Invalid("--jobs must be at least 1");
  if (plan_.order.empty() || plan_.target < 0 ||
      plan_.target >= static_cast<int>(plan_.stages.size())) {
    return Status::Invalid(plan_.filename + ": the plan has no target stage to build");
  }
  for (const std::string& f : options_.no_cache_filter) {
    bool found = false;
    for (const Stage& s : plan_.stages) {
      found = found || (!s.name.empty() && s.name == f) || std::to_string(s.index) == f;
    }
    if (!found) {
      return Status::Invalid("--no-cache-filter: " + plan_.filename + " has no stage named \"" + f +
                             "\"");
    }
  }
  const std::set<int> needed(plan_.order.begin(), plan_.order.end());
  if (!needed.count(plan_.target)) {
    return Status::Invalid(plan_.filename + ": the target stage is not in the run order");
  }
  for (int index : plan_.order) {
    if (index < 0 || index >= static_cast<int>(plan_.stages.size())) {
      return Status::Invalid(plan_.filename + ": the run order names stage " +
                             std::to_string(index) + ", which does not exist");
    }
    int pending = 0;
    for (int dep : plan_.stages[index].deps) {
      if (!needed.count(dep)) {
        return Status::Invalid(plan_.filename + ": stage " + plan_.stages[index].DisplayName() +
                               " needs stage " + std::to_string(dep) +
                               ", which is not in the run order");
      }
      dependents_[dep].push_back(index);
      ++pending;
    }
    pending_deps_[index] = pending;
    if (pending == 0) ready_.push_back(index);
  }
  total_ = plan_.order.size();

  const int64_t start = clock_->NowNanos();
  {
    // Ctrl-C (or any caller) cancels the build like a failing step does.
    CancelCallback external(options_.cancel, [this] {
      std::string why = options_.cancel->reason();
      Fail(Status(Status::Code::kCancelled, "build cancelled" + (why.empty() ? "" : ": " + why)));
    });
    unsigned jobs = options_.jobs > 0 ? static_cast<unsigned>(options_.jobs)
                                      : std::max(1u, std::thread::hardware_concurrency());
    jobs = std::min<unsigned>(jobs, static_cast<unsigned>(total_));
    std::vector<std::thread> workers;
    for (unsigned i = 0; i < jobs; ++i) workers.emplace_back([this] { WorkerLoop(); });
    for (std::thread& t : workers) t.join();
  }
  const int64_t duration = clock_->NowNanos() - start;
  if (failed_) {
    Emit(ProgressKind::kBuildFinished, 0, -1, "", first_error_.message(), duration);
    return first_error_;
  }
  if (finished_ != total_) {
    // Only a cycle in plan.order's deps can leave stages that never became ready.
    return Status::Invalid(plan_.filename + ": the stages' dependencies form a cycle");
  }
  Emit(ProgressKind::kBuildFinished, 0, -1, "", "", duration);
  BuildResult out;
  out.image = results_.at(plan_.target).state;
  out.final_key = results_.at(plan_.target).final_key;
  out.stages = std::move(results_);
  out.stats = std::move(stats_);
  return out;
}

}  // namespace

frontend::EnvList StepEnv(const frontend::Stage& stage, const frontend::Step& step,
                          const frontend::ImageConfig& config) {
  if (stage.base_config_resolved) return step.env;
  frontend::EnvList env = step.build_args;
  for (const auto& [k, v] : config.env) SetPair(&env, k, v);
  if (step.command.As<dockerfile::RunCommand>() && config.GetEnv("PATH") == nullptr) {
    bool has_path = false;
    for (const auto& kv : env) has_path = has_path || kv.first == "PATH";
    if (!has_path) env.emplace_back("PATH", kDefaultPath);
  }
  return env;
}

std::string StepLabel(const frontend::Plan& plan, const frontend::Stage& stage, int step_index) {
  return "[" + StagePrefix(plan, stage) + std::to_string(step_index + 2) + "/" +
         std::to_string(stage.steps.size() + 1) + "] " + StepSummary(stage.steps[step_index]);
}

Result<BuildResult> Solve(const frontend::Plan& plan, Backend* backend, CacheStore* cache,
                          const SolveOptions& options) {
  BuildRun run(plan, backend, cache, options);
  return run.Run();
}

}  // namespace distill::solver
