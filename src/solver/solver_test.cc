#include "solver/solver.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>

#include "dockerfile/parser.h"
#include "frontend/build_plan.h"
#include "solver/testing_fakes.h"

namespace distill::solver {
namespace {

using testing::FakeBackend;
using testing::FakeCacheStore;
using testing::FakeDigest;

frontend::Plan PlanOf(const std::string& text, std::map<std::string, std::string> args = {},
                      std::string target = "") {
  auto df = dockerfile::Parse(text, "Dockerfile");
  EXPECT_TRUE(df.ok()) << df.status().message();
  frontend::PlanOptions opts;
  opts.build_platform = "linux/amd64";
  opts.build_args = std::move(args);
  opts.target = std::move(target);
  auto plan = frontend::BuildPlan(*df, opts);
  EXPECT_TRUE(plan.ok()) << plan.status().message();
  return plan.ok() ? std::move(plan).value() : frontend::Plan{};
}

BuildResult MustSolve(const frontend::Plan& plan, FakeBackend* backend, FakeCacheStore* cache,
                      SolveOptions options = {}) {
  auto result = Solve(plan, backend, cache, options);
  EXPECT_TRUE(result.ok()) << result.status().message();
  return result.ok() ? std::move(result).value() : BuildResult{};
}

size_t IndexOf(const std::vector<std::string>& log, const std::string& name) {
  auto it = std::find(log.begin(), log.end(), name);
  EXPECT_NE(it, log.end()) << name;
  return static_cast<size_t>(it - log.begin());
}

// Waits (bounded, so a broken scheduler fails instead of hanging) for a predicate.
template <typename Pred>
bool WaitFor(std::condition_variable& cv, std::unique_lock<std::mutex>& lock, Pred pred) {
  return cv.wait_for(lock, std::chrono::seconds(20), pred);
}

const char* kThreeStages = R"(FROM scratch AS a
RUN make-a
FROM a AS b
RUN make-b
FROM scratch AS c
COPY --from=b /out /out
RUN make-c
)";

TEST(SolverTest, RunsStagesAfterTheirDependencies) {
  frontend::Plan plan = PlanOf(kThreeStages);
  FakeBackend backend;
  FakeCacheStore cache;
  SolveOptions options;
  options.jobs = 4;
  BuildResult result = MustSolve(plan, &backend, &cache, options);
  std::vector<std::string> log = backend.executed();
  ASSERT_EQ(log.size(), 4u);
  EXPECT_LT(IndexOf(log, "a: RUN make-a"), IndexOf(log, "b: RUN make-b"));
  EXPECT_LT(IndexOf(log, "b: RUN make-b"), IndexOf(log, "c: COPY --from=b /out /out"));
  EXPECT_LT(IndexOf(log, "c: COPY --from=b /out /out"), IndexOf(log, "c: RUN make-c"));
  EXPECT_EQ(result.stats.steps_executed, 4);
  EXPECT_EQ(result.stats.steps_cached, 0);
  EXPECT_EQ(result.stages.size(), 3u);
  // b starts from a's chain and adds its own layer; c is scratch + 2 layers.
  EXPECT_EQ(result.stages.at(1).state.layers.size(), 2u);
  EXPECT_EQ(result.stages.at(1).state.layers[0], result.stages.at(0).state.layers[0]);
  EXPECT_EQ(result.image.layers.size(), 2u);
  EXPECT_EQ(result.image.chain_id, ChainIdOf(result.image.layers));
}

const char* kTwoIndependent = R"(FROM scratch AS x
RUN make-x
FROM scratch AS y
RUN make-y
FROM scratch
COPY --from=x /x /x
COPY --from=y /y /y
)";

