#include "runtime/container_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "runtime/lifecycle.h"
#include "runtime/log_file.h"

namespace distill::runtime {
namespace {

namespace fs = std::filesystem;

class ContainerStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/distill-containers-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string root_;
};

TEST_F(ContainerStoreTest, CreateFindAndRoundTrip) {
  auto cs = ContainerStore::Open(root_);
  ASSERT_TRUE(cs.ok());
  ContainerSpec spec;
  spec.image = "busybox";
  spec.image_digest = "sha256:" + std::string(64, 'a');
  spec.argv = {"sh", "-c", "exit 3"};
  spec.binds = {{"/src", "/dst", true}};
  spec.ports = {{"127.0.0.1", 8080, 80, "tcp"}};
  spec.limits.memory_bytes = 1 << 20;
  ASSERT_TRUE(cs->Create(&spec).ok());
  EXPECT_EQ(spec.id.size(), 64u);
  EXPECT_FALSE(spec.name.empty());
  auto loaded = cs->Load(spec.id);
  ASSERT_TRUE(loaded.ok()) << loaded.status().message();
  EXPECT_EQ(loaded->spec.argv, spec.argv);
  EXPECT_EQ(loaded->spec.ports, spec.ports);
  EXPECT_TRUE(loaded->spec.binds[0].readonly);
  EXPECT_EQ(loaded->state.status, ContainerStatus::kCreated);
  EXPECT_EQ(*cs->Find(spec.name), spec.id);
  EXPECT_EQ(*cs->Find(spec.id.substr(0, 12)), spec.id);
  EXPECT_EQ(cs->Find("nope").status().code(), Status::Code::kNotFound);

  ContainerSpec same = spec;
  same.id.clear();
  Status dup = cs->Create(&same);
  EXPECT_EQ(dup.code(), Status::Code::kAlreadyExists);
  EXPECT_NE(dup.message().find(spec.name), std::string::npos);
  ContainerSpec bad;
  bad.name = "no/slash";
  EXPECT_FALSE(cs->Create(&bad).ok());

  ContainerState st;
  st.status = ContainerStatus::kExited;
  st.exit_code = 3;
  st.ports = spec.ports;
  ASSERT_TRUE(cs->WriteState(spec.id, st).ok());
  auto again = cs->Load(spec.id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->state.exit_code, 3);
  EXPECT_EQ(again->state.ports, spec.ports);
  ASSERT_TRUE(cs->Remove(spec.id).ok());
  EXPECT_FALSE(fs::exists(cs->DirOf(spec.id)));
}

TEST_F(ContainerStoreTest, CorruptFilesAreErrorsNamingTheFile) {
  EXPECT_FALSE(SpecFromJson("{", "x/config.json").ok());
  auto v2 = StateFromJson(R"({"version": 2})", "x/state.json");
  ASSERT_FALSE(v2.ok());
  EXPECT_NE(v2.status().message().find("x/state.json"), std::string::npos);
  EXPECT_FALSE(StateFromJson(R"({"version": 1, "status": "weird"})", "s").ok());
}

TEST_F(ContainerStoreTest, UnsyncedStateAndStateLostInACrash) {
  auto cs = ContainerStore::Open(root_);
  ASSERT_TRUE(cs.ok());
  ContainerSpec spec;
  spec.name = "torn";
  spec.auto_remove = true;
  spec.interactive = true;
  spec.tty = true;
  ASSERT_TRUE(cs->Create(&spec).ok());
  auto created = cs->Load(spec.id);
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_TRUE(created->spec.interactive);
  EXPECT_TRUE(created->spec.tty);
  ContainerState st;
  st.status = ContainerStatus::kRunning;
  st.monitor_pid = 999999;
  ASSERT_TRUE(cs->WriteState(spec.id, st, ContainerStore::Durability::kAtomic).ok());
  EXPECT_EQ(cs->Load(spec.id)->state.status, ContainerStatus::kRunning);
  for (const auto& e : fs::directory_iterator(cs->DirOf(spec.id))) {
    EXPECT_EQ(e.path().string().find(".tmp-"), std::string::npos) << e.path();
  }
  // A power loss after an unsynced rename may leave an empty file.
  std::ofstream(cs->DirOf(spec.id) + "/state.json", std::ios::trunc);
  {
    auto lock = cs->LockMonitor(spec.id);
    ASSERT_TRUE(lock.ok());
    EXPECT_FALSE(cs->Load(spec.id).ok());  // a live monitor owns it: a real error
  }
  auto lost = cs->Load(spec.id);
  ASSERT_TRUE(lost.ok()) << lost.status().message();
  EXPECT_EQ(lost->state.status, ContainerStatus::kExited);
  EXPECT_NE(lost->state.error.find("lost in a crash"), std::string::npos);
  EXPECT_EQ(*cs->Find("torn"), spec.id);
  // A spec written before -i/-t existed still loads.
  EXPECT_TRUE(
      SpecFromJson(R"({"version":1,"id":"x","name":"n","image":"i","image_digest":"d","argv":[],)"
                   R"("env":[],"user":"","cwd":"/","binds":[],"network":"none","ports":[],)"
                   R"("memory_bytes":0,"cpus":0,"pids":0,"init":false,"readonly_rootfs":false,)"
                   R"("auto_remove":false,"stop_signal":"SIGTERM","created_ms":1})",
                   "old/config.json")
          .ok());
}

TEST_F(ContainerStoreTest, DeadMonitorIsReconciled) {
  auto cs = ContainerStore::Open(root_);
  ASSERT_TRUE(cs.ok());
  ContainerSpec spec;
  spec.name = "ghost";
  ASSERT_TRUE(cs->Create(&spec).ok());
  ContainerState st;
  st.status = ContainerStatus::kRunning;
  st.monitor_pid = 999999;
  ASSERT_TRUE(cs->WriteState(spec.id, st).ok());
  {
    // While the monitor lock is held, the container stays running.
    auto lock = cs->LockMonitor(spec.id);
    ASSERT_TRUE(lock.ok());
    EXPECT_TRUE(cs->MonitorAlive(spec.id));
    auto list = cs->List();
    ASSERT_TRUE(list.ok());
    EXPECT_EQ((*list)[0].state.status, ContainerStatus::kRunning);
  }
  EXPECT_FALSE(cs->MonitorAlive(spec.id));
  auto list = cs->List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].state.status, ContainerStatus::kExited);
  EXPECT_EQ((*list)[0].state.exit_code, 137);
  EXPECT_EQ(cs->Load(spec.id)->state.status, ContainerStatus::kExited);
}

