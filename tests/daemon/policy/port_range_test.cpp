#include "policy/port_range.h"

#include <gtest/gtest.h>

namespace wasi_socketd::policy {
namespace {

TEST(PortRange, SingleAndRange) {
  EXPECT_TRUE(PortRange::parse("443")->contains(443));
  EXPECT_FALSE(PortRange::parse("443")->contains(444));
  const auto range = PortRange::parse("8000-8999");
  ASSERT_TRUE(range);
  EXPECT_TRUE(range->contains(8000));
  EXPECT_TRUE(range->contains(8999));
  EXPECT_FALSE(range->contains(9000));
  EXPECT_EQ(range->to_string(), "8000-8999");
}

TEST(PortRange, RejectsOutOfRangeReversedAndGarbage) {
  for (const char* bad : {"", "65536", "10-5", "-5", "5-", "a", "1-2-3", " 80"}) {
    EXPECT_FALSE(PortRange::parse(bad)) << bad;
  }
  EXPECT_FALSE(PortRange::single(-1));
  EXPECT_FALSE(PortRange::single(70000));
  EXPECT_TRUE(PortRange::single(65535));
}

TEST(PortRange, ExplainsTheFaultQuotingTheValue) {
  std::string fault;
  EXPECT_FALSE(PortRange::parse("10-5", &fault));
  EXPECT_EQ(fault, "port range '10-5' is reversed (10 > 5): write \"5-10\"");
  EXPECT_FALSE(PortRange::parse("65536", &fault));
  EXPECT_EQ(fault, "port 65536 is out of range: a port is 0-65535");
  EXPECT_FALSE(PortRange::single(-1, &fault));
  EXPECT_EQ(fault, "port -1 is out of range: a port is 0-65535");
  EXPECT_FALSE(PortRange::parse("1-2-3", &fault));
  EXPECT_EQ(fault, "'1-2-3' is not a port: write a number 0-65535 or a range \"N-M\"");
}

TEST(PortRange, PrivilegedPortsAreOneTo1023) {
  EXPECT_FALSE(is_privileged_port(0));
  EXPECT_TRUE(is_privileged_port(1));
  EXPECT_TRUE(is_privileged_port(1023));
  EXPECT_FALSE(is_privileged_port(1024));
}

}  // namespace
}  // namespace wasi_socketd::policy