TEST(SolverTest, IndependentStagesRunConcurrently) {
  frontend::Plan plan = PlanOf(kTwoIndependent);
  FakeBackend backend;
  FakeCacheStore cache;
  std::mutex mu;
  std::condition_variable cv;
  int started = 0;
  bool both_seen = true;
  backend.hook = [&](const StepRequest& r, const OutputFn& out,
                     CancelToken*) -> Result<StepOutcome> {
    if (r.step->command.As<dockerfile::RunCommand>()) {
      // Each RUN waits until the other has started: only possible in parallel.
      std::unique_lock<std::mutex> lock(mu);
      ++started;
      cv.notify_all();
      if (!WaitFor(cv, lock, [&] { return started >= 2; })) both_seen = false;
    }
    return FakeBackend::DefaultExecute(r, out);
  };
  SolveOptions options;
  options.jobs = 2;
  MustSolve(plan, &backend, &cache, options);
  EXPECT_TRUE(both_seen);
  EXPECT_EQ(started, 2);
}

TEST(SolverTest, OneJobRunsOneStageAtATime) {
  frontend::Plan plan = PlanOf(kTwoIndependent);
  FakeBackend backend;
  FakeCacheStore cache;
  std::mutex mu;
  int running = 0;
  int max_running = 0;
  backend.hook = [&](const StepRequest& r, const OutputFn& out,
                     CancelToken*) -> Result<StepOutcome> {
    {
      std::lock_guard<std::mutex> lock(mu);
      max_running = std::max(max_running, ++running);
    }
    auto outcome = FakeBackend::DefaultExecute(r, out);
    std::lock_guard<std::mutex> lock(mu);
    --running;
    return outcome;
  };
  SolveOptions options;
  options.jobs = 1;
  MustSolve(plan, &backend, &cache, options);
  EXPECT_EQ(max_running, 1);
  // With one worker, x and y cannot interleave: each stage's steps run together.
  std::vector<std::string> log = backend.executed();
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[0], "x: RUN make-x");
  EXPECT_EQ(log[1], "y: RUN make-y");
}

TEST(SolverTest, IdenticalStepsOfConcurrentStagesRunOnce) {
  frontend::Plan plan = PlanOf(R"(FROM scratch AS x
RUN apt-get install gcc
RUN make-x
FROM scratch AS y
RUN apt-get install gcc
RUN make-y
FROM scratch
COPY --from=x /x /x
COPY --from=y /y /y
)");
  FakeBackend backend;
  FakeCacheStore cache;
  std::mutex mu;
  std::condition_variable cv;
  int lookups = 0;
  cache.on_lookup = [&](const std::string&) {
    std::lock_guard<std::mutex> lock(mu);
    ++lookups;
    cv.notify_all();
  };
  backend.hook = [&](const StepRequest& r, const OutputFn& out,
                     CancelToken*) -> Result<StepOutcome> {
    if (StepSummary(*r.step) == "RUN apt-get install gcc") {
      // Hold the first run until the other stage has missed the cache too:
      // without in-flight sharing it would now run the step a second time.
      std::unique_lock<std::mutex> lock(mu);
      WaitFor(cv, lock, [&] { return lookups >= 2; });
    }
    return FakeBackend::DefaultExecute(r, out);
  };
  SolveOptions options;
  options.jobs = 2;
  BuildResult result = MustSolve(plan, &backend, &cache, options);
  std::vector<std::string> log = backend.executed();
  EXPECT_EQ(std::count_if(log.begin(), log.end(),
                          [](const std::string& s) { return s.find("apt-get") != s.npos; }),
            1);
  EXPECT_EQ(result.stats.steps_cached, 1);
  EXPECT_EQ(result.stages.at(0).state.layers[0], result.stages.at(1).state.layers[0]);
}

TEST(SolverTest, PrunedStagesNeverRun) {
  frontend::Plan plan = PlanOf(R"(FROM scratch AS unused
RUN never
FROM scratch AS used
RUN always
FROM used
RUN last
)");
  FakeBackend backend;
  FakeCacheStore cache;
  BuildResult result = MustSolve(plan, &backend, &cache);
  EXPECT_EQ(backend.executed(),
            (std::vector<std::string>{"used: RUN always", "stage-2: RUN last"}));
  EXPECT_EQ(result.stages.count(0), 0u);
}

