#include "policy/address_rule.h"

#include <gtest/gtest.h>

namespace wasi_socketd::policy {
namespace {

boost::asio::ip::address ip(const char* text) { return boost::asio::ip::make_address(text); }

AddressRule rule(const char* label, AddressRule::Action action, std::vector<const char*> networks,
                 std::vector<PortRange> ports = {}, bool privileged = false) {
  AddressRule out;
  out.label = label;
  out.action = action;
  for (const char* n : networks) out.networks.push_back(*Cidr::parse(n));
  out.ports = std::move(ports);
  out.privileged = privileged;
  return out;
}

constexpr auto kAllow = AddressRule::Action::allow;
constexpr auto kDeny = AddressRule::Action::deny;

TEST(AddressRule, FirstMatchingRuleWins) {
  const std::vector<AddressRule> rules = {rule("deny-db", kDeny, {"10.0.0.5"}),
                                          rule("allow-10", kAllow, {"10.0.0.0/8"})};
  EXPECT_EQ(evaluate(rules, ip("10.0.0.5"), 80, false).rule, "deny-db");
  EXPECT_FALSE(evaluate(rules, ip("10.0.0.5"), 80, false).allowed);
  EXPECT_TRUE(evaluate(rules, ip("10.0.0.6"), 80, false).allowed);
  EXPECT_EQ(evaluate(rules, ip("10.0.0.6"), 80, false).rule, "allow-10");
}

TEST(AddressRule, NoMatchIsDefaultDeny) {
  const std::vector<AddressRule> rules = {rule("allow-10", kAllow, {"10.0.0.0/8"})};
  const Decision decision = evaluate(rules, ip("11.0.0.1"), 80, false);
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(decision.rule, "default-deny");
  EXPECT_FALSE(evaluate({}, ip("::1"), 1, false).allowed);
}

TEST(AddressRule, PortRangesRestrictTheRule) {
  const std::vector<AddressRule> rules = {
      rule("web", kAllow, {"0.0.0.0/0"}, {PortRange{80, 80}, PortRange{8000, 8999}})};
  EXPECT_TRUE(evaluate(rules, ip("1.2.3.4"), 80, false).allowed);
  EXPECT_TRUE(evaluate(rules, ip("1.2.3.4"), 8500, false).allowed);
  EXPECT_FALSE(evaluate(rules, ip("1.2.3.4"), 443, false).allowed);
}

TEST(AddressRule, FamilyFilterUsesTheAddressAsGiven) {
  AddressRule v6_only;
  v6_only.label = "v6";
  v6_only.family = FamilyFilter::ipv6;
  EXPECT_TRUE(evaluate({v6_only}, ip("2001:db8::1"), 1, false).allowed);
  EXPECT_FALSE(evaluate({v6_only}, ip("192.0.2.1"), 1, false).allowed);
  AddressRule v4_only;
  v4_only.family = FamilyFilter::ipv4;
  EXPECT_TRUE(evaluate({v4_only}, ip("192.0.2.1"), 1, false).allowed);
  EXPECT_FALSE(evaluate({v4_only}, ip("::1"), 1, false).allowed);
}

TEST(AddressRule, PrivilegedBindNeedsAGrant) {
  const std::vector<AddressRule> plain = {rule("lo", kAllow, {"127.0.0.0/8"})};
  EXPECT_TRUE(evaluate(plain, ip("127.0.0.1"), 8080, true).allowed);
  EXPECT_TRUE(evaluate(plain, ip("127.0.0.1"), 0, true).allowed);
  const Decision refused = evaluate(plain, ip("127.0.0.1"), 80, true);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.rule, "privileged-port");
  // Not a bind: the grant is irrelevant (connecting to port 80 is ordinary).
  EXPECT_TRUE(evaluate(plain, ip("127.0.0.1"), 80, false).allowed);

  const std::vector<AddressRule> lent = {
      rule("lo", kAllow, {"127.0.0.0/8"}),
      rule("http", kAllow, {"127.0.0.1"}, {PortRange{80, 80}}, true)};
  const Decision granted = evaluate(lent, ip("127.0.0.1"), 80, true);
  EXPECT_TRUE(granted.allowed);
  EXPECT_EQ(granted.rule, "http");
  EXPECT_FALSE(evaluate(lent, ip("127.0.0.1"), 81, true).allowed);
}

}  // namespace
}  // namespace wasi_socketd::policy
