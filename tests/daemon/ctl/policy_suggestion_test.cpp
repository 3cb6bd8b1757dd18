// policy suggest from hand-written audit lines: what each kind of refusal becomes, and that the
// output is a policy the daemon's own loader accepts and that allows what was refused.
// (tests/daemon/admin/socketctl_test.cpp replays a real daemon's log.)
#include "policy_suggestion.h"

#include <gtest/gtest.h>

#include <sstream>

#include "policy/policy_loader.h"

namespace wasi_socketd::daemon::ctl {
namespace {

using policy::Operation;

std::string line(const std::string& tenant, const std::string& operation, const std::string& fields,
                 const std::string& outcome = "deny") {
  return R"({"time":"2026-11-26T17:30:44.123Z","tenant":")" + tenant +
         R"(","uid":1000,"gid":1000,"pid":7,"operation":")" + operation + "\"," + fields +
         R"(,"outcome":")" + outcome + "\"}\n";
}

SuggestionReport suggest(const std::string& log, const std::string& tenant = "") {
  std::istringstream in(log);
  return suggest_policy(in, tenant, "audit.log");
}

std::shared_ptr<const policy::Policy> load(const std::string& toml) {
  const auto loaded = policy::parse_policy(toml, "suggested.toml");
  EXPECT_TRUE(loaded.ok()) << loaded.error->to_string() << "\n" << toml;
  return loaded.policy;
}

boost::asio::ip::address ip(const char* text) { return boost::asio::ip::make_address(text); }

TEST(PolicySuggestion, EveryRefusalIsAllowedByTheSuggestion) {
  const std::string log =
      line("web", "tcp.create", R"("rule":"web.tcp.disabled")", "would-deny") +
      line("web", "tcp.bind",
           R"("address":"0.0.0.0:0","target":"10.0.0.1:443","rule":"web.disabled")", "would-deny") +
      line("web", "tcp.connect", R"("address":"10.0.0.1:443","rule":"default-deny")") +
      line("web", "tcp.connect", R"("address":"10.0.0.0:443","rule":"default-deny")") +
      line("web", "tcp.connect", R"("address":"[2001:db8::5]:8080","rule":"default-deny")") +
      line("web", "tcp.connect", R"("address":"169.254.169.254:80","rule":"protected.metadata")") +
      line("web", "tcp.bind", R"("address":"127.0.0.1:80","rule":"privileged-port")") +
      line("web", "tcp.listen", R"("address":"127.0.0.1:80","rule":"default-deny")") +
      line("web", "tcp.accept", R"("address":"[::1]:40000","rule":"default-deny")") +
      line("web", "udp.create", R"("rule":"web.udp.disabled")") +
      line("web", "udp.send", R"("address":"192.0.2.1:53","rule":"default-deny")") +
      line("web", "udp.receive", R"("address":"192.0.2.1:53","rule":"default-deny")") +
      line("web", "name_lookup", R"("name":"api.example.com","rule":"default-deny")") +
      line("web", "name_lookup",
           R"("address":"fe80::7","name":"ll.example.com","rule":"protected.link-local")");
  const SuggestionReport report = suggest(log);
  EXPECT_EQ(report.refused, 14u);
  const auto suggested = load(report.toml);
  ASSERT_TRUE(suggested);
  ASSERT_EQ(suggested->tenants.size(), 1u);
  const policy::Tenant& web = *suggested->tenants[0];
  EXPECT_EQ(web.name, "web");
  EXPECT_EQ(web.mode, policy::Mode::enforce);
  EXPECT_EQ(web.uids, std::vector<uid_t>{1000});
  EXPECT_TRUE(web.tcp && web.udp && web.name_lookup.enabled);
  const auto allowed = [&](Operation operation, const char* address, uint16_t port) {
    return web.decide(operation, ip(address), port).allowed;
  };
  EXPECT_TRUE(allowed(Operation::tcp_bind, "0.0.0.0", 0));
  EXPECT_TRUE(allowed(Operation::tcp_connect, "10.0.0.1", 443));
  EXPECT_TRUE(allowed(Operation::tcp_connect, "10.0.0.0", 443));
  EXPECT_TRUE(allowed(Operation::tcp_connect, "2001:db8::5", 8080));
  EXPECT_TRUE(allowed(Operation::tcp_connect, "169.254.169.254", 80));
  EXPECT_TRUE(allowed(Operation::tcp_bind, "127.0.0.1", 80));
  EXPECT_TRUE(allowed(Operation::tcp_listen, "127.0.0.1", 80));
  EXPECT_TRUE(allowed(Operation::tcp_accept, "::1", 51234));  // any peer port
  EXPECT_TRUE(allowed(Operation::udp_send, "192.0.2.1", 53));
  EXPECT_TRUE(allowed(Operation::udp_receive, "192.0.2.1", 6000));
  EXPECT_TRUE(allowed(Operation::tcp_connect, "fe80::7", 443));  // the lookup answer
  EXPECT_TRUE(web.decide_lookup(std::string("api.example.com")).allowed);
  // Nothing more than was seen.
  EXPECT_FALSE(allowed(Operation::tcp_connect, "10.0.0.2", 443));
  EXPECT_FALSE(allowed(Operation::tcp_connect, "10.0.0.1", 444));
  EXPECT_FALSE(allowed(Operation::tcp_connect, "169.254.169.253", 80));
  EXPECT_FALSE(allowed(Operation::tcp_bind, "127.0.0.1", 81));
  EXPECT_FALSE(allowed(Operation::udp_send, "192.0.2.2", 53));
  EXPECT_FALSE(web.decide_lookup(std::string("www.example.com")).allowed);
  EXPECT_NE(report.toml.find("addresses = [\"10.0.0.0/31\"]\nports = [443]"), std::string::npos)
      << report.toml;
}