TEST(SolverTest, SecondBuildWithSameInputsExecutesNothing) {
  frontend::Plan plan = PlanOf(kThreeStages);
  FakeBackend backend;
  FakeCacheStore cache;
  BuildResult first = MustSolve(plan, &backend, &cache);
  backend.ClearLog();
  BuildResult second = MustSolve(plan, &backend, &cache);
  EXPECT_TRUE(backend.executed().empty());
  EXPECT_EQ(second.stats.steps_executed, 0);
  EXPECT_EQ(second.stats.steps_cached, 4);
  EXPECT_EQ(second.final_key, first.final_key);
  EXPECT_EQ(second.image.layers, first.image.layers);
  EXPECT_EQ(second.image.chain_id, first.image.chain_id);
  EXPECT_EQ(second.image.history, first.image.history);
}

TEST(SolverTest, StatsNameEachStepsCacheKey) {
  frontend::Plan plan = PlanOf(kThreeStages);
  FakeBackend backend;
  FakeCacheStore cache;
  std::mutex mu;
  std::set<std::string> looked_up;
  cache.on_lookup = [&](const std::string& key) {
    std::lock_guard<std::mutex> lock(mu);
    looked_up.insert(key);
  };
  BuildResult result = MustSolve(plan, &backend, &cache);
  ASSERT_EQ(result.stats.steps.size(), 4u);
  std::set<std::string> reported;
  for (const StepTiming& t : result.stats.steps) {
    EXPECT_EQ(t.key.rfind("sha256:", 0), 0u) << t.label;
    reported.insert(t.key);
  }
  // `--cache-to` exports records by these keys: exactly those the cache saw.
  EXPECT_EQ(reported, looked_up);
}

const char* kGoBuild = R"(FROM golang:1.22 AS deps
COPY go.mod /src/
RUN download
COPY main.go /src/
RUN build
FROM golang:1.22 AS other
COPY other.txt /
RUN other
FROM debian:12
COPY --from=deps /out /app
COPY --from=other /o /o
RUN final
)";

void AddImages(FakeBackend* backend) {
  BaseImage go;
  go.digest = FakeDigest("golang manifest");
  go.config.SetEnv("PATH", "/usr/local/go/bin:/usr/bin:/bin");
  go.config.SetEnv("GOPATH", "/go");
  LayerRef l;
  l.diff_id = FakeDigest("go layer");
  l.blob.digest = FakeDigest("go blob");
  go.layers.push_back(l);
  oci::HistoryEntry h;
  h.created_by = "go base";
  go.history.push_back(h);
  backend->images["golang:1.22"] = go;
  BaseImage debian;
  debian.digest = FakeDigest("debian manifest");
  backend->images["debian:12"] = debian;
}

void SetUpGo(FakeBackend* backend) {
  AddImages(backend);
  backend->context = {{"go.mod", "module x"}, {"main.go", "package main"}, {"other.txt", "o"}};
}

TEST(SolverTest, ChangedCopyInputReexecutesExactlyTheDependentSteps) {
  frontend::Plan plan = PlanOf(kGoBuild);
  FakeBackend backend;
  SetUpGo(&backend);
  FakeCacheStore cache;
  MustSolve(plan, &backend, &cache);
  EXPECT_EQ(backend.executed().size(), 9u);
  backend.ClearLog();
  backend.context["main.go"] = "package main // edited";
  BuildResult second = MustSolve(plan, &backend, &cache);
  std::vector<std::string> log = backend.executed();
  std::sort(log.begin(), log.end());
  EXPECT_EQ(log,
            (std::vector<std::string>{"deps: COPY main.go /src/", "deps: RUN build",
                                      "stage-2: COPY --from=deps /out /app",
                                      "stage-2: COPY --from=other /o /o", "stage-2: RUN final"}));
  EXPECT_EQ(second.stats.steps_cached, 4);  // go.mod, download, and the whole other stage
}

