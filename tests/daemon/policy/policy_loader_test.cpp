#include "policy/policy_loader.h"
#include "policy_parse.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace wasi_socketd::policy {
namespace {

TEST(PolicyLoader, ReadsEveryKey) {
  const auto policy = parse_ok(R"(
[audit]
destination = "/var/log/audit.log"
log_grants = true

[[listener]]
name = "a"
path = "/run/a.sock"
mode = 0o600
owner = 1001
group = 1002

[[tenant]]
name = "web"
uids = [1001, 1003]
gids = [2000]
listeners = ["a", "main"]
network_namespace = "/run/netns/web"
log_grants = false

[tenant.quotas]
sockets = 10
sockets_per_session = 3
sessions = 2
buffered_bytes = 4096
connections_per_second = 5
connections_burst = 7

[tenant.tcp]
[[tenant.tcp.connect]]
name = "api"
action = "allow"
family = "ipv6"
addresses = ["2001:db8::/32"]
ports = [443, "8000-8001"]
[[tenant.tcp.bind]]
addresses = ["loopback"]
ports = [80]
privileged = true

[tenant.udp]
enabled = false

[tenant.name_lookup]
allow = ["*.example.com", "localhost"]
ip_literals = false
connect_resolved = true
connect_resolved_ports = [443]
)");
  ASSERT_TRUE(policy);
  EXPECT_EQ(policy->audit.destination, "/var/log/audit.log");
  EXPECT_TRUE(policy->audit.log_grants);
  ASSERT_EQ(policy->listeners.size(), 1u);
  EXPECT_EQ(policy->listeners[0].path, "/run/a.sock");
  EXPECT_EQ(policy->listeners[0].mode, 0600u);
  EXPECT_EQ(policy->listeners[0].owner, 1001u);
  EXPECT_EQ(policy->listeners[0].group, 1002u);
  ASSERT_EQ(policy->tenants.size(), 1u);
  const Tenant& web = *policy->tenants[0];
  EXPECT_EQ(web.uids, (std::vector<uid_t>{1001, 1003}));
  EXPECT_EQ(web.gids, (std::vector<gid_t>{2000}));
  EXPECT_EQ(web.listeners, (std::vector<std::string>{"a", "main"}));
  EXPECT_EQ(web.network_namespace, "/run/netns/web");
  EXPECT_FALSE(web.log_grants);
  EXPECT_EQ(web.quotas.sockets, 10u);
  EXPECT_EQ(web.quotas.sockets_per_session, 3u);
  EXPECT_EQ(web.quotas.sessions, 2u);
  EXPECT_EQ(web.quotas.buffered_bytes, 4096u);
  EXPECT_EQ(web.quotas.connections_per_second, 5u);
  EXPECT_EQ(web.quotas.connections_burst, 7u);
  EXPECT_TRUE(web.tcp);
  EXPECT_FALSE(web.udp);
  EXPECT_TRUE(web.name_lookup.enabled);
  EXPECT_FALSE(web.name_lookup.ip_literals);
  EXPECT_TRUE(web.name_lookup.connect_resolved);
  ASSERT_EQ(web.name_lookup.allow.size(), 2u);
  ASSERT_EQ(web.rules_for(Operation::tcp_connect).size(), 1u);
  const AddressRule& api = web.rules_for(Operation::tcp_connect)[0];
  EXPECT_EQ(api.label, "api");
  EXPECT_EQ(api.family, FamilyFilter::ipv6);
  EXPECT_EQ(api.ports.size(), 2u);
  EXPECT_EQ(web.rules_for(Operation::tcp_bind)[0].label, "web.tcp.bind[0]");
  EXPECT_TRUE(web.rules_for(Operation::tcp_bind)[0].privileged);
  EXPECT_TRUE(web.decide(Operation::tcp_connect, ip("2001:db8::5"), 8001).allowed);
  EXPECT_FALSE(web.decide(Operation::tcp_connect, ip("2001:db8::5"), 22).allowed);
}

TEST(PolicyLoader, AbsentSectionsMeanSwitchedOffAndDefaultQuotas) {
  const auto policy = parse_ok("[[tenant]]\nname = \"bare\"\n");
  ASSERT_TRUE(policy);
  const Tenant& bare = *policy->tenants[0];
  EXPECT_FALSE(bare.tcp);
  EXPECT_FALSE(bare.udp);
  EXPECT_FALSE(bare.name_lookup.enabled);
  EXPECT_EQ(bare.quotas.sockets, Quotas{}.sockets);
  EXPECT_EQ(bare.quotas.sockets_per_session, Quotas{}.sockets_per_session);
  EXPECT_EQ(policy->audit.destination, "stderr");
}

TEST(PolicyLoader, UserAndGroupNamesResolve) {
  const auto policy = parse_ok("[[tenant]]\nname = \"r\"\nuids = [\"root\"]\ngids = [\"root\"]\n");
  ASSERT_TRUE(policy);
  EXPECT_EQ(policy->tenants[0]->uids, (std::vector<uid_t>{0}));
  EXPECT_EQ(policy->tenants[0]->gids, (std::vector<gid_t>{0}));
}

class PolicyLoaderErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(PolicyLoaderErrors, PointsAtTheOffendingText) {
  const std::string error = parse_error(GetParam().text);
  EXPECT_EQ(error.substr(0, std::string(GetParam().expected).size()), GetParam().expected) << error;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PolicyLoaderErrors,
    ::testing::Values(
        BadCase{"[[tenant]]\nname = \"a\"\nname = \"b\"\n",
                "test.toml:3:8: "},  // TOML syntax: key redefined
        BadCase{"[[tenant]]\nname = \"a\"\ntpc = true\n", "test.toml:3:1: unknown key 'tpc'"},
        BadCase{"[[tenant]]\nname = \"a\"\n[tenant.tcp]\n[[tenant.tcp.connect]]\naddresses = "
                "[\"10.0.0.1/8\"]\n",
                "test.toml:5:14: '10.0.0.1/8' has host bits set"},
        BadCase{"[[tenant]]\nname = \"a\"\n[tenant.udp]\n[[tenant.udp.send]]\nports = [70000]\n",
                "test.toml:5:10: port 70000 is out of range"},
        BadCase{"[[tenant]]\nname = \"a\"\n[tenant.tcp]\n[[tenant.tcp.bind]]\nports = [\"9-1\"]\n",
                "test.toml:5:10: port range '9-1' is reversed"},
        BadCase{"[[tenant]]\nname = \"a\"\n[tenant.tcp]\n[[tenant.tcp.bind]]\naction = \"maybe\"\n",
                "test.toml:5:10: 'action' is \"maybe\""},
        BadCase{"[[tenant]]\nname = \"a\"\n[tenant.tcp]\n[[tenant.tcp.bind]]\nfamily = \"ipx\"\n",
                "test.toml:5:10: 'family' is \"ipx\""},
        BadCase{"[[tenant]]\nname = \"a\"\n[tenant.tcp]\nenabled = 1\n",
                "test.toml:4:11: 'enabled' must be a boolean, not an integer"},
        BadCase{"[[tenant]]\nname = \"a\"\n[tenant.name_lookup]\nallow = [\"w*.x.com\"]\n",
                "test.toml:4:10: 'w*.x.com' is not a name"},
        BadCase{"[[tenant]]\nname = \"a\"\nlisteners = [\"nope\"]\n",
                "test.toml:3:14: 'listeners' entries must name a [[listener]]"},
        BadCase{"[[tenant]]\nname = \"a\"\n[[tenant]]\nname = \"a\"\n",
                "test.toml:3:1: tenant \"a\" is defined twice"},
        BadCase{"[[tenant]]\nuids = [1]\n", "test.toml:1:1: [[tenant]] needs 'name'"},
        BadCase{"[[tenant]]\nname = \"a\"\nuids = [\"no-such-user-xyz\"]\n",
                "test.toml:3:9: unknown user 'no-such-user-xyz'"},
        BadCase{"[[listener]]\nname = \"main\"\npath = \"/run/x\"\n",
                "test.toml:2:8: listener name \"main\" is reserved"},
        BadCase{"[[listener]]\nname = \"x\"\npath = \"relative.sock\"\n",
                "test.toml:3:8: 'path' must be absolute"},
        BadCase{"[[listener]]\nname = \"x\"\npath = \"/x\"\nmode = 0o1777\n",
                "test.toml:4:8: 'mode' must be a file mode in octal"},
        BadCase{"[audit]\ndestination = \"audit.log\"\n", "test.toml:2:15: 'destination' must be"},
        BadCase{"[[tenant]]\nname = \"a\"\n[tenant.quotas]\nsockets = -1\n",
                "test.toml:4:11: 'sockets' must be between"},
        BadCase{"[[tenant]]\nname = \"a\"\nnetwork_namespace = \"netns\"\n",
                "test.toml:3:21: 'network_namespace' must be an absolute path"},
        BadCase{"tenant = 5\n", "test.toml:1:10: 'tenant' must be an array"}));

// Found by the fuzzer: toml++ 3.3 asserts on these in debug builds; the library we link must
// still turn them into positioned errors.
TEST(PolicyLoader, ControlCharactersInKeysAreParseErrors) {
  EXPECT_EQ(parse_error("[\x7f]\n").substr(0, 14), "test.toml:1:2:");
  EXPECT_EQ(parse_error("[a\xc8\x91]\n").substr(0, 14), "test.toml:1:3:");
  EXPECT_EQ(parse_error("[[tenant]]\nname = \"a\"\n[tenant.\x7f]\n").substr(0, 14),
            "test.toml:3:9:");
}

TEST(PolicyLoader, NonAsciiCharactersAreParseErrors) {
  EXPECT_EQ(parse_error("\xc3\x84 = 1\n").substr(0, 14), "test.toml:1:1:");
  EXPECT_EQ(parse_error("a = 1\xc3\x84\n").substr(0, 14), "test.toml:1:6:");
  EXPECT_EQ(parse_error("[a]\xc3\x83\n").substr(0, 14), "test.toml:1:4:");
}

TEST(PolicyLoader, UnreadableFileIsAnErrorWithoutPosition) {
  LoadResult result = load_policy_file("/nonexistent/policy.toml");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error->to_string(), "/nonexistent/policy.toml: cannot be read");
}

TEST(PolicyLoader, EveryShippedExampleLoads) {
  int examples = 0;
  for (const auto& entry : std::filesystem::directory_iterator(WASI_SOCKETD_POLICY_EXAMPLES)) {
    if (entry.path().extension() != ".toml") continue;
    ++examples;
    LoadResult result = load_policy_file(entry.path());
    EXPECT_TRUE(result.ok()) << result.error->to_string();
  }
  EXPECT_GE(examples, 3);
}

}  // namespace
}  // namespace wasi_socketd::policy