// wasi-socketd:sockets-ext refusals become [tenant.extensions] grants: the switches used and the
// groups joined, no more.
TEST(PolicySuggestion, ExtensionRefusalsBecomeGrants) {
  const std::string log =
      line("web", "extension.no_delay", R"("rule":"web.extensions.no_delay.not-granted")",
           "would-deny") +
      line("web", "extension.cork", R"("rule":"web.extensions.cork.not-granted")") +
      line("web", "extension.multicast",
           R"("address":"239.1.2.3","rule":"web.extensions.multicast_groups.not-granted")") +
      line("web", "extension.multicast",
           R"("address":"ff05::1:3","rule":"web.extensions.multicast.not-granted")") +
      line("web", "extension.bogus", R"("rule":"web.extensions.bogus.not-granted")");
  const SuggestionReport report = suggest(log);
  EXPECT_EQ(report.refused, 4u);
  EXPECT_EQ(report.skipped, 1u);
  const auto suggested = load(report.toml);
  ASSERT_TRUE(suggested);
  const policy::ExtensionGrants& grants = suggested->tenants[0]->extensions;
  EXPECT_TRUE(grants.allows(policy::Extension::no_delay));
  EXPECT_TRUE(grants.allows(policy::Extension::cork));
  EXPECT_FALSE(grants.allows(policy::Extension::broadcast));
  EXPECT_TRUE(grants.allows(policy::Extension::multicast));
  EXPECT_TRUE(grants.allows_group(ip("239.1.2.3")));
  EXPECT_TRUE(grants.allows_group(ip("ff05::1:3")));
  EXPECT_FALSE(grants.allows_group(ip("239.1.2.4")));
}

TEST(PolicySuggestion, SkipsWhatNoRuleLiftsAndWhatWasAllowed) {
  const std::string log =
      line("web", "tcp.connection_rate",
           R"("address":"10.0.0.1:443","rule":"quota.connections_per_second")") +
      line("web", "tcp.create", R"("rule":"quota.sockets")") +
      line("", "session.open", R"("name":"main","rule":"unknown-peer")") +
      line("web", "tcp.connect", R"("address":"10.0.0.1:443","rule":"web.tcp.connect[0]")",
           "allow") +
      "this is not json\n{\"tenant\":\"web\"}\n";
  const SuggestionReport report = suggest(log);
  EXPECT_EQ(report.refused, 0u);
  EXPECT_EQ(report.skipped, 3u);
  EXPECT_EQ(report.unreadable, 2u);
  EXPECT_EQ(report.toml.find("\n[[tenant]]\n"), std::string::npos) << report.toml;
}

