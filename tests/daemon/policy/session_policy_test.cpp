// The socket core's hook as a session sees it: every rule kind allowed and denied, IPv4 and
// IPv6, implicit binds, privileged ports, resolved names, switches, quotas, and the audit lines.
#include "policy/session_policy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "audit_capture.h"
#include "policy/policy_loader.h"
#include "policy/policy_summary.h"
#include "policy/tenancy.h"

namespace wasi_socketd::policy {
namespace {

using sockets::Protocol;
using sockets::SocketAddress;
using sockets::Use;

SocketAddress at(const char* ip, uint16_t port) {
  return {boost::asio::ip::make_address(ip), port};
}

// What the lookup service hands the policy: the request's name parsed once.
sockets::LookupName parsed(const char* name) { return sockets::parse_lookup_name(name).value(); }

constexpr const char* kPolicy = R"(
[[tenant]]
name = "t"
uids = [1000]

[tenant.quotas]
sockets = 2
connections_per_second = 1
buffered_bytes = 1000

[tenant.tcp]
[[tenant.tcp.bind]]
addresses = ["127.0.0.1", "::1"]
[[tenant.tcp.bind]]
name = "implicit"
addresses = ["unspecified"]
ports = [0]
[[tenant.tcp.bind]]
name = "lend-80"
addresses = ["127.0.0.1", "::1"]
ports = [80]
privileged = true
[[tenant.tcp.listen]]
addresses = ["127.0.0.1", "::1"]
ports = ["1024-65535"]
[[tenant.tcp.accept]]
action = "deny"
addresses = ["127.0.0.2"]
[[tenant.tcp.accept]]
addresses = ["127.0.0.0/8", "::1"]
[[tenant.tcp.connect]]
name = "no-ssh"
action = "deny"
ports = [22]
[[tenant.tcp.connect]]
addresses = ["10.0.0.0/8", "fd00::/8"]

[tenant.udp]
[[tenant.udp.bind]]
addresses = ["unspecified"]
ports = [0]
[[tenant.udp.send]]
addresses = ["192.0.2.0/24", "2001:db8::/32"]
ports = [53]
[[tenant.udp.receive]]
addresses = ["192.0.2.53", "2001:db8::53"]

[tenant.name_lookup]
allow = ["*.example.com"]
connect_resolved = true
connect_resolved_ports = [443]
)";

class SessionPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LoadResult loaded = parse_policy(kPolicy, "t.toml");
    ASSERT_TRUE(loaded.ok()) << loaded.error->to_string();
    tenancy_ = Tenancy::create(loaded.policy, "", audit_.log()).tenancy;
    ASSERT_TRUE(tenancy_);
    Admission admission = tenancy_->admit({1000, 100, 77, "main"});
    ASSERT_TRUE(admission.session) << admission.refusal;
    session_ = admission.session;
  }

  bool allows(Protocol protocol, Use use, const SocketAddress& address) {
    return session_->allows(protocol, use, address);
  }

  AuditCapture audit_;
  std::shared_ptr<Tenancy> tenancy_;
  std::shared_ptr<SessionPolicy> session_;
};

TEST_F(SessionPolicyTest, TcpBindAllowAndDenyBothFamilies) {
  EXPECT_TRUE(allows(Protocol::tcp, Use::bind, at("127.0.0.1", 8080)));
  EXPECT_TRUE(allows(Protocol::tcp, Use::bind, at("::1", 8080)));
  EXPECT_FALSE(allows(Protocol::tcp, Use::bind, at("192.0.2.1", 8080)));
  EXPECT_FALSE(allows(Protocol::tcp, Use::bind, at("2001:db8::1", 8080)));
}

TEST_F(SessionPolicyTest, ImplicitBindIsAskedAsUnspecifiedPortZero) {
  EXPECT_TRUE(
      allows(Protocol::tcp, Use::bind, sockets::unspecified_address(sockets::Family::ipv4)));
  EXPECT_TRUE(
      allows(Protocol::tcp, Use::bind, sockets::unspecified_address(sockets::Family::ipv6)));
  EXPECT_TRUE(
      allows(Protocol::udp, Use::bind, sockets::unspecified_address(sockets::Family::ipv6)));
  // An explicit wildcard bind to a fixed port is not an implicit bind.
  EXPECT_FALSE(allows(Protocol::tcp, Use::bind, at("0.0.0.0", 8080)));
}

