#include "runtime/ps_text.h"

#include <gtest/gtest.h>

#include "runtime/names.h"
#include "runtime/signals.h"

namespace distill::runtime {
namespace {

TEST(PsTextTest, HumanDuration) {
  EXPECT_EQ(HumanDuration(300), "Less than a second");
  EXPECT_EQ(HumanDuration(1000), "1 second");
  EXPECT_EQ(HumanDuration(5500), "5 seconds");
  EXPECT_EQ(HumanDuration(61000), "About a minute");
  EXPECT_EQ(HumanDuration(3 * 60000), "3 minutes");
  EXPECT_EQ(HumanDuration(3600000), "About an hour");
  EXPECT_EQ(HumanDuration(5 * 3600000LL), "5 hours");
  EXPECT_EQ(HumanDuration(3 * 86400000LL), "3 days");
}

TEST(PsTextTest, StatusColumn) {
  ContainerState s;
  EXPECT_EQ(StatusColumn(s, 0), "Created");
  s.status = ContainerStatus::kRunning;
  s.started_ms = 1000;
  EXPECT_EQ(StatusColumn(s, 6000), "Up 5 seconds");
  s.status = ContainerStatus::kExited;
  s.exit_code = 3;
  s.finished_ms = 2000;
  EXPECT_EQ(StatusColumn(s, 5000), "Exited (3) 3 seconds ago");
  EXPECT_EQ(CreatedColumn(0, 120000), "2 minutes ago");
}

TEST(PsTextTest, CommandColumn) {
  EXPECT_EQ(CommandColumn({"sleep", "10"}), "\"sleep 10\"");
  EXPECT_EQ(CommandColumn({"sh", "-c", "exit 3"}), "\"sh -c 'exit 3'\"");
  EXPECT_EQ(CommandColumn({"sleep", "100000000000000000000"}), "\"sleep 1000000000000\u2026\"");
}

TEST(NamesTest, IdsAndNames) {
  auto id = RandomContainerId();
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->size(), 64u);
  EXPECT_EQ(id->find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(*id, *RandomContainerId());
  std::string name = RandomContainerName(12345);
  EXPECT_NE(name.find('_'), std::string::npos);
  EXPECT_TRUE(ValidateContainerName(name).ok());
  EXPECT_TRUE(ValidateContainerName("web-1.a_b").ok());
  EXPECT_FALSE(ValidateContainerName("").ok());
  EXPECT_FALSE(ValidateContainerName("-x").ok());
  EXPECT_FALSE(ValidateContainerName("a/b").ok());
}

TEST(SignalsTest, Parse) {
  EXPECT_EQ(*ParseSignal("SIGTERM"), 15);
  EXPECT_EQ(*ParseSignal("term"), 15);
  EXPECT_EQ(*ParseSignal("9"), 9);
  EXPECT_EQ(*ParseSignal("SIGQUIT"), 3);
  EXPECT_FALSE(ParseSignal("SIGNOPE").ok());
  EXPECT_FALSE(ParseSignal("0").ok());
  EXPECT_FALSE(ParseSignal("").ok());
}

}  // namespace
}  // namespace distill::runtime