TEST(PolicySuggestion, OneTenantOnlyWhenAsked) {
  const std::string log =
      line("a", "udp.send", R"("address":"192.0.2.1:53","rule":"default-deny")") +
      line("b", "udp.send", R"("address":"192.0.2.2:53","rule":"default-deny")");
  const auto only_b = load(suggest(log, "b").toml);
  ASSERT_TRUE(only_b);
  ASSERT_EQ(only_b->tenants.size(), 1u);
  EXPECT_EQ(only_b->tenants[0]->name, "b");
  EXPECT_EQ(load(suggest(log).toml)->tenants.size(), 2u);
}

// The deny rule that refused it stays in the operator's policy: the output says so.
TEST(PolicySuggestion, ExplicitDenyRulesAreNamed) {
  const std::string log = line("web", "tcp.connect", R"("address":"10.0.0.1:22","rule":"no-ssh")");
  const auto report = suggest(log);
  EXPECT_NE(report.toml.find("# refused by the deny rule no-ssh"), std::string::npos)
      << report.toml;
}

// The rate limit keeps lines out of the log: the suggestion says it cannot be complete.
TEST(PolicySuggestion, SuppressedLinesAreCounted) {
  const std::string log =
      line("web", "udp.send", R"("address":"192.0.2.1:53","rule":"default-deny")") +
      R"({"time":"2026-11-26T17:30:45.000Z","tenant":"web","uid":1000,"gid":1000,"pid":7,"operation":"audit.suppressed","rule":"audit.rate_limit.tenant","outcome":"deny","suppressed":812})"
      "\n" +
      R"({"time":"2026-11-26T17:30:45.000Z","tenant":"other","uid":1001,"gid":1000,"pid":7,"operation":"audit.suppressed","rule":"audit.rate_limit.tenant","outcome":"deny","suppressed":5})"
      "\n";
  const SuggestionReport report = suggest(log, "web");
  EXPECT_EQ(report.lost, 812u);
  EXPECT_EQ(report.skipped, 0u);
  EXPECT_NE(report.toml.find("# 812 audit line(s) were suppressed"), std::string::npos)
      << report.toml;
  EXPECT_TRUE(load(report.toml));
}

// A tenant in report mode chooses what it looks up: a pattern in the log must not become one.
TEST(PolicySuggestion, LookedUpPatternsAreNotSuggested) {
  const std::string log =
      line("web", "name_lookup", R"("name":"*","rule":"default-deny")", "would-deny") +
      line("web", "name_lookup", R"("name":"*.example.com","rule":"default-deny")", "would-deny") +
      line("web", "name_lookup", R"("name":"API.Example.com.","rule":"default-deny")",
           "would-deny");
  const SuggestionReport report = suggest(log);
  EXPECT_EQ(report.skipped, 2u);
  const auto suggested = load(report.toml);
  ASSERT_TRUE(suggested);
  const policy::Tenant& web = *suggested->tenants[0];
  EXPECT_TRUE(web.decide_lookup(std::string("api.example.com")).allowed);
  EXPECT_FALSE(web.decide_lookup(std::string("www.example.com")).allowed);
  EXPECT_FALSE(web.decide_lookup(std::string("other.test")).allowed);
}

// Names and tenants come from the log, which a tenant influences: they stay quoted TOML.
TEST(PolicySuggestion, HostileTenantNameStaysOneTomlString) {
  const std::string log = line(R"(x\"\n[[tenant]]\nname = \"y)", "udp.send",
                               R"("address":"192.0.2.1:53","rule":"default-deny")");
  const auto suggested = load(suggest(log).toml);
  ASSERT_TRUE(suggested);
  ASSERT_EQ(suggested->tenants.size(), 1u);
  EXPECT_EQ(suggested->tenants[0]->name, "x\"\n[[tenant]]\nname = \"y");
}

}  // namespace
}  // namespace wasi_socketd::daemon::ctl
