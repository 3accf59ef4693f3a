// Fakes of the solver's seams for unit tests: a Backend that "builds" by
// hashing what it is asked to do, and an in-memory CacheStore. Both are
// thread-safe and record what they were asked, so tests can assert on calls.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "solver/backend.h"
#include "solver/step_text.h"
#include "util/sha256.h"

namespace distill::solver::testing {

inline oci::Digest FakeDigest(const std::string& text) {
  return oci::Digest::Sha256Hex(Sha256::HexOf(text));
}

class FakeBackend : public Backend {
 public:
  using ExecuteHook =
      std::function<Result<StepOutcome>(const StepRequest&, const OutputFn&, CancelToken*)>;

  // Build context files by path; COPY sources are looked up here.
  std::map<std::string, std::string> context;
  // External images by reference.
  std::map<std::string, BaseImage> images;
  // When set, called instead of DefaultExecute (a hook may call it itself).
  ExecuteHook hook;

  Result<BaseImage> ResolveBase(const std::string& ref, const std::string& platform) override {
    std::lock_guard<std::mutex> lock(mu_);
    resolves_.push_back(ref + "@" + platform);
    auto it = images.find(ref);
    if (it == images.end()) return Status::NotFound("image \"" + ref + "\" not found");
    return it->second;
  }

  Result<std::vector<oci::Digest>> InputDigests(const StepRequest& r) override {
    std::vector<oci::Digest> out;
    if (const auto* copy = r.step->command.As<dockerfile::CopyCommand>()) {
      for (const std::string& source : copy->sources) {
        if (!copy->from.empty()) {
          // Another stage's files: the fake's "content" is that stage's final key.
          std::string from_key;
          for (const auto& [index, result] : r.reads) from_key += result->final_key;
          out.push_back(FakeDigest(from_key + ":" + source));
          continue;
        }
        std::lock_guard<std::mutex> lock(mu_);
        auto it = context.find(source);
        if (it == context.end()) {
          return Status::NotFound("\"" + source + "\" not found in the build context");
        }
        out.push_back(FakeDigest(source + "=" + it->second));
      }
    }
    if (const auto* run = r.step->command.As<dockerfile::RunCommand>()) {
      for (const dockerfile::Mount& m : run->mounts) {
        if (m.type != dockerfile::MountType::kBind) continue;
        std::lock_guard<std::mutex> lock(mu_);
        out.push_back(FakeDigest(m.source + "=" + context[m.source]));
      }
    }
    return out;
  }

  Result<StepOutcome> Execute(const StepRequest& r, const OutputFn& output,
                              CancelToken* cancel) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      executed_.push_back(Name(r));
      requests_.push_back(r);
      requests_.back().reads.clear();  // the pointers do not outlive the build
      requests_.back().parent = nullptr;
    }
    if (hook) return hook(r, output, cancel);
    return DefaultExecute(r, output);
  }

  // "name: RUN make" for stage `name` (or "stage-N").
  static std::string Name(const StepRequest& r) {
    std::string stage =
        r.stage->name.empty() ? "stage-" + std::to_string(r.stage->index) : r.stage->name;
    return stage + ": " + StepSummary(*r.step);
  }

  // Prints a line and makes a layer whose content depends on the step and its parent.
  static Result<StepOutcome> DefaultExecute(const StepRequest& r, const OutputFn& output) {
    output("doing " + StepSummary(*r.step));
    std::string content = r.parent->chain_id.str() + "|" + StepSummary(*r.step);
    for (const auto& [k, v] : r.env) content += "|" + k + "=" + v;
    LayerRef layer;
    layer.diff_id = FakeDigest("diff:" + content);
    layer.blob.media_type = "application/vnd.oci.image.layer.v1.tar+gzip";
    layer.blob.digest = FakeDigest("blob:" + content);
    layer.blob.size = static_cast<int64_t>(content.size());
    return StepOutcome{layer};
  }

  std::vector<std::string> executed() const {
    std::lock_guard<std::mutex> lock(mu_);
    return executed_;
  }
  std::vector<StepRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  std::vector<std::string> resolves() const {
    std::lock_guard<std::mutex> lock(mu_);
    return resolves_;
  }
  void ClearLog() {
    std::lock_guard<std::mutex> lock(mu_);
    executed_.clear();
    requests_.clear();
    resolves_.clear();
  }

 private:
  mutable std::mutex mu_;
  std::vector<std::string> executed_;
  std::vector<StepRequest> requests_;
  std::vector<std::string> resolves_;
};

class FakeCacheStore : public CacheStore {
 public:
  // Called after every lookup (outside the lock), with the key.
  std::function<void(const std::string&)> on_lookup;

  Result<std::optional<CacheRecord>> Lookup(const std::string& key) override {
    std::optional<CacheRecord> found;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++lookups_;
      auto it = records_.find(key);
      if (it != records_.end()) found = it->second;
    }
    if (on_lookup) on_lookup(key);
    return found;
  }
  Status Record(const std::string& key, const CacheRecord& record) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++records_written_;
    records_[key] = record;
    return Status::Ok();
  }
  int lookups() const {
    std::lock_guard<std::mutex> lock(mu_);
    return lookups_;
  }
  int records_written() const {
    std::lock_guard<std::mutex> lock(mu_);
    return records_written_;
  }
  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return records_.size();
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, CacheRecord> records_;
  int lookups_ = 0;
  int records_written_ = 0;
};

// A clock tests advance by hand.
class FakeClock : public Clock {
 public:
  int64_t NowNanos() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  void Advance(int64_t ns) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += ns;
  }

 private:
  mutable std::mutex mu_;
  int64_t now_ = 0;
};

// Collects events (thread-safe).
class RecordingSink : public ProgressSink {
 public:
  void OnEvent(const ProgressEvent& event) override {
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back(event);
  }
  std::vector<ProgressEvent> events() const {
    std::lock_guard<std::mutex> lock(mu_);
    return events_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<ProgressEvent> events_;
};

}  // namespace distill::solver::testing
