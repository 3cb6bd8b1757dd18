#include "policy/cidr.h"

#include <gtest/gtest.h>

namespace wasi_socketd::policy {
namespace {

boost::asio::ip::address ip(const char* text) { return boost::asio::ip::make_address(text); }

TEST(Cidr, Ipv4PrefixMatchesInsideAndNotOutside) {
  const auto net = Cidr::parse("10.1.0.0/16");
  ASSERT_TRUE(net);
  EXPECT_TRUE(net->contains(ip("10.1.255.7")));
  EXPECT_FALSE(net->contains(ip("10.2.0.1")));
  EXPECT_EQ(net->to_string(), "10.1.0.0/16");
}

TEST(Cidr, Ipv4PrefixThatIsNotAByteBoundary) {
  const auto net = Cidr::parse("192.168.4.0/22");
  ASSERT_TRUE(net);
  EXPECT_TRUE(net->contains(ip("192.168.7.255")));
  EXPECT_FALSE(net->contains(ip("192.168.8.0")));
}

TEST(Cidr, Ipv6PrefixMatchesInsideAndNotOutside) {
  const auto net = Cidr::parse("2001:db8:abcd::/48");
  ASSERT_TRUE(net);
  EXPECT_TRUE(net->contains(ip("2001:db8:abcd:12::1")));
  EXPECT_FALSE(net->contains(ip("2001:db8:abce::1")));
}

TEST(Cidr, BareAddressIsASingleHost) {
  EXPECT_TRUE(Cidr::parse("::1")->contains(ip("::1")));
  EXPECT_FALSE(Cidr::parse("::1")->contains(ip("::2")));
  EXPECT_TRUE(Cidr::parse("127.0.0.1")->contains(ip("127.0.0.1")));
  EXPECT_FALSE(Cidr::parse("127.0.0.1")->contains(ip("127.0.0.2")));
}

TEST(Cidr, ZeroPrefixMatchesItsWholeFamilyOnly) {
  EXPECT_TRUE(Cidr::parse("0.0.0.0/0")->contains(ip("8.8.8.8")));
  EXPECT_FALSE(Cidr::parse("0.0.0.0/0")->contains(ip("2001:db8::1")));
  EXPECT_TRUE(Cidr::parse("::/0")->contains(ip("2001:db8::1")));
  EXPECT_FALSE(Cidr::parse("::/0")->contains(ip("8.8.8.8")));
}

TEST(Cidr, Ipv4MappedIpv6IsMatchedAsIpv4) {
  EXPECT_TRUE(Cidr::parse("10.0.0.0/8")->contains(ip("::ffff:10.9.9.9")));
  EXPECT_FALSE(Cidr::parse("127.0.0.0/8")->contains(ip("::ffff:10.9.9.9")));
}

TEST(Cidr, Ipv4CompatibleIpv6IsMatchedAsIpv4) {
  EXPECT_TRUE(Cidr::parse("169.254.169.254")->contains(ip("::169.254.169.254")));
  EXPECT_FALSE(Cidr::parse("::/96")->contains(ip("::169.254.169.254")));
  // :: and ::1 are IPv6's own, not IPv4-compatible forms of 0.0.0.0 and 0.0.0.1.
  EXPECT_TRUE(Cidr::parse("::1")->contains(ip("::1")));
  EXPECT_FALSE(Cidr::parse("0.0.0.1")->contains(ip("::1")));
  EXPECT_TRUE(Cidr::parse("::")->contains(ip("::")));
  EXPECT_FALSE(Cidr::parse("0.0.0.0")->contains(ip("::")));
}

TEST(Cidr, Ipv4NetworkWrittenTheIpv6WayIsTheIpv4Network) {
  EXPECT_EQ(Cidr::parse("::ffff:10.0.0.0/104")->to_string(), "10.0.0.0/8");
  EXPECT_TRUE(Cidr::parse("::ffff:10.0.0.0/104")->contains(ip("10.1.2.3")));
  EXPECT_TRUE(Cidr::parse("::ffff:10.0.0.0/104")->contains(ip("::ffff:10.1.2.3")));
  EXPECT_EQ(Cidr::parse("::169.254.169.254")->to_string(), "169.254.169.254/32");
}

TEST(Cidr, WithinIsWholeContainment) {
  const Cidr link_local = *Cidr::parse("169.254.0.0/16");
  EXPECT_TRUE(Cidr::parse("169.254.0.0/16")->within(link_local));
  EXPECT_TRUE(Cidr::parse("169.254.169.254")->within(link_local));
  EXPECT_TRUE(Cidr::parse("::ffff:169.254.169.254")->within(link_local));
  EXPECT_FALSE(Cidr::parse("169.254.0.0/15")->within(link_local));
  EXPECT_FALSE(Cidr::parse("0.0.0.0/0")->within(link_local));
  EXPECT_FALSE(Cidr::parse("::/0")->within(link_local));
  EXPECT_FALSE(Cidr::parse("169.254.169.254")->within(*Cidr::parse("169.254.169.255")));
}

TEST(Cidr, RejectsMalformedText) {
  for (const char* bad : {"", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0/8", "10.0.0.0/8x",
                          "10.0.0.1/8", "fe80::1/10", "example.com/8", "10.0.0.0/-1"}) {
    EXPECT_FALSE(Cidr::parse(bad)) << bad;
  }
}

TEST(Cidr, ExplainsEachFaultDifferently) {
  const auto fault_of = [](const char* text) {
    std::string fault;
    EXPECT_FALSE(Cidr::parse(text, &fault)) << text;
    return fault;
  };
  EXPECT_EQ(fault_of("10.0.0.0/33"),
            "'10.0.0.0/33' has prefix length 33, out of range: an IPv4 prefix is 0-32");
  EXPECT_EQ(fault_of("::1/200"),
            "'::1/200' has prefix length 200, out of range: an IPv6 prefix is 0-128");
  EXPECT_EQ(fault_of("10.0.0/8"),
            "'10.0.0/8' is not an address: '10.0.0' has fewer than four parts; write all four, "
            "such as '10.0.0.0/8'");
  EXPECT_EQ(fault_of("192.168.1.5/24"),
            "'192.168.1.5/24' has host bits set: give the network address '192.168.1.0/24', or "
            "'192.168.1.5' alone for the one address");
  EXPECT_EQ(fault_of("fe80::1/10"),
            "'fe80::1/10' has host bits set: give the network address 'fe80::/10', or 'fe80::1' "
            "alone for the one address");
  EXPECT_EQ(fault_of("10.0.0.0/-1"),
            "'10.0.0.0/-1' has no prefix length after '/': write a number 0-32");
}

}  // namespace
}  // namespace wasi_socketd::policy
