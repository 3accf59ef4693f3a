#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "solver/json_progress.h"
#include "solver/plain_progress.h"
#include "solver/progress_mode.h"
#include "solver/testing_fakes.h"
#include "solver/tty_progress.h"

namespace distill::solver {
namespace {

constexpr int64_t kMs = 1000000;

ProgressEvent Ev(ProgressKind kind, int64_t time_ms, int id, int stage, std::string label,
                 std::string text = "", int64_t duration_ms = 0) {
  ProgressEvent e;
  e.kind = kind;
  e.time_ns = time_ms * kMs;
  e.id = id;
  e.stage = stage;
  e.label = std::move(label);
  e.text = std::move(text);
  e.duration_ns = duration_ms * kMs;
  return e;
}

// A small build: a cached COPY, a RUN that prints and succeeds, a RUN that fails.
std::vector<ProgressEvent> Script() {
  using K = ProgressKind;
  return {
      Ev(K::kStageStarted, 0, 0, 0, "[build 1/4] FROM golang:1.22"),
      Ev(K::kStepCached, 10, 1, 0, "[build 2/4] COPY go.mod /src/"),
      Ev(K::kStepStarted, 20, 2, 0, "[build 3/4] RUN go mod download"),
      Ev(K::kStepOutput, 532, 2, 0, "[build 3/4] RUN go mod download", "go: downloading x"),
      Ev(K::kStepFinished, 1220, 2, 0, "[build 3/4] RUN go mod download", "", 1200),
      Ev(K::kStepStarted, 1300, 3, 0, "[build 4/4] RUN make"),
      Ev(K::kStepOutput, 1400, 3, 0, "[build 4/4] RUN make", "make: *** [all] Error 2"),
      Ev(K::kStepFailed, 1500, 3, 0, "[build 4/4] RUN make", "Dockerfile:5: RUN make: exit code 2",
         200),
      Ev(K::kBuildFinished, 1600, 0, -1, "", "Dockerfile:5: RUN make: exit code 2", 1600),
  };
}

TEST(PlainProgressTest, OneLinePerEvent) {
  std::ostringstream out;
  PlainProgress plain(&out);
  for (const ProgressEvent& e : Script()) plain.OnEvent(e);
  EXPECT_EQ(out.str(),
            "=> [build 1/4] FROM golang:1.22\n"
            "#1 [build 2/4] COPY go.mod /src/\n"
            "#1 CACHED\n"
            "#2 [build 3/4] RUN go mod download\n"
            "#2 0.512 go: downloading x\n"
            "#2 DONE 1.2s\n"
            "#3 [build 4/4] RUN make\n"
            "#3 0.100 make: *** [all] Error 2\n"
            "#3 ERROR: Dockerfile:5: RUN make: exit code 2\n"
            "Build failed after 1.6s: Dockerfile:5: RUN make: exit code 2\n");
}

TEST(PlainProgressTest, SuccessSummary) {
  std::ostringstream out;
  PlainProgress plain(&out);
  plain.OnEvent(Ev(ProgressKind::kStepCached, 0, 1, 0, "[2/2] COPY a /a"));
  plain.OnEvent(Ev(ProgressKind::kBuildFinished, 75000, 0, -1, "", "", 75049));
  EXPECT_EQ(out.str(),
            "#1 [2/2] COPY a /a\n#1 CACHED\nBuild finished in 75.0s (0 steps run, 1 cached)\n");
}

TEST(JsonProgressTest, OneObjectPerLine) {
  std::ostringstream out;
  JsonProgress json(&out);
  std::vector<ProgressEvent> script = Script();
  for (const ProgressEvent& e : script) json.OnEvent(e);
  std::istringstream lines(out.str());
  std::string line;
  std::vector<nlohmann::json> parsed;
  while (std::getline(lines, line)) parsed.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(parsed.size(), script.size());
  EXPECT_EQ(ProgressEventJson(script[3]),
            R"({"event":"step_output","time_ns":532000000,"id":2,"stage":0,)"
            R"("label":"[build 3/4] RUN go mod download","text":"go: downloading x"})");
  EXPECT_EQ(parsed[4]["event"], "step_finished");
  EXPECT_EQ(parsed[4]["duration_ns"], 1200 * kMs);
  EXPECT_EQ(parsed.back()["event"], "build_finished");
  EXPECT_FALSE(parsed.back().contains("stage"));
  EXPECT_EQ(parsed.back()["text"], "Dockerfile:5: RUN make: exit code 2");
}

TEST(JsonProgressTest, InvalidUtf8OutputStillParses) {
  std::string line = ProgressEventJson(
      Ev(ProgressKind::kStepOutput, 1, 1, 0, "[2/2] RUN x", std::string("bad \xff byte")));
  nlohmann::json j = nlohmann::json::parse(line);
  EXPECT_EQ(j["text"], "bad \xEF\xBF\xBD byte");
}

TEST(TtyProgressTest, FramesCollapseFinishedStepsAndShowRunningOutput) {
  testing::FakeClock clock;
  std::ostringstream out;
  TtyProgressOptions options;
  options.width = 60;
  options.tail_lines = 2;
  TtyProgress tty(&out, &clock, options);
  std::vector<ProgressEvent> script = Script();
  for (size_t i = 0; i < 4; ++i) tty.OnEvent(script[i]);  // up to the first output line
  tty.OnEvent(Ev(ProgressKind::kStepOutput, 600, 2, 0, "", "go: downloading y"));
  tty.OnEvent(Ev(ProgressKind::kStepOutput, 700, 2, 0, "", "go: downloading z"));
  EXPECT_EQ(tty.Frame(900 * kMs),
            (std::vector<std::string>{
                "[+] Building 0.9s (1/2)",
                " => [build 1/4] FROM golang:1.22                        0.0s",
                " => CACHED [build 2/4] COPY go.mod /src/                0.0s",
                " => [build 3/4] RUN go mod download                     0.8s",
                " => => # go: downloading y",
                " => => # go: downloading z",
            }));
  for (size_t i = 4; i < script.size(); ++i) tty.OnEvent(script[i]);
  EXPECT_EQ(tty.Frame(5000 * kMs),
            (std::vector<std::string>{
                "[+] Building 1.6s (3/3) FAILED",
                " => [build 1/4] FROM golang:1.22                        0.0s",
                " => CACHED [build 2/4] COPY go.mod /src/                0.0s",
                " => [build 3/4] RUN go mod download                     1.2s",
                " => ERROR [build 4/4] RUN make                          0.2s",
                " => => # make: *** [all] Error 2",
                "ERROR: Dockerfile:5: RUN make: exit code 2",
            }));
}

TEST(TtyProgressTest, LongLabelsAreCutToTheWidth) {
  testing::FakeClock clock;
  std::ostringstream out;
  TtyProgressOptions options;
  options.width = 30;
  TtyProgress tty(&out, &clock, options);
  tty.OnEvent(Ev(ProgressKind::kStepStarted, 0, 1, 0, "[2/2] RUN échoéchoéchoéchoécho"));
  std::vector<std::string> frame = tty.Frame(1500 * kMs);
  ASSERT_EQ(frame.size(), 2u);
  // 30 columns: the label keeps 25 (one space before the time).
  EXPECT_EQ(frame[1], " => [2/2] RUN échoéchoéch 1.5s");
  EXPECT_EQ(frame[1].size(), 30u + 3u);  // the three two-byte characters kept
}

TEST(TtyProgressTest, RedrawsOverThePreviousFrame) {
  // 40 columns: " => [2/2] RUN x" (15), padding, "0.0s" (4).
  auto row = [](const char* time) {
    return "\r => [2/2] RUN x" + std::string(21, ' ') + time + "\x1b[K\n";
  };
  testing::FakeClock clock;
  std::ostringstream out;
  TtyProgressOptions options;
  options.width = 40;
  TtyProgress tty(&out, &clock, options);
  tty.OnEvent(Ev(ProgressKind::kStepStarted, 0, 1, 0, "[2/2] RUN x"));
  EXPECT_EQ(out.str(), "\r[+] Building 0.0s (0/1)\x1b[K\n" + row("0.0s"));
  out.str("");
  // Output right after a redraw waits for the next one (throttled).
  tty.OnEvent(Ev(ProgressKind::kStepOutput, 10, 1, 0, "", "hello"));
  EXPECT_EQ(out.str(), "");
  clock.Advance(300 * kMs);
  tty.Tick();
  EXPECT_EQ(out.str(), std::string("\x1b[2A") + "\r[+] Building 0.3s (0/1)\x1b[K\n" + row("0.3s") +
                           "\r => => # hello\x1b[K\n");
  out.str("");
  tty.OnEvent(Ev(ProgressKind::kStepFinished, 400, 1, 0, "", "", 400));
  EXPECT_EQ(out.str(),
            std::string("\x1b[3A") + "\r[+] Building 0.4s (1/1)\x1b[K\n" + row("0.4s") + "\x1b[J");
}

TEST(TtyProgressTest, ConcurrentEventsAreSafe) {
  testing::FakeClock clock;
  std::ostringstream out;
  TtyProgress tty(&out, &clock);
  std::vector<std::thread> threads;
  for (int t = 1; t <= 4; ++t) {
    threads.emplace_back([&tty, t] {
      tty.OnEvent(Ev(ProgressKind::kStepStarted, 0, t, t, "[s 2/2] RUN " + std::to_string(t)));
      for (int i = 0; i < 100; ++i) {
        tty.OnEvent(Ev(ProgressKind::kStepOutput, i, t, t, "", "line " + std::to_string(i)));
      }
      tty.OnEvent(Ev(ProgressKind::kStepFinished, 200, t, t, "", "", 200));
    });
  }
  for (auto& t : threads) t.join();
  std::vector<std::string> frame = tty.Frame(300 * kMs);
  ASSERT_EQ(frame.size(), 5u);  // header + 4 collapsed steps
  EXPECT_EQ(frame[0], "[+] Building 0.3s (4/4)");
}

TEST(ProgressModeTest, ParseAndChoose) {
  EXPECT_EQ(*ParseProgressMode("plain"), ProgressMode::kPlain);
  EXPECT_EQ(*ParseProgressMode("json"), ProgressMode::kJson);
  auto bad = ParseProgressMode("fancy");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "--progress=fancy: unknown progress mode (use auto, plain, tty, json or quiet)");
  testing::FakeClock clock;
  std::ostringstream out;
  auto piped = MakeProgressSink(ProgressMode::kAuto, &out, false, &clock);
  EXPECT_NE(dynamic_cast<PlainProgress*>(piped.get()), nullptr);
  auto terminal = MakeProgressSink(ProgressMode::kAuto, &out, true, &clock);
  EXPECT_NE(dynamic_cast<TtyProgress*>(terminal.get()), nullptr);
  auto quiet = MakeProgressSink(ProgressMode::kQuiet, &out, true, &clock);
  quiet->OnEvent(Ev(ProgressKind::kStepStarted, 0, 1, 0, "x"));
  EXPECT_EQ(out.str(), "");
}

TEST(ProgressTest, FormatSeconds) {
  EXPECT_EQ(FormatSeconds(0), "0.0s");
  EXPECT_EQ(FormatSeconds(-5), "0.0s");
  EXPECT_EQ(FormatSeconds(1249 * kMs), "1.2s");
  EXPECT_EQ(FormatSeconds(75049 * kMs), "75.0s");
}

}  // namespace
}  // namespace distill::solver
