#include "distroless/busybox.h"

#include <gtest/gtest.h>

namespace distill::distroless {
namespace {

std::string Table(const std::vector<std::string>& names) {
  std::string t(1, '\0');
  for (const auto& n : names) t += n + std::string(1, '\0');
  return t + std::string(1, '\0');
}

std::vector<std::string> SampleApplets() {
  std::vector<std::string> names = {"[",     "[[",    "acpid", "ash",   "awk", "basename", "cat",
                                    "chmod", "cp",    "cut",   "date",  "dd",  "echo",     "env",
                                    "grep",  "head",  "ls",    "mkdir", "mv",  "rm",       "sed",
                                    "sh",    "sleep", "tail",  "test",  "wget"};
  return names;
}

TEST(BusyboxTest, FindsTheAppletTableInABinary) {
  std::string binary = std::string(
                           "\x7f"
                           "ELF garbage\0[\0not a table\0",
                           27) +
                       Table(SampleApplets()) + "more data";
  auto applets = BusyboxApplets(binary, "busybox-static");
  ASSERT_TRUE(applets.ok()) << applets.status().message();
  EXPECT_EQ(*applets, SampleApplets());
}

TEST(BusyboxTest, TableRightAfterOtherData) {
  // busybox 1.37 (trixie): no NUL before the table's "[".
  std::string binary =
      "\x7f"
      "ELF data \xae " +
      Table(SampleApplets()).substr(1) + "tail";
  auto applets = BusyboxApplets(binary, "busybox-static 1:1.37");
  ASSERT_TRUE(applets.ok()) << applets.status().message();
  EXPECT_EQ(*applets, SampleApplets());
}

TEST(BusyboxTest, NoTableIsAnErrorNamingTheSource) {
  auto none = BusyboxApplets("just bytes", "busybox-static 1:1.35");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().message().find("busybox-static 1:1.35"), std::string::npos);
  // A short or unsorted run is not taken for the table.
  auto shorty = BusyboxApplets(Table({"[", "[[", "sh"}), "x");
  EXPECT_FALSE(shorty.ok());
  auto names = SampleApplets();
  std::swap(names[5], names[6]);
  EXPECT_FALSE(BusyboxApplets(Table(names), "x").ok());
}

}  // namespace
}  // namespace distill::distroless