TEST(SolverTest, ChangedInputOfAnUnrelatedStageDoesNotInvalidate) {
  frontend::Plan plan = PlanOf(kGoBuild);
  FakeBackend backend;
  SetUpGo(&backend);
  FakeCacheStore cache;
  MustSolve(plan, &backend, &cache);
  backend.ClearLog();
  backend.context["other.txt"] = "changed";
  MustSolve(plan, &backend, &cache);
  std::vector<std::string> log = backend.executed();
  for (const std::string& name : log) EXPECT_EQ(name.rfind("deps:", 0), std::string::npos) << name;
  EXPECT_EQ(IndexOf(log, "other: COPY other.txt /") < log.size(), true);
  EXPECT_EQ(log.size(), 4u);  // other: COPY, RUN; final: COPY --from=other, RUN final
}

TEST(SolverTest, ProxyArgsDoNotChangeKeysButOtherBuildArgsDo) {
  const char* text = R"(FROM scratch
COPY a /a
ARG VERSION=1
RUN fetch $VERSION
)";
  FakeBackend backend;
  backend.context["a"] = "A";
  FakeCacheStore cache;
  MustSolve(PlanOf(text, {{"HTTP_PROXY", "http://proxy-1:3128"}}), &backend, &cache);
  backend.ClearLog();
  BuildResult again = MustSolve(
      PlanOf(text, {{"HTTP_PROXY", "http://proxy-2:3128"}, {"no_proxy", "x"}}), &backend, &cache);
  EXPECT_TRUE(backend.executed().empty());
  EXPECT_EQ(again.stats.steps_cached, 2);
  // The RUN still received the proxy, out of band.
  backend.ClearLog();
  MustSolve(PlanOf(text, {{"VERSION", "2"}, {"HTTP_PROXY", "http://proxy-2:3128"}}), &backend,
            &cache);
  EXPECT_EQ(backend.executed(), (std::vector<std::string>{"stage-0: RUN fetch $VERSION"}));
  std::vector<StepRequest> requests = backend.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].proxy_env, (frontend::EnvList{{"HTTP_PROXY", "http://proxy-2:3128"}}));
  for (const auto& [k, v] : requests[0].env) EXPECT_NE(k, "HTTP_PROXY");
}

TEST(SolverTest, EnvChangeInvalidatesLaterStepsOnly) {
  const char* before = "FROM scratch\nCOPY a /a\nENV MODE=debug\nCOPY b /b\nRUN build\n";
  const char* after = "FROM scratch\nCOPY a /a\nENV MODE=release\nCOPY b /b\nRUN build\n";
  FakeBackend backend;
  backend.context = {{"a", "A"}, {"b", "B"}};
  FakeCacheStore cache;
  MustSolve(PlanOf(before), &backend, &cache);
  backend.ClearLog();
  BuildResult result = MustSolve(PlanOf(after), &backend, &cache);
  EXPECT_EQ(backend.executed(),
            (std::vector<std::string>{"stage-0: COPY b /b", "stage-0: RUN build"}));
  EXPECT_EQ(result.stats.steps_cached, 1);
  EXPECT_EQ(*result.image.config.GetEnv("MODE"), "release");
}

TEST(SolverTest, MetadataStepsNeverExecuteButShapeConfigAndHistory) {
  frontend::Plan plan = PlanOf(R"(FROM scratch
ARG V=3
ENV A=b
WORKDIR /app
LABEL k=v
COPY a .
RUN make
USER app
CMD ["./run"]
)");
  FakeBackend backend;
  backend.context["a"] = "A";
  FakeCacheStore cache;
  BuildResult result = MustSolve(plan, &backend, &cache);
  EXPECT_EQ(backend.executed(),
            (std::vector<std::string>{"stage-0: WORKDIR /app", "stage-0: COPY a .",
                                      "stage-0: RUN make"}));
  std::vector<std::string> created_by;
  std::vector<bool> empty;
  for (const auto& h : result.image.history) {
    created_by.push_back(h.created_by);
    empty.push_back(h.empty_layer);
  }
  EXPECT_EQ(created_by,
            (std::vector<std::string>{
                "ARG V=3", "ENV A=b", "WORKDIR /app", "LABEL k=v", "COPY a . # buildkit",
                "RUN |1 V=3 /bin/sh -c make # buildkit", "USER app", "CMD [\"./run\"]"}));
  EXPECT_EQ(empty, (std::vector<bool>{true, true, false, true, false, false, true, true}));
  EXPECT_EQ(result.image.layers.size(), 3u);
  EXPECT_EQ(result.image.config.user, "app");
  EXPECT_EQ(result.image.config.working_dir, "/app");
  EXPECT_EQ(result.image.config.labels.at("k"), "v");
  EXPECT_EQ(result.image.config.cmd, (std::vector<std::string>{"./run"}));
  EXPECT_EQ(*result.image.config.GetEnv("PATH"), kDefaultPath);
  EXPECT_EQ(result.image.platform, "linux/amd64");
}

