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

TEST(AddressRule, WideAllowDoesNotReachProtectedClasses) {
  for (const char* wide : {"0.0.0.0/0", "169.254.0.0/15", "128.0.0.0/1"}) {
    const std::vector<AddressRule> rules = {rule("wide", kAllow, {wide, "::/0"})};
    const Decision metadata = evaluate(rules, ip("169.254.169.254"), 80, false);
    EXPECT_FALSE(metadata.allowed) << wide;
    EXPECT_EQ(metadata.rule, "protected.metadata") << wide;
    const Decision link_local = evaluate(rules, ip("fe80::1"), 80, false);
    EXPECT_FALSE(link_local.allowed) << wide;
    EXPECT_EQ(link_local.rule, "protected.link-local") << wide;
  }
  const std::vector<AddressRule> any = {rule("any", kAllow, {"0.0.0.0/0", "::/0"})};
  EXPECT_EQ(evaluate(any, ip("::ffff:169.254.169.254"), 80, false).rule, "protected.metadata");
  EXPECT_EQ(evaluate(any, ip("::169.254.169.254"), 80, false).rule, "protected.metadata");
  EXPECT_EQ(evaluate(any, ip("100.100.100.200"), 80, false).rule, "protected.metadata");
  EXPECT_EQ(evaluate(any, ip("fd00:ec2::254"), 80, false).rule, "protected.metadata");
  EXPECT_EQ(evaluate(any, ip("169.254.1.1"), 80, true).rule, "protected.link-local");
  EXPECT_TRUE(evaluate(any, ip("100.100.100.201"), 80, false).allowed);
  EXPECT_TRUE(evaluate(any, ip("10.0.0.1"), 80, false).allowed);
}

TEST(AddressRule, RuleNamingTheClassAllowsIt) {
  // The wide rule comes first and is passed over; the naming rule after it decides.
  const std::vector<AddressRule> rules = {rule("any", kAllow, {"0.0.0.0/0"}),
                                          rule("imds", kAllow, {"169.254.169.254"}),
                                          rule("ll", kAllow, {"169.254.0.0/16"})};
  EXPECT_EQ(evaluate(rules, ip("169.254.169.254"), 80, false).rule, "imds");
  EXPECT_EQ(evaluate(rules, ip("::ffff:169.254.169.254"), 80, false).rule, "imds");
  EXPECT_EQ(evaluate(rules, ip("169.254.1.1"), 80, false).rule, "ll");
  // Naming link-local does not name the metadata address inside it.
  const std::vector<AddressRule> link_local_only = {rule("ll", kAllow, {"169.254.0.0/16"})};
  EXPECT_EQ(evaluate(link_local_only, ip("169.254.169.254"), 80, false).rule, "protected.metadata");
  EXPECT_TRUE(evaluate(link_local_only, ip("169.254.169.253"), 80, false).allowed);
}

TEST(AddressRule, DenyStillWinsOverANamingRule) {
  const std::vector<AddressRule> rules = {rule("no-imds", kDeny, {"0.0.0.0/0"}),
                                          rule("imds", kAllow, {"169.254.169.254"})};
  EXPECT_EQ(evaluate(rules, ip("169.254.169.254"), 80, false).rule, "no-imds");
}

TEST(AddressRule, PrivilegedBindToProtectedAddressNeedsBoth) {
  const std::vector<AddressRule> rules = {rule("ll", kAllow, {"169.254.0.0/16"}),
                                          rule("ll-priv", kAllow, {"169.254.0.0/16"}, {}, true)};
  EXPECT_EQ(evaluate(rules, ip("169.254.1.1"), 80, true).rule, "ll-priv");
  const std::vector<AddressRule> wide_privileged = {rule("wide", kAllow, {"0.0.0.0/0"}, {}, true)};
  EXPECT_EQ(evaluate(wide_privileged, ip("169.254.1.1"), 80, true).rule, "protected.link-local");
}

}  // namespace
}  // namespace wasi_socketd::policy
