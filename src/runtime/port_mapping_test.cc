#include "runtime/port_mapping.h"

#include <gtest/gtest.h>

namespace distill::runtime {
namespace {

TEST(PortMappingTest, Forms) {
  auto a = ParsePortMapping("8080");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, (PortMapping{"0.0.0.0", 0, 8080, "tcp"}));
  auto b = ParsePortMapping("80:8080");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, (PortMapping{"0.0.0.0", 80, 8080, "tcp"}));
  auto c = ParsePortMapping("127.0.0.1:5353:53/udp");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*c, (PortMapping{"127.0.0.1", 5353, 53, "udp"}));
  auto d = ParsePortMapping("127.0.0.1::9000");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, (PortMapping{"127.0.0.1", 0, 9000, "tcp"}));
}

TEST(PortMappingTest, BadInput) {
  for (const char* bad : {"", "abc", "0", "70000", "80:0", "80:8080/sctp", "1.2.3:80:80",
                          "host:80:80", "80:", ":80x"}) {
    EXPECT_FALSE(ParsePortMapping(bad).ok()) << bad;
  }
  auto s = ParsePortMapping("80:8080/sctp");
  EXPECT_NE(s.status().message().find("80:8080/sctp"), std::string::npos);
}

TEST(PortMappingTest, ExposedAndFormatting) {
  auto m = MappingsForExposedPorts({"80/tcp", "53/udp"});
  ASSERT_TRUE(m.ok());
  ASSERT_EQ(m->size(), 2u);
  EXPECT_EQ((*m)[0].container_port, 53);
  EXPECT_EQ((*m)[0].protocol, "udp");
  EXPECT_EQ((*m)[1].host_port, 0);
  EXPECT_FALSE(MappingsForExposedPorts({"1:80/tcp"}).ok());
  PortMapping p{"0.0.0.0", 49153, 8080, "tcp"};
  EXPECT_EQ(FormatPortLine(p), "8080/tcp -> 0.0.0.0:49153");
  EXPECT_EQ(FormatPortsColumn({p, {"127.0.0.1", 53, 53, "udp"}}),
            "0.0.0.0:49153->8080/tcp, 127.0.0.1:53->53/udp");
}

}  // namespace
}  // namespace distill::runtime