// When the implicit bind of a connect is what the policy refuses, the audit line still says where
// the tenant was going, and the denial observer (metrics) hears the deciding rule.
TEST(SessionPolicyImplicitBind, DenialNamesTheConnectTargetAndTheRule) {
  AuditCapture audit;
  LoadResult loaded = parse_policy(
      "[[tenant]]\nname = \"web\"\n[tenant.tcp]\n[[tenant.tcp.bind]]\naddresses = "
      "[\"127.0.0.1\"]\nports = [8080]\n",
      "w.toml");
  ASSERT_TRUE(loaded.ok()) << loaded.error->to_string();
  auto tenancy = Tenancy::create(loaded.policy, "", audit.log()).tenancy;
  std::vector<std::string> denials;
  tenancy->on_denial(
      [&](const std::string& tenant, std::string_view operation, std::string_view rule) {
        denials.push_back(tenant + " " + std::string(operation) + " " + std::string(rule));
      });
  auto session = tenancy->admit({5, 5, 5, "main"}).session;
  ASSERT_TRUE(session);
  EXPECT_FALSE(session->allows_implicit_bind(
      Protocol::tcp, sockets::unspecified_address(sockets::Family::ipv4), at("127.0.0.1", 8080)));
  EXPECT_TRUE(has(audit.last(),
                  "\"operation\":\"tcp.bind\",\"address\":\"0.0.0.0:0\",\"target\":\"127.0.0.1:"
                  "8080\",\"rule\":\"default-deny\",\"outcome\":\"deny\""))
      << audit.last();
  EXPECT_FALSE(session->allows_implicit_bind(
      Protocol::tcp, sockets::unspecified_address(sockets::Family::ipv6), at("::1", 443)));
  EXPECT_TRUE(has(audit.last(), "\"address\":\"[::]:0\",\"target\":\"[::1]:443\"")) << audit.last();
  EXPECT_EQ(denials,
            (std::vector<std::string>{"web tcp.bind default-deny", "web tcp.bind default-deny"}));
  // An explicit bind carries no target.
  EXPECT_FALSE(session->allows(Protocol::tcp, Use::bind, at("127.0.0.1", 9000)));
  EXPECT_FALSE(has(audit.last(), "\"target\"")) << audit.last();
}

TEST_F(SessionPolicyTest, PrivilegedPortOnlyWhereLent) {
  EXPECT_TRUE(allows(Protocol::tcp, Use::bind, at("127.0.0.1", 80)));
  EXPECT_TRUE(allows(Protocol::tcp, Use::bind, at("::1", 80)));
  EXPECT_FALSE(allows(Protocol::tcp, Use::bind, at("127.0.0.1", 443)));
  EXPECT_TRUE(has(audit_.last(), "\"rule\":\"privileged-port\""));
}

TEST_F(SessionPolicyTest, TcpListen) {
  EXPECT_TRUE(allows(Protocol::tcp, Use::listen, at("::1", 5000)));
  EXPECT_FALSE(allows(Protocol::tcp, Use::listen, at("::1", 80)));
  EXPECT_FALSE(allows(Protocol::tcp, Use::listen, at("0.0.0.0", 5000)));
}

TEST_F(SessionPolicyTest, TcpAcceptChecksThePeer) {
  EXPECT_TRUE(allows(Protocol::tcp, Use::accept, at("127.0.0.1", 40000)));
  EXPECT_TRUE(allows(Protocol::tcp, Use::accept, at("::1", 40000)));
  EXPECT_FALSE(allows(Protocol::tcp, Use::accept, at("127.0.0.2", 40000)));
  EXPECT_FALSE(allows(Protocol::tcp, Use::accept, at("2001:db8::1", 40000)));
}