TEST(SolverTest, ImageBaseGivesLayersHistoryEnvAndParentKey) {
  frontend::Plan plan = PlanOf("FROM golang:1.22\nRUN go build\n");
  FakeBackend backend;
  SetUpGo(&backend);
  FakeCacheStore cache;
  BuildResult result = MustSolve(plan, &backend, &cache);
  ASSERT_EQ(result.image.layers.size(), 2u);
  EXPECT_EQ(result.image.layers[0].diff_id, FakeDigest("go layer"));
  ASSERT_EQ(result.image.history.size(), 2u);
  EXPECT_EQ(result.image.history[0].created_by, "go base");
  // The base's env was unknown to the frontend; the RUN sees it anyway.
  std::vector<StepRequest> requests = backend.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].env,
            (frontend::EnvList{{"PATH", "/usr/local/go/bin:/usr/bin:/bin"}, {"GOPATH", "/go"}}));
  EXPECT_EQ(backend.resolves(), (std::vector<std::string>{"golang:1.22@linux/amd64"}));

  // A new base digest invalidates every step.
  backend.images["golang:1.22"].digest = FakeDigest("golang manifest, rebuilt");
  backend.ClearLog();
  MustSolve(plan, &backend, &cache);
  EXPECT_EQ(backend.executed(), (std::vector<std::string>{"stage-0: RUN go build"}));
}

TEST(SolverTest, SharedBaseIsResolvedOnce) {
  frontend::Plan plan = PlanOf(kGoBuild);
  FakeBackend backend;
  SetUpGo(&backend);
  FakeCacheStore cache;
  MustSolve(plan, &backend, &cache);
  std::vector<std::string> resolves = backend.resolves();
  std::sort(resolves.begin(), resolves.end());
  EXPECT_EQ(resolves,
            (std::vector<std::string>{"debian:12@linux/amd64", "golang:1.22@linux/amd64"}));
}

TEST(SolverTest, NoCacheSkipsLookupsButRecords) {
  frontend::Plan plan = PlanOf(kGoBuild);
  FakeBackend backend;
  SetUpGo(&backend);
  FakeCacheStore cache;
  MustSolve(plan, &backend, &cache);
  backend.ClearLog();
  SolveOptions no_cache;
  no_cache.no_cache = true;
  int lookups = cache.lookups();
  BuildResult result = MustSolve(plan, &backend, &cache, no_cache);
  EXPECT_EQ(backend.executed().size(), 9u);
  EXPECT_EQ(cache.lookups(), lookups);
  EXPECT_EQ(cache.records_written(), 18);
  EXPECT_EQ(result.stats.steps_cached, 0);
  backend.ClearLog();
  MustSolve(plan, &backend, &cache);
  EXPECT_TRUE(backend.executed().empty());
}

