#include "policy/address_class.h"

#include <gtest/gtest.h>

#include "policy/policy_loader.h"

namespace wasi_socketd::policy {
namespace {

boost::asio::ip::address ip(const char* text) { return boost::asio::ip::make_address(text); }

bool in_class(std::string_view word, const char* address) {
  for (const Cidr& network : class_networks(word)) {
    if (network.contains(ip(address))) return true;
  }
  return false;
}

struct Edges {
  const char* word;
  std::vector<const char*> inside;
  std::vector<const char*> outside;
};

// First and last address of every range, and the neighbours just outside it.
TEST(AddressClass, EveryClassMatchesAtItsEdges) {
  const std::vector<Edges> classes = {
      {"loopback",
       {"127.0.0.0", "127.255.255.255", "::1"},
       {"126.255.255.255", "128.0.0.0", "::2"}},
      {"link-local",
       {"169.254.0.0", "169.254.255.255", "fe80::", "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
       {"169.253.255.255", "169.255.0.0", "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "fec0::"}},
      {"private",
       {"10.0.0.0", "10.255.255.255", "172.16.0.0", "172.31.255.255", "192.168.0.0",
        "192.168.255.255", "100.64.0.0", "100.127.255.255",
        "fc00::", "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
       {"9.255.255.255", "11.0.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255",
        "192.169.0.0", "100.63.255.255", "100.128.0.0", "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        "fe00::"}},
      {"metadata",
       {"169.254.169.254", "fd00:ec2::254", "100.100.100.200"},
       {"169.254.169.253", "169.254.169.255", "fd00:ec2::253", "fd00:ec2::255", "100.100.100.199",
        "100.100.100.201"}},
      {"multicast",
       {"224.0.0.0", "239.255.255.255", "ff00::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
       {"223.255.255.255", "240.0.0.0", "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}},
  };
  for (const Edges& c : classes) {
    for (const char* address : c.inside)
      EXPECT_TRUE(in_class(c.word, address)) << c.word << " " << address;
    for (const char* address : c.outside)
      EXPECT_FALSE(in_class(c.word, address)) << c.word << " " << address;
  }
}

TEST(AddressClass, UnknownWordHasNoNetworks) {
  EXPECT_TRUE(class_networks("metdata").empty());
  EXPECT_TRUE(class_networks("").empty());
}

TEST(AddressClass, EveryClassParsesInARule) {
  const auto result = parse_policy(
      "[[tenant]]\nname = \"t\"\n[tenant.tcp]\n[[tenant.tcp.connect]]\n"
      "addresses = [\"loopback\", \"link-local\", \"private\", \"metadata\", \"multicast\", "
      "\"any\", "
      "\"unspecified\"]\n",
      "p.toml");
  ASSERT_TRUE(result.ok()) << result.error->to_string();
  const auto& rule = result.policy->tenants[0]->rules_for(Operation::tcp_connect)[0];
  EXPECT_TRUE(rule.matches(ip("169.254.169.254"), 80));
  EXPECT_TRUE(rule.matches(ip("fd00:ec2::254"), 80));
  EXPECT_TRUE(rule.matches(ip("ff02::1"), 80));
}

TEST(AddressClass, MetadataIsGuardedBeforeTheWiderLinkLocal) {
  EXPECT_EQ(protected_range(ip("169.254.169.254"))->class_name, "metadata");
  EXPECT_EQ(protected_range(ip("169.254.169.253"))->class_name, "link-local");
  EXPECT_EQ(protected_range(ip("fe80::1"))->class_name, "link-local");
  EXPECT_EQ(protected_range(ip("fd00:ec2::254"))->class_name, "metadata");
  EXPECT_EQ(protected_range(ip("100.100.100.200"))->class_name, "metadata");
  EXPECT_FALSE(protected_range(ip("100.100.100.201")));
  EXPECT_FALSE(protected_range(ip("10.0.0.1")));
  EXPECT_FALSE(protected_range(ip("127.0.0.1")));
}

TEST(AddressClass, Ipv4MappedAndCompatibleFormsAreGuardedAsIpv4) {
  for (const char* spelling : {"::ffff:169.254.169.254", "::169.254.169.254"}) {
    const auto guard = protected_range(ip(spelling));
    ASSERT_TRUE(guard) << spelling;
    EXPECT_EQ(guard->class_name, "metadata") << spelling;
  }
  EXPECT_EQ(protected_range(ip("::ffff:169.254.1.1"))->class_name, "link-local");
  EXPECT_EQ(protected_range(ip("::169.254.1.1"))->class_name, "link-local");
}

}  // namespace
}  // namespace wasi_socketd::policy