TEST_F(SessionPolicyTest, TcpConnectDenyRuleBeforeAllow) {
  EXPECT_TRUE(allows(Protocol::tcp, Use::connect, at("10.1.2.3", 443)));
  EXPECT_TRUE(allows(Protocol::tcp, Use::connect, at("fd00::1", 443)));
  EXPECT_FALSE(allows(Protocol::tcp, Use::connect, at("10.1.2.3", 22)));
  EXPECT_TRUE(has(audit_.last(), "\"rule\":\"no-ssh\""));
  EXPECT_FALSE(allows(Protocol::tcp, Use::connect, at("11.0.0.1", 443)));
  EXPECT_FALSE(allows(Protocol::tcp, Use::connect, at("2001:db8::1", 443)));
}

TEST_F(SessionPolicyTest, UdpSendAndConnectedRemote) {
  EXPECT_TRUE(allows(Protocol::udp, Use::send, at("192.0.2.53", 53)));
  EXPECT_TRUE(allows(Protocol::udp, Use::send, at("2001:db8::53", 53)));
  EXPECT_FALSE(allows(Protocol::udp, Use::send, at("192.0.2.53", 54)));
  EXPECT_FALSE(allows(Protocol::udp, Use::send, at("198.51.100.1", 53)));
  // stream(remote) fixes where every datagram goes: judged by the send rules.
  EXPECT_TRUE(allows(Protocol::udp, Use::connect, at("192.0.2.53", 53)));
  EXPECT_FALSE(allows(Protocol::udp, Use::connect, at("198.51.100.1", 53)));
}

TEST_F(SessionPolicyTest, UdpReceiveChecksTheSource) {
  EXPECT_TRUE(allows(Protocol::udp, Use::receive, at("192.0.2.53", 53)));
  EXPECT_TRUE(allows(Protocol::udp, Use::receive, at("2001:db8::53", 53)));
  EXPECT_FALSE(allows(Protocol::udp, Use::receive, at("192.0.2.54", 53)));
}

TEST_F(SessionPolicyTest, UsesTheOtherProtocolHasNoRulesFor) {
  EXPECT_FALSE(allows(Protocol::udp, Use::listen, at("127.0.0.1", 5000)));
  EXPECT_FALSE(allows(Protocol::tcp, Use::send, at("10.0.0.1", 5000)));
}

TEST_F(SessionPolicyTest, DenialsAreAuditedWithWhoWhatAndWhy) {
  EXPECT_FALSE(allows(Protocol::tcp, Use::connect, at("2001:db8::7", 443)));
  const std::string line = audit_.last();
  EXPECT_TRUE(has(line, "\"tenant\":\"t\",\"uid\":1000,\"gid\":100,\"pid\":77")) << line;
  EXPECT_TRUE(has(line, "\"operation\":\"tcp.connect\",\"address\":\"[2001:db8::7]:443\"")) << line;
  EXPECT_TRUE(has(line, "\"rule\":\"default-deny\",\"outcome\":\"deny\"")) << line;
}

TEST_F(SessionPolicyTest, GrantsAreNotAuditedUnlessTheTenantAsks) {
  const auto before = audit_.lines().size();
  EXPECT_TRUE(allows(Protocol::tcp, Use::connect, at("10.0.0.1", 443)));
  EXPECT_EQ(audit_.lines().size(), before);
}

TEST_F(SessionPolicyTest, NameLookupAllowListWithWildcards) {
  EXPECT_TRUE(session_->allows_lookup(parsed("api.example.com")));
  EXPECT_TRUE(session_->allows_lookup(parsed("API.Example.COM.")));
  EXPECT_FALSE(session_->allows_lookup(parsed("example.com")));
  EXPECT_FALSE(session_->allows_lookup(parsed("evil.org")));
  EXPECT_TRUE(has(audit_.last(), "\"operation\":\"name_lookup\",\"name\":\"evil.org\""));
  EXPECT_TRUE(session_->allows_lookup(parsed("192.0.2.1")));  // literal: no DNS involved
}

