// Every policy error quotes the bad value, names the fault, the fix, and the tenant it is in:
// the whole message is asserted, so a regression to a vaguer text fails here.
#include <gtest/gtest.h>

#include "policy/policy_loader.h"

namespace wasi_socketd::policy {
namespace {

std::string error_of(const std::string& text) {
  const LoadResult result = parse_policy(text, "p.toml");
  EXPECT_FALSE(result.ok());
  return result.error ? result.error->to_string() : "";
}

std::string connect_rule(const std::string& body) {
  return "[[tenant]]\nname = \"web\"\n[tenant.tcp]\n[[tenant.tcp.connect]]\n" + body + "\n";
}

TEST(PolicyErrorMessages, HostBitsSetGivesTheNetworkAddress) {
  EXPECT_EQ(error_of(connect_rule("addresses = [\"127.0.0.1/8\"]")),
            "p.toml:5:14: '127.0.0.1/8' has host bits set: give the network address "
            "'127.0.0.0/8', or '127.0.0.1' alone for the one address in rule "
            "web.tcp.connect[0]");
  EXPECT_EQ(error_of(connect_rule("addresses = [\"2001:db8::1/32\"]")),
            "p.toml:5:14: '2001:db8::1/32' has host bits set: give the network address "
            "'2001:db8::/32', or '2001:db8::1' alone for the one address in rule "
            "web.tcp.connect[0]");
}

TEST(PolicyErrorMessages, PrefixTooLongForTheFamily) {
  EXPECT_EQ(error_of(connect_rule("addresses = [\"10.0.0.0/33\"]")),
            "p.toml:5:14: '10.0.0.0/33' has prefix length 33, out of range: an IPv4 prefix is "
            "0-32 in rule web.tcp.connect[0]");
  EXPECT_EQ(error_of(connect_rule("addresses = [\"::1/200\"]")),
            "p.toml:5:14: '::1/200' has prefix length 200, out of range: an IPv6 prefix is "
            "0-128 in rule web.tcp.connect[0]");
}

TEST(PolicyErrorMessages, ShortIpv4AddressAsksForFourParts) {
  EXPECT_EQ(error_of(connect_rule("addresses = [\"10.0.0/8\"]")),
            "p.toml:5:14: '10.0.0/8' is not an address: '10.0.0' has fewer than four parts; "
            "write all four, such as '10.0.0.0/8' in rule web.tcp.connect[0]");
  EXPECT_EQ(error_of(connect_rule("addresses = [\"example.com/8\"]")),
            "p.toml:5:14: 'example.com/8' is not an address: 'example.com' is neither IPv4 nor "
            "IPv6 (use a CIDR such as '10.0.0.0/8' or one of loopback, link-local, private, "
            "metadata, multicast, any, unspecified) in rule "
            "web.tcp.connect[0]");
  EXPECT_EQ(error_of(connect_rule("addresses = [\"10.0.0.0/\"]")),
            "p.toml:5:14: '10.0.0.0/' has no prefix length after '/': write a number 0-32 in "
            "rule web.tcp.connect[0]");
}

TEST(PolicyErrorMessages, ReversedPortRangeSaysWhichWayRound) {
  EXPECT_EQ(error_of(connect_rule("ports = [\"8090-8080\"]")),
            "p.toml:5:10: port range '8090-8080' is reversed (8090 > 8080): write \"8080-8090\" "
            "in rule web.tcp.connect[0]");
}

TEST(PolicyErrorMessages, OutOfRangePortQuotesTheValue) {
  EXPECT_EQ(error_of(connect_rule("ports = [70000]")),
            "p.toml:5:10: port 70000 is out of range: a port is 0-65535 in rule "
            "web.tcp.connect[0]");
  EXPECT_EQ(error_of(connect_rule("ports = [\"80-70000\"]")),
            "p.toml:5:10: port 70000 is out of range: a port is 0-65535 (in '80-70000') in rule "
            "web.tcp.connect[0]");
  EXPECT_EQ(error_of(connect_rule("ports = [\"http\"]")),
            "p.toml:5:10: 'http' is not a port: write a number 0-65535 or a range \"N-M\" in "
            "rule web.tcp.connect[0]");
}

TEST(PolicyErrorMessages, UnquotedRangeIsCaughtAndQuotingSuggested) {
  EXPECT_EQ(error_of(connect_rule("ports = [8090-8080]")),
            "p.toml:5:10: port range 8090-8080 must be quoted: write \"8090-8080\" (unquoted, "
            "TOML reads it as a date) in rule web.tcp.connect[0]");
  EXPECT_EQ(error_of(connect_rule("ports = [443, 8080-8090]")),
            "p.toml:5:15: port range 8080-8090 must be quoted: write \"8080-8090\" (unquoted, "
            "TOML reads it as a date) in rule web.tcp.connect[0]");
}

TEST(PolicyErrorMessages, UnquotedRangeNamesTheRuleOfItsTenant) {
  EXPECT_EQ(error_of("[[tenant]]\nname = \"web\"\n[tenant.tcp]\n[[tenant.tcp.bind]]\nports = [0]\n"
                     "[[tenant]]\nname = \"fetcher\"\n[tenant.udp]\n[[tenant.udp.send]]\n"
                     "ports = [53]\n[[tenant.udp.send]]\nname = \"dns\"\nports = [5300-5399]\n"),
            "p.toml:13:10: port range 5300-5399 must be quoted: write \"5300-5399\" (unquoted, "
            "TOML reads it as a date) in rule fetcher.udp.send[1]");
  // Outside a rule: the tenant.
  EXPECT_EQ(error_of("[[tenant]]\nname = \"web\"\nuids = [1000-1001]\n"),
            "p.toml:3:9: port range 1000-1001 must be quoted: write \"1000-1001\" (unquoted, "
            "TOML reads it as a date) in [[tenant]] \"web\"");
  // Outside any tenant: no context to give.
  EXPECT_EQ(error_of("x = [1-2]\n"),
            "p.toml:1:6: port range 1-2 must be quoted: write \"1-2\" (unquoted, TOML reads it "
            "as a date)");
}

TEST(PolicyErrorMessages, ADateErrorWithoutABareRangeKeepsTheParsersMessage) {
  const std::string error = error_of("x = 1979-13-01\n");
  EXPECT_EQ(error.rfind("p.toml:1:", 0), 0u) << error;
  EXPECT_EQ(error.find("must be quoted"), std::string::npos) << error;
}

TEST(PolicyErrorMessages, AMegabyteLongBareRangeStillGetsTheHint) {
  const std::string digits(1 << 20, '7');
  const std::string error = error_of(connect_rule("ports = [" + digits + "-1]"));
  EXPECT_NE(error.find("must be quoted"), std::string::npos) << error.substr(0, 200);
}

TEST(PolicyErrorMessages, BadWordsAndIdsAreQuoted) {
  EXPECT_EQ(error_of(connect_rule("action = \"permit\"")),
            "p.toml:5:10: 'action' is \"permit\": write \"allow\" or \"deny\" in rule "
            "web.tcp.connect[0]");
  EXPECT_EQ(error_of(connect_rule("family = \"ipv5\"")),
            "p.toml:5:10: 'family' is \"ipv5\": write \"any\", \"ipv4\" or \"ipv6\" in rule "
            "web.tcp.connect[0]");
  EXPECT_EQ(error_of("[[tenant]]\nname = \"web\"\n[tenant.name_lookup]\nallow = [\"*.*.com\"]\n"),
            "p.toml:4:10: '*.*.com' is not a name: write a host name, \"*.domain\" or \"*\" in "
            "[tenant.name_lookup] of \"web\"");
  EXPECT_EQ(error_of("[[tenant]]\nname = \"web\"\nuids = [-1]\n"),
            "p.toml:3:9: uid -1 is out of range: a uid is 0-4294967294 in [[tenant]] \"web\"");
  EXPECT_EQ(error_of("[[tenant]]\nname = \"web\"\ngids = [4294967295]\n"),
            "p.toml:3:9: gid 4294967295 is out of range: a gid is 0-4294967294 in [[tenant]] "
            "\"web\"");
}

TEST(PolicyErrorMessages, UnknownKeyNamesTheTenantAndTheClosestKey) {
  EXPECT_EQ(error_of("[[tenant]]\nname = \"web\"\n[tenant.namelookup]\nenabled = false\n"),
            "p.toml:3:9: unknown key 'namelookup' in [[tenant]] \"web\": did you mean "
            "'name_lookup'?");
  EXPECT_EQ(error_of("[[tenant]]\nname = \"web\"\nlisetners = [\"main\"]\n"),
            "p.toml:3:1: unknown key 'lisetners' in [[tenant]] \"web\": did you mean "
            "'listeners'?");
  EXPECT_EQ(error_of(connect_rule("adresses = [\"loopback\"]")),
            "p.toml:5:1: unknown key 'adresses' in rule web.tcp.connect[0]: did you mean "
            "'addresses'?");
  // Nothing close: no guess.
  EXPECT_EQ(error_of("[[tenant]]\nname = \"web\"\ncolour = \"blue\"\n"),
            "p.toml:3:1: unknown key 'colour' in [[tenant]] \"web\"");
}

TEST(PolicyErrorMessages, EveryTenantScopedMessageNamesTheTenant) {
  EXPECT_EQ(error_of("[[tenant]]\nname = \"web\"\nlisteners = [\"nope\"]\n"),
            "p.toml:3:14: 'listeners' entries must name a [[listener]] (or \"main\") in "
            "[[tenant]] \"web\"");
  EXPECT_EQ(error_of("[[tenant]]\nname = \"web\"\n[tenant.quotas]\nsockets = -1\n"),
            "p.toml:4:11: 'sockets' must be between 0 and 281474976710656 in [tenant.quotas] of "
            "\"web\"");
  EXPECT_EQ(error_of("[[tenant]]\nname = \"web\"\n[tenant.udp]\nenabled = 1\n"),
            "p.toml:4:11: 'enabled' must be a boolean, not an integer in [tenant.udp] of \"web\"");
}

}  // namespace
}  // namespace wasi_socketd::policy