TEST(ParseTest, VolumesEnvFilesBytes) {
  auto v = ParseVolume("/tmp:/data:ro");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->source, "/tmp");
  EXPECT_EQ(v->target, "/data");
  EXPECT_TRUE(v->readonly);
  EXPECT_FALSE(ParseVolume("/tmp:/data:rx").ok());
  EXPECT_FALSE(ParseVolume("named:/data").ok());
  EXPECT_FALSE(ParseVolume("/tmp:data").ok());
  EXPECT_FALSE(ParseVolume("/tmp").ok());
  EXPECT_EQ(ParseVolume("/no/such/dir:/d").status().code(), Status::Code::kNotFound);

  setenv("DISTILL_TEST_FROM_HOST", "yes", 1);
  auto env = ParseEnvFile("# comment\nA=1\n\n  B=two words\r\nDISTILL_TEST_FROM_HOST\nUNSET_X_Y\n",
                          "f.env");
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(*env, (std::vector<std::string>{"A=1", "B=two words", "DISTILL_TEST_FROM_HOST=yes"}));
  auto bad = ParseEnvFile("A=1\n=2\n", "f.env");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("f.env:2"), std::string::npos);

  EXPECT_EQ(*ParseBytes("1048576"), 1048576u);
  EXPECT_EQ(*ParseBytes("512m"), 512u << 20);
  EXPECT_EQ(*ParseBytes("1g"), 1u << 30);
  EXPECT_FALSE(ParseBytes("1x").ok());
  EXPECT_FALSE(ParseBytes("").ok());
  EXPECT_FALSE(ParseBytes("0").ok());
}

TEST(LogFileTest, FormatParseAndPump) {
  LogEntry e{"stderr", "a \"quoted\"\n", Rfc3339Nano(1700000000123456789LL)};
  EXPECT_EQ(e.time, "2023-11-14T22:13:20.123456789Z");
  std::string line = FormatLogEntry(e);
  EXPECT_EQ(line.back(), '\n');
  auto back = ParseLogEntry(line.substr(0, line.size() - 1));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->text, e.text);
  EXPECT_EQ(back->stream, "stderr");
  EXPECT_FALSE(ParseLogEntry("not json").ok());

  int out[2], err[2], logp[2];
  ASSERT_EQ(pipe(out), 0);
  ASSERT_EQ(pipe(err), 0);
  ASSERT_EQ(pipe(logp), 0);
  {
    LogPump pump(out[0], err[0], logp[1], -1, -1);
    ASSERT_EQ(write(out[1], "one\ntw", 6), 6);
    ASSERT_EQ(write(err[1], "oops\n", 5), 5);
    ASSERT_EQ(write(out[1], "o\nend", 5), 5);
    close(out[1]);
    close(err[1]);
    pump.Join();
  }
  close(logp[1]);
  std::string all;
  char buf[4096];
  ssize_t n;
  while ((n = read(logp[0], buf, sizeof(buf))) > 0) all.append(buf, static_cast<size_t>(n));
  close(logp[0]);
  std::vector<std::string> texts;
  size_t start = 0, nl;
  int stderr_lines = 0;
  while ((nl = all.find('\n', start)) != std::string::npos) {
    auto entry = ParseLogEntry(all.substr(start, nl - start));
    ASSERT_TRUE(entry.ok());
    if (entry->stream == "stderr") {
      ++stderr_lines;
    } else {
      texts.push_back(entry->text);
    }
    start = nl + 1;
  }
  EXPECT_EQ(stderr_lines, 1);
  EXPECT_EQ(texts, (std::vector<std::string>{"one\n", "two\n", "end"}));
}

}  // namespace
}  // namespace distill::runtime