// docs/policy.md: with ip_literals, the URL standard's IPv4 spellings resolve to themselves too.
TEST_F(SessionPolicyTest, EveryIpv4SpellingIsALiteral) {
  EXPECT_TRUE(session_->allows_lookup(parsed("127.1")));
  EXPECT_TRUE(session_->allows_lookup(parsed("0x7f.0.0.1")));
}

// A literal "resolves" to itself: remembering it would lend any address to connect_resolved.
TEST_F(SessionPolicyTest, LiteralLookupsLendNothing) {
  session_->remember_resolved(parsed("198.51.100.7"),
                              {boost::asio::ip::make_address("198.51.100.7")});
  EXPECT_FALSE(allows(Protocol::tcp, Use::connect, at("198.51.100.7", 443)));
}

TEST_F(SessionPolicyTest, ResolvedAddressesBecomeConnectableOnTheirPorts) {
  EXPECT_FALSE(allows(Protocol::tcp, Use::connect, at("198.51.100.7", 443)));
  session_->remember_resolved(parsed("api.example.com"),
                              {boost::asio::ip::make_address("198.51.100.7")});
  EXPECT_TRUE(allows(Protocol::tcp, Use::connect, at("198.51.100.7", 443)));
  EXPECT_TRUE(allows(Protocol::udp, Use::send, at("198.51.100.7", 443)));
  EXPECT_FALSE(allows(Protocol::tcp, Use::connect, at("198.51.100.7", 8443)));  // port not lent
  // An explicit deny still wins over a resolved name.
  session_->remember_resolved(parsed("ssh.example.com"),
                              {boost::asio::ip::make_address("198.51.100.8")});
  EXPECT_FALSE(allows(Protocol::tcp, Use::connect, at("198.51.100.8", 22)));
  // Not for binds or accepts.
  EXPECT_FALSE(allows(Protocol::tcp, Use::accept, at("198.51.100.7", 443)));
}

TEST_F(SessionPolicyTest, ResolvedMemoryIsPerSession) {
  session_->remember_resolved(parsed("api.example.com"),
                              {boost::asio::ip::make_address("198.51.100.7")});
  auto other = tenancy_->admit({1000, 100, 78, "main"}).session;
  ASSERT_TRUE(other);
  EXPECT_FALSE(other->allows(Protocol::tcp, Use::connect, at("198.51.100.7", 443)));
}

TEST_F(SessionPolicyTest, SocketQuotaSharedByTheTenantsSessions) {
  auto first = session_->open_socket(Protocol::tcp);
  ASSERT_TRUE(first.ok());
  auto other = tenancy_->admit({1000, 100, 78, "main"}).session;
  auto second = other->open_socket(Protocol::udp);
  ASSERT_TRUE(second.ok());
  auto third = session_->open_socket(Protocol::tcp);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error(), sockets::ErrorCode::new_socket_limit);
  EXPECT_TRUE(has(audit_.last(), "\"rule\":\"quota.sockets\""));
  { TenantUsage::Lease closed = std::move(first.value()); }  // the socket closed
  EXPECT_TRUE(session_->open_socket(Protocol::tcp).ok());
}

TEST_F(SessionPolicyTest, ConnectionRateAndBufferQuotas) {
  EXPECT_TRUE(session_->try_new_connection(at("10.1.2.3", 80)));
  EXPECT_FALSE(session_->try_new_connection(at("10.1.2.3", 443)));
  // The rate denial names the connection the tenant tried to make.
  EXPECT_TRUE(has(audit_.last(),
                  "\"operation\":\"tcp.connection_rate\",\"address\":\"10.1.2.3:443\",\"rule\":"
                  "\"quota.connections_per_second\""))
      << audit_.last();
  auto held = session_->try_buffer(800);
  EXPECT_TRUE(held);
  EXPECT_FALSE(session_->try_buffer(201));
}

TEST_F(SessionPolicyTest, CapabilitiesFollowTheSwitches) {
  const Capabilities caps = session_->capabilities();
  EXPECT_TRUE(caps.tcp);
  EXPECT_TRUE(caps.udp);
  EXPECT_TRUE(caps.name_lookup);
}

