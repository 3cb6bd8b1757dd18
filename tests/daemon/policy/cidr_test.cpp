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

TEST(Cidr, RejectsMalformedText) {
  for (const char* bad : {"", "10.0.0.0/", "10.0.0.0/33", "::/129", "10.0.0/8", "10.0.0.0/8x",
                          "10.0.0.1/8", "fe80::1/10", "example.com/8", "10.0.0.0/-1"}) {
    EXPECT_FALSE(Cidr::parse(bad)) << bad;
  }
}

}  // namespace
}  // namespace wasi_socketd::policy
