#include "exec/cgroups.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace distill::exec {
namespace {

const char kHybridMountinfo[] =
    "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
    "39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"
    "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
const char kHybridSelf[] = "9:name=systemd:/\n8:pids:/\n4:memory:/job/abc\n1:cpu:/\n0::/\n";

TEST(CgroupLayout, ParsesHybrid) {
  CgroupLayout l = ParseCgroupLayout(kHybridMountinfo, kHybridSelf);
  EXPECT_EQ(l.mode, CgroupMode::kHybrid);
  ASSERT_EQ(l.hierarchies.size(), 4u);  // name=systemd skipped
  const CgroupHierarchy* mem = l.Find("memory", "hugetlb\n");
  ASSERT_NE(mem, nullptr);
  EXPECT_FALSE(mem->unified);
  EXPECT_EQ(mem->own_dir, "/sys/fs/cgroup/memory/job/abc");
  const CgroupHierarchy* pids = l.Find("pids", "hugetlb\n");
  ASSERT_NE(pids, nullptr);
  EXPECT_EQ(pids->own_dir, "/sys/fs/cgroup/pids");
  // The unified hierarchy wins once it offers the controller.
  const CgroupHierarchy* v2 = l.Find("pids", "memory pids\n");
  ASSERT_NE(v2, nullptr);
  EXPECT_TRUE(v2->unified);
  EXPECT_EQ(l.Find("rdma", ""), nullptr);
}

TEST(CgroupLayout, JoinsOnlyTheHierarchiesWhereTheTargetSitsElsewhere) {
  CgroupLayout mine = ParseCgroupLayout(kHybridMountinfo, kHybridSelf);
  // A container limited in pids (v1) and memory (v1), unified untouched.
  CgroupLayout target = ParseCgroupLayout(
      kHybridMountinfo,
      "9:name=systemd:/\n8:pids:/distill/run-7-1\n4:memory:/job/abc/distill/run-7-1\n"
      "1:cpu:/\n0::/\n");
  std::vector<std::string> dirs = CgroupDirsToJoin(mine, target);
  ASSERT_EQ(dirs.size(), 2u);
  EXPECT_EQ(dirs[0], "/sys/fs/cgroup/memory/job/abc/distill/run-7-1");
  EXPECT_EQ(dirs[1], "/sys/fs/cgroup/pids/distill/run-7-1");
  EXPECT_TRUE(CgroupDirsToJoin(mine, mine).empty());
}

TEST(CgroupLayout, JoiningAGoneProcessIsAnError) {
  Status s = JoinCgroupsOf(999999999);
  EXPECT_FALSE(s.ok());
}

TEST(CgroupLayout, ParsesPureV2WithNamespacedRoot) {
  const char mountinfo[] =
      "25 1 0:22 /sub /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n";
  CgroupLayout l = ParseCgroupLayout(mountinfo, "0::/sub/me\n");
  EXPECT_EQ(l.mode, CgroupMode::kV2);
  ASSERT_EQ(l.hierarchies.size(), 1u);
  EXPECT_EQ(l.hierarchies[0].own_dir, "/sys/fs/cgroup/me");
}

TEST(CgroupLayout, ParsesV1WithJoinedControllersAndEscapes) {
  const char mountinfo[] =
      "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n"
      "32 30 0:29 / /mnt/my\\040cg rw - cgroup cgroup rw,pids\n";
  CgroupLayout l = ParseCgroupLayout(mountinfo, "3:cpu,cpuacct:/a\n2:pids:/\n");
  EXPECT_EQ(l.mode, CgroupMode::kV1);
  const CgroupHierarchy* cpu = l.Find("cpuacct", "");
  ASSERT_NE(cpu, nullptr);
  EXPECT_EQ(cpu->own_dir, "/sys/fs/cgroup/cpu,cpuacct/a");
  ASSERT_NE(l.Find("pids", ""), nullptr);
  EXPECT_EQ(l.Find("pids", "")->mount_point, "/mnt/my cg");
}

TEST(CgroupLayout, NoneAndGarbage) {
  CgroupLayout l = ParseCgroupLayout("garbage\n\n1 2 3\n", "nonsense");
  EXPECT_EQ(l.mode, CgroupMode::kNone);
  std::vector<std::string> warnings;
  ResourceLimits limits;
  limits.pids = 10;
  SandboxCgroup cg = SandboxCgroup::Create(l, limits, "t", &warnings);
  EXPECT_TRUE(cg.dirs().empty());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("pids limit not applied"), std::string::npos);
}

TEST(CgroupLayout, DetectsThisHost) {
  auto l = DetectCgroupLayout();
  ASSERT_TRUE(l.ok()) << l.status().message();
  // Whatever the host is, detection must agree with the mount table.
  bool v1 = false, v2 = false;
  for (const auto& h : l->hierarchies) (h.unified ? v2 : v1) = true;
  CgroupMode expected = v1 && v2 ? CgroupMode::kHybrid
                        : v1     ? CgroupMode::kV1
                        : v2     ? CgroupMode::kV2
                                 : CgroupMode::kNone;
  EXPECT_EQ(l->mode, expected);
  std::cout << "cgroup mode: " << CgroupModeName(l->mode) << "\n";
}

TEST(SandboxCgroup, PidsLimitAppliedOrWarned) {
  auto layout = DetectCgroupLayout();
  ASSERT_TRUE(layout.ok());
  ResourceLimits limits;
  limits.pids = 7;
  std::vector<std::string> warnings;
  std::string name = "test-" + std::to_string(getpid());
  std::vector<std::string> dirs;
  {
    SandboxCgroup cg = SandboxCgroup::Create(*layout, limits, name, &warnings);
    dirs = cg.dirs();
    if (dirs.empty()) {
      ASSERT_EQ(warnings.size(), 1u);
      GTEST_SKIP() << "no pids limit possible here: " << warnings[0];
    }
    EXPECT_TRUE(warnings.empty());
    std::ifstream in(dirs[0] + "/pids.max");
    std::string v;
    in >> v;
    EXPECT_EQ(v, "7");
    int go[2];
    ASSERT_EQ(pipe(go), 0);
    pid_t pid = fork();
    if (pid == 0) {
      char c;
      close(go[1]);
      (void)!read(go[0], &c, 1);
      _exit(0);
    }
    close(go[0]);
    Status st = cg.AddProcess(pid);
    EXPECT_TRUE(st.ok()) << st.message();
    std::ifstream procs(dirs[0] + "/cgroup.procs");
    std::stringstream ss;
    ss << procs.rdbuf();
    EXPECT_EQ(ss.str(), std::to_string(pid) + "\n");
    close(go[1]);
    waitpid(pid, nullptr, 0);
  }
  for (const auto& d : dirs) EXPECT_FALSE(std::filesystem::exists(d)) << d;
}

}  // namespace
}  // namespace distill::exec