TEST(SessionPolicySwitches, SwitchedOffProtocolsAndLookups) {
  AuditCapture audit;
  LoadResult loaded = parse_policy(
      "[[tenant]]\nname = \"sealed\"\n[tenant.tcp]\nenabled = false\n[tenant.name_lookup]\nenabled "
      "= false\n",
      "s.toml");
  ASSERT_TRUE(loaded.ok());
  auto tenancy = Tenancy::create(loaded.policy, "", audit.log()).tenancy;
  auto session = tenancy->admit({5, 5, 5, "main"}).session;
  ASSERT_TRUE(session);
  auto tcp = session->open_socket(Protocol::tcp);
  ASSERT_FALSE(tcp.ok());
  EXPECT_EQ(tcp.error(), sockets::ErrorCode::access_denied);
  EXPECT_TRUE(has(audit.last(), "\"operation\":\"tcp.create\""));
  auto udp = session->open_socket(Protocol::udp);  // no [tenant.udp] at all
  ASSERT_FALSE(udp.ok());
  EXPECT_EQ(udp.error(), sockets::ErrorCode::access_denied);
  EXPECT_FALSE(session->lookups_enabled("api.example.com"));
  // The line names what the tenant tried to look up, even though the switch alone decided.
  EXPECT_TRUE(has(audit.last(),
                  "\"operation\":\"name_lookup\",\"name\":\"api.example.com\",\"rule\":\"sealed."
                  "name_lookup.disabled\""));
  EXPECT_FALSE(session->allows_lookup(parsed("localhost")));
  EXPECT_FALSE(session->allows_lookup(parsed("127.0.0.1")));
  EXPECT_EQ(session->capabilities().tcp, false);
}

TEST(SessionPolicyGrants, LoggedWhenTheTenantAsks) {
  AuditCapture audit;
  LoadResult loaded = parse_policy(
      "[[tenant]]\nname = \"loud\"\nlog_grants = true\n[tenant.tcp]\n[[tenant.tcp.connect]]\n",
      "g.toml");
  ASSERT_TRUE(loaded.ok()) << loaded.error->to_string();
  auto tenancy = Tenancy::create(loaded.policy, "", audit.log()).tenancy;
  auto session = tenancy->admit({5, 5, 5, "main"}).session;
  EXPECT_TRUE(has(audit.last(), "\"operation\":\"session.open\""));
  EXPECT_TRUE(session->allows(Protocol::tcp, Use::connect, at("203.0.113.1", 80)));
  EXPECT_TRUE(has(audit.last(), "\"rule\":\"loud.tcp.connect[0]\",\"outcome\":\"allow\""));
}

TEST(SessionPolicyAuditBudget, FloodsAreSuppressedAndCounted) {
  AuditCapture audit;
  LoadResult loaded = parse_policy("[[tenant]]\nname = \"f\"\n[tenant.udp]\n", "f.toml");
  auto tenancy = Tenancy::create(loaded.policy, "", audit.log()).tenancy;
  auto session = tenancy->admit({5, 5, 5, "main"}).session;
  constexpr uint64_t kBurst = audit::AuditRateLimit::kPerTenant.burst;
  for (uint64_t i = 0; i < kBurst + 500; ++i) {
    ASSERT_FALSE(session->allows(Protocol::udp, Use::receive, at("203.0.113.1", 53)));
  }
  const auto lines = audit.lines().size();
  EXPECT_GE(lines, kBurst);
  EXPECT_LT(lines, kBurst + 500);
}

// issue 8 item 7: every session got a fresh burst, so a tenant reconnecting in a loop wrote
// 42,967 lines in 10 s. The budget is the tenant's, shared by all its sessions.
TEST(SessionPolicyAuditBudget, NewSessionsOfATenantShareOneBudget) {
  AuditCapture audit;
  LoadResult loaded = parse_policy(
      "[[tenant]]\nname = \"f\"\n[tenant.udp]\n[tenant.quotas]\nsessions = 1000\n", "f.toml");
  auto tenancy = Tenancy::create(loaded.policy, "", audit.log()).tenancy;
  constexpr uint64_t kBurst = audit::AuditRateLimit::kPerTenant.burst;
  for (int reconnect = 0; reconnect < 20; ++reconnect) {
    auto session = tenancy->admit({5, 5, 5, "main"}).session;
    ASSERT_TRUE(session);
    for (uint64_t i = 0; i < kBurst / 4; ++i) {
      ASSERT_FALSE(session->allows(Protocol::udp, Use::receive, at("203.0.113.1", 53)));
    }
  }
  // 5 bursts' worth of denials: at most one burst (plus the refill while the test ran) written.
  EXPECT_LT(audit.lines().size(), kBurst + kBurst / 2);
  EXPECT_GT(audit.log()->dropped(), 0u);
}