TEST(SolverTest, NoCacheFilterRebuildsOnlyTheNamedStages) {
  frontend::Plan plan = PlanOf(kGoBuild);
  FakeBackend backend;
  SetUpGo(&backend);
  FakeCacheStore cache;
  MustSolve(plan, &backend, &cache);
  backend.ClearLog();
  SolveOptions options;
  options.no_cache_filter = {"other"};
  MustSolve(plan, &backend, &cache, options);
  std::vector<std::string> log = backend.executed();
  std::sort(log.begin(), log.end());
  EXPECT_EQ(log, (std::vector<std::string>{"other: COPY other.txt /", "other: RUN other"}));

  options.no_cache_filter = {"2"};  // by index
  backend.ClearLog();
  MustSolve(plan, &backend, &cache, options);
  EXPECT_EQ(backend.executed().size(), 3u);

  options.no_cache_filter = {"nope"};
  auto bad = Solve(plan, &backend, &cache, options);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "--no-cache-filter: Dockerfile has no stage named \"nope\"");
}

const char* kFailing = R"(FROM scratch AS slow
RUN wait-forever
FROM scratch AS broken
COPY a /a
RUN make
FROM scratch
COPY --from=slow /s /s
COPY --from=broken /b /b
)";

TEST(SolverTest, FailureCancelsRunningStagesAndNamesTheStep) {
  frontend::Plan plan = PlanOf(kFailing);
  FakeBackend backend;
  backend.context["a"] = "A";
  FakeCacheStore cache;
  std::mutex mu;
  std::condition_variable cv;
  bool slow_started = false;
  bool slow_saw_cancel = false;
  backend.hook = [&](const StepRequest& r, const OutputFn& out,
                     CancelToken* cancel) -> Result<StepOutcome> {
    std::string summary = StepSummary(*r.step);
    if (summary == "RUN wait-forever") {
      {
        std::lock_guard<std::mutex> lock(mu);
        slow_started = true;
      }
      cv.notify_all();
      CancelCallback wake(cancel, [&] { cv.notify_all(); });
      std::unique_lock<std::mutex> lock(mu);
      slow_saw_cancel = WaitFor(cv, lock, [&] { return cancel->cancelled(); });
      return Status(Status::Code::kCancelled, "cancelled");
    }
    if (summary == "RUN make") {
      out("make: *** [all] Error 2");
      std::unique_lock<std::mutex> lock(mu);
      WaitFor(cv, lock, [&] { return slow_started; });
      return Status::Error("exit code 2");
    }
    return FakeBackend::DefaultExecute(r, out);
  };
  testing::RecordingSink sink;
  SolveOptions options;
  options.jobs = 2;
  options.progress = &sink;
  auto result = Solve(plan, &backend, &cache, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(), "Dockerfile:5: RUN make: exit code 2");
  EXPECT_TRUE(slow_saw_cancel);
  for (const std::string& name : backend.executed()) {
    EXPECT_EQ(name.find("stage-2"), std::string::npos) << name;
  }
  std::vector<ProgressEvent> events = sink.events();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().kind, ProgressKind::kBuildFinished);
  EXPECT_EQ(events.back().text, "Dockerfile:5: RUN make: exit code 2");
  bool saw_output = false;
  for (const auto& e : events) {
    saw_output =
        saw_output || (e.kind == ProgressKind::kStepOutput && e.text == "make: *** [all] Error 2" &&
                       e.label == "[broken 3/3] RUN make");
  }
  EXPECT_TRUE(saw_output);
  // Nothing failed is remembered.
  EXPECT_EQ(cache.size(), 1u);  // broken: COPY a /a
}

TEST(SolverTest, ExternalCancellationStopsTheBuild) {
  frontend::Plan plan = PlanOf("FROM scratch\nRUN one\nRUN two\n");
  FakeBackend backend;
  FakeCacheStore cache;
  CancelToken ctrl_c;
  backend.hook = [&](const StepRequest& r, const OutputFn& out,
                     CancelToken* cancel) -> Result<StepOutcome> {
    ctrl_c.Cancel("interrupt");  // the user presses Ctrl-C while the first RUN runs
    if (!cancel->cancelled()) return Status::Error("the build's token was not cancelled");
    (void)r;
    (void)out;
    return Status(Status::Code::kCancelled, "killed");
  };
  SolveOptions options;
  options.cancel = &ctrl_c;
  auto result = Solve(plan, &backend, &cache, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Status::Code::kCancelled);
  EXPECT_EQ(result.status().message(), "build cancelled: interrupt");
  EXPECT_EQ(backend.executed().size(), 1u);
}