// Issue 13 item 4: metadata and link-local are reached only through a rule naming them, on every
// use of an address, and a resolver's answer cannot lend them.
constexpr const char* kWidePolicy = R"(
[[tenant]]
name = "wide"
[tenant.tcp]
[[tenant.tcp.bind]]
addresses = ["any"]
[[tenant.tcp.listen]]
addresses = ["any"]
[[tenant.tcp.accept]]
addresses = ["any"]
[[tenant.tcp.connect]]
addresses = ["0.0.0.0/0", "::/0"]
[tenant.udp]
[[tenant.udp.bind]]
addresses = ["any"]
[[tenant.udp.send]]
addresses = ["any"]
[[tenant.udp.receive]]
addresses = ["any"]
[tenant.name_lookup]
allow = ["*"]
connect_resolved = true
)";

struct WideTenant {
  explicit WideTenant(const std::string& extra = "") {
    LoadResult loaded = parse_policy(std::string(kWidePolicy) + extra, "w.toml");
    EXPECT_TRUE(loaded.ok()) << loaded.error->to_string();
    tenancy = Tenancy::create(loaded.policy, "", audit.log()).tenancy;
    tenancy->on_denial([this](const std::string&, std::string_view, std::string_view rule) {
      denials.emplace_back(rule);
    });
    session = tenancy->admit({5, 5, 5, "main"}).session;
  }
  AuditCapture audit;
  std::shared_ptr<Tenancy> tenancy;
  std::shared_ptr<SessionPolicy> session;
  std::vector<std::string> denials;
};

TEST(SessionPolicyProtectedClasses, WideRulesReachNeitherMetadataNorLinkLocal) {
  WideTenant t;
  ASSERT_TRUE(t.session);
  EXPECT_FALSE(t.session->allows(Protocol::tcp, Use::connect, at("169.254.169.254", 80)));
  EXPECT_TRUE(has(t.audit.last(),
                  "\"operation\":\"tcp.connect\",\"address\":\"169.254.169.254:80\",\"rule\":"
                  "\"protected.metadata\",\"outcome\":\"deny\""))
      << t.audit.last();
  EXPECT_FALSE(t.session->allows(Protocol::tcp, Use::connect, at("::ffff:169.254.169.254", 80)));
  EXPECT_FALSE(t.session->allows(Protocol::tcp, Use::connect, at("::169.254.169.254", 80)));
  EXPECT_FALSE(t.session->allows(Protocol::tcp, Use::connect, at("fd00:ec2::254", 80)));
  EXPECT_FALSE(t.session->allows(Protocol::tcp, Use::bind, at("169.254.3.4", 8080)));
  EXPECT_TRUE(has(t.audit.last(), "\"rule\":\"protected.link-local\"")) << t.audit.last();
  EXPECT_FALSE(t.session->allows(Protocol::tcp, Use::listen, at("fe80::1", 8080)));
  EXPECT_FALSE(t.session->allows(Protocol::tcp, Use::accept, at("169.254.9.9", 40000)));
  EXPECT_FALSE(t.session->allows(Protocol::udp, Use::bind, at("fe80::2", 0)));
  EXPECT_FALSE(t.session->allows(Protocol::udp, Use::send, at("100.100.100.200", 53)));
  EXPECT_FALSE(t.session->allows(Protocol::udp, Use::connect, at("169.254.169.254", 53)));
  EXPECT_FALSE(t.session->allows(Protocol::udp, Use::receive, at("169.254.169.254", 53)));
  // Everything else the wide rules allow.
  EXPECT_TRUE(t.session->allows(Protocol::tcp, Use::connect, at("10.0.0.1", 80)));
  EXPECT_TRUE(t.session->allows(Protocol::udp, Use::send, at("100.100.100.201", 53)));
}

TEST(SessionPolicyProtectedClasses, ResolvedMetadataAddressIsNeverLent) {
  WideTenant t("[[tenant.tcp.connect]]\naddresses = [\"10.0.0.0/8\"]\n");
  t.session->remember_resolved(parsed("rebound.example.com"),
                               {boost::asio::ip::make_address("169.254.169.254"),
                                boost::asio::ip::make_address("192.0.2.9")});
  EXPECT_FALSE(t.session->allows(Protocol::tcp, Use::connect, at("169.254.169.254", 80)));
}

TEST(SessionPolicyProtectedClasses, LookupAnswersLoseUnnamedProtectedAddresses) {
  WideTenant t;
  std::vector<boost::asio::ip::address> answer = {
      boost::asio::ip::make_address("169.254.169.254"),
      boost::asio::ip::make_address("::ffff:169.254.169.254"),
      boost::asio::ip::make_address("::169.254.169.254"), boost::asio::ip::make_address("fe80::1"),
      boost::asio::ip::make_address("192.0.2.9")};
  EXPECT_TRUE(t.session->screen_resolved(parsed("rebound.example.com"), answer));
  EXPECT_EQ(answer,
            (std::vector<boost::asio::ip::address>{boost::asio::ip::make_address("192.0.2.9")}));
  const auto lines = t.audit.lines();
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_TRUE(has(lines[0],
                  "\"operation\":\"name_lookup\",\"address\":\"169.254.169.254\",\"name\":"
                  "\"rebound.example.com\",\"rule\":\"protected.metadata\",\"outcome\":\"deny\""))
      << lines[0];
  EXPECT_TRUE(has(lines[2], "\"address\":\"169.254.169.254\"")) << lines[2];
  EXPECT_TRUE(has(lines[3], "\"rule\":\"protected.link-local\"")) << lines[3];
  std::vector<boost::asio::ip::address> only_metadata = {
      boost::asio::ip::make_address("169.254.169.254")};
  EXPECT_FALSE(t.session->screen_resolved(parsed("169.254.169.254"), only_metadata));
  EXPECT_TRUE(only_metadata.empty());
}

TEST(SessionPolicyProtectedClasses, RuleNamingTheClassLetsItThrough) {
  WideTenant t(
      "[[tenant.udp.send]]\naddresses = [\"metadata\"]\n[[tenant.tcp.connect]]\naddresses = "
      "[\"fe80::/10\"]\n");
  // (The appended rules belong to the wide tenant: its tables continue.)
  EXPECT_TRUE(t.session->allows(Protocol::udp, Use::send, at("169.254.169.254", 53)));
  EXPECT_TRUE(t.session->allows(Protocol::tcp, Use::connect, at("fe80::1", 80)));
  EXPECT_FALSE(t.session->allows(Protocol::tcp, Use::connect, at("169.254.169.254", 80)));
  std::vector<boost::asio::ip::address> answer = {boost::asio::ip::make_address("169.254.169.254"),
                                                  boost::asio::ip::make_address("fe80::1"),
                                                  boost::asio::ip::make_address("169.254.1.1")};
  EXPECT_TRUE(t.session->screen_resolved(parsed("imds.example.com"), answer));
  EXPECT_EQ(answer.size(), 2u);  // metadata (named for udp.send) and fe80::1; not 169.254.1.1
}