TEST(SolverTest, ErrorsNameTheStepOrImage) {
  FakeBackend backend;
  FakeCacheStore cache;
  auto missing = Solve(PlanOf("FROM scratch\n\nCOPY nothere /x\n"), &backend, &cache, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(),
            "Dockerfile:3: COPY nothere /x: \"nothere\" not found in the build context");
  auto no_image = Solve(PlanOf("FROM nosuch:1\nRUN x\n"), &backend, &cache, {});
  ASSERT_FALSE(no_image.ok());
  EXPECT_EQ(no_image.status().message(),
            "Dockerfile:1: FROM nosuch:1: image \"nosuch:1\" not found");
  SolveOptions bad_jobs;
  bad_jobs.jobs = -1;
  EXPECT_FALSE(Solve(PlanOf("FROM scratch\n"), &backend, &cache, bad_jobs).ok());
  EXPECT_FALSE(Solve(frontend::Plan{}, &backend, &cache, {}).ok());
}

class BrokenCache : public CacheStore {
 public:
  Result<std::optional<CacheRecord>> Lookup(const std::string&) override {
    if (fail_lookup) return Status::Io("cache.db: disk I/O error");
    return std::optional<CacheRecord>();
  }
  Status Record(const std::string&, const CacheRecord&) override {
    return Status::Io("cache.db: disk full");
  }
  bool fail_lookup = false;
};

TEST(SolverTest, CacheErrorsFailTheBuildWithTheStep) {
  frontend::Plan plan = PlanOf("FROM scratch\nRUN x\n");
  FakeBackend backend;
  BrokenCache cache;
  auto record = Solve(plan, &backend, &cache, {});
  ASSERT_FALSE(record.ok());
  EXPECT_EQ(record.status().message(),
            "Dockerfile:2: RUN x: recording the cache: cache.db: disk full");
  cache.fail_lookup = true;
  auto lookup = Solve(plan, &backend, &cache, {});
  ASSERT_FALSE(lookup.ok());
  EXPECT_EQ(lookup.status().message(),
            "Dockerfile:2: RUN x: cache lookup: cache.db: disk I/O error");
}

TEST(SolverTest, BaseImageWithoutDigestIsAnError) {
  FakeBackend backend;
  backend.images["nodigest:1"] = BaseImage{};
  FakeCacheStore cache;
  auto result = Solve(PlanOf("FROM nodigest:1\nRUN x\n"), &backend, &cache, {});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().message(),
            "Dockerfile:1: FROM nodigest:1: the image resolved to no digest");
}

TEST(SolverTest, CacheKeysIgnoreProgressModeAndUnrelatedStageOrder) {
  // The same stage defined after a different set of unrelated stages keeps its keys.
  FakeBackend backend;
  backend.context["a"] = "A";
  FakeCacheStore cache;
  BuildResult one = MustSolve(PlanOf("FROM scratch AS app\nCOPY a /a\nRUN x\n"), &backend, &cache);
  testing::RecordingSink sink;
  SolveOptions options;
  options.progress = &sink;
  BuildResult two = MustSolve(
      PlanOf("FROM scratch AS tool\nRUN t\nFROM scratch AS app\nCOPY a /a\nRUN x\n", {}, "app"),
      &backend, &cache, options);
  EXPECT_EQ(one.final_key, two.final_key);
  EXPECT_EQ(two.stats.steps_executed, 0);
}

TEST(SolverTest, StepLabels) {
  frontend::Plan multi = PlanOf(kThreeStages);
  EXPECT_EQ(StepLabel(multi, multi.stages[2], 1), "[c 3/3] RUN make-c");
  frontend::Plan single = PlanOf("FROM scratch\nRUN a \\\n  b\n");
  EXPECT_EQ(StepLabel(single, single.stages[0], 0), "[2/2] RUN a b");
}

}  // namespace
}  // namespace distill::solver