// Issue 13 item 3: report mode decides and audits everything, enforces only the quotas.
TEST(SessionPolicyReportMode, DenialsAreWouldDenyAndGoAhead) {
  AuditCapture audit;
  LoadResult loaded = parse_policy(
      "[[tenant]]\nname = \"learn\"\nmode = \"report\"\n[tenant.quotas]\nsockets = 1\n"
      "connections_per_second = 1\n",
      "r.toml");
  ASSERT_TRUE(loaded.ok()) << loaded.error->to_string();
  auto tenancy = Tenancy::create(loaded.policy, "", audit.log()).tenancy;
  std::vector<std::string> denials;
  tenancy->on_denial([&](const std::string&, std::string_view, std::string_view rule) {
    denials.emplace_back(rule);
  });
  auto session = tenancy->admit({5, 5, 5, "main"}).session;
  ASSERT_TRUE(session);
  const Capabilities caps = session->capabilities();
  EXPECT_TRUE(caps.tcp && caps.udp && caps.name_lookup);
  auto socket = session->open_socket(Protocol::tcp);  // no [tenant.tcp]: switched off
  EXPECT_TRUE(socket.ok());
  EXPECT_TRUE(has(audit.last(),
                  "\"operation\":\"tcp.create\",\"rule\":\"learn.tcp.disabled\",\"outcome\":"
                  "\"would-deny\""))
      << audit.last();
  EXPECT_TRUE(session->allows(Protocol::tcp, Use::connect, at("192.0.2.1", 80)));
  EXPECT_TRUE(has(audit.last(),
                  "\"address\":\"192.0.2.1:80\",\"rule\":\"learn.disabled\",\"outcome\":\"would-"
                  "deny\""))
      << audit.last();
  // The protected classes stay enforced, also behind a switch that is off.
  EXPECT_FALSE(session->allows(Protocol::tcp, Use::connect, at("169.254.169.254", 80)));
  EXPECT_TRUE(has(audit.last(), "\"rule\":\"protected.metadata\",\"outcome\":\"deny\""))
      << audit.last();
  EXPECT_TRUE(session->lookups_enabled("api.example.com"));
  EXPECT_TRUE(session->allows_lookup(parsed("api.example.com")));
  EXPECT_TRUE(has(audit.last(), "\"name\":\"api.example.com\"")) << audit.last();
  EXPECT_TRUE(has(audit.last(), "\"outcome\":\"would-deny\"")) << audit.last();
  const auto lines = audit.lines();
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(),
                          [](const std::string& l) { return has(l, "api.example.com"); }),
            1)
      << "one lookup, one line";
  std::vector<boost::asio::ip::address> answer = {boost::asio::ip::make_address("169.254.169.254")};
  EXPECT_FALSE(session->screen_resolved(parsed("imds.example.com"), answer));
  EXPECT_TRUE(answer.empty());
  EXPECT_TRUE(has(audit.last(), "\"rule\":\"protected.metadata\",\"outcome\":\"deny\""))
      << audit.last();
  EXPECT_EQ(denials, (std::vector<std::string>{"protected.metadata", "protected.metadata"}))
      << "only the protected classes were denied";
  denials.clear();
  // The quotas still hold.
  auto second = session->open_socket(Protocol::udp);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error(), sockets::ErrorCode::new_socket_limit);
  EXPECT_TRUE(has(audit.last(), "\"rule\":\"quota.sockets\",\"outcome\":\"deny\"")) << audit.last();
  EXPECT_TRUE(session->try_new_connection(at("192.0.2.1", 80)));
  EXPECT_FALSE(session->try_new_connection(at("192.0.2.1", 80)));
  EXPECT_EQ(denials, (std::vector<std::string>{"quota.sockets", "quota.connections_per_second"}));
}

TEST(SessionPolicyReportMode, EnforceIsTheDefaultAndOtherModesAreErrors) {
  LoadResult plain = parse_policy("[[tenant]]\nname = \"a\"\n", "m.toml");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain.policy->tenants[0]->mode, Mode::enforce);
  LoadResult report = parse_policy("[[tenant]]\nname = \"a\"\nmode = \"report\"\n", "m.toml");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(summarize(*report.policy),
            "1 listener (main), 1 tenant: a (no network; 0 rules; listeners main; report mode); "
            "audit to stderr");
  LoadResult bad = parse_policy("[[tenant]]\nname = \"a\"\nmode = \"audit\"\n", "m.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error->to_string(),
            "m.toml:3:8: 'mode' must be \"enforce\" or \"report\" in [[tenant]] \"a\"");
}

}  // namespace
}  // namespace wasi_socketd::policy
