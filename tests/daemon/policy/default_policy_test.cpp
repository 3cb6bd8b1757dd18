#include "policy/default_policy.h"
#include "policy/policy_summary.h"

#include <gtest/gtest.h>

namespace wasi_socketd::policy {
namespace {

boost::asio::ip::address ip(const char* text) { return boost::asio::ip::make_address(text); }

class DefaultPolicy : public ::testing::Test {
 protected:
  std::shared_ptr<const Policy> policy_ = make_default_policy(4242);
  const Tenant& tenant() const { return *policy_->tenants.at(0); }
};

TEST_F(DefaultPolicy, AdmitsOnlyTheOwnersUidThroughTheMainSocket) {
  EXPECT_TRUE(policy_->select_tenant({4242, 1, 1, "main"}));
  EXPECT_FALSE(policy_->select_tenant({4243, 1, 1, "main"}));
  EXPECT_FALSE(policy_->select_tenant({4242, 1, 1, "other"}));
}

TEST_F(DefaultPolicy, AllSwitchesOn) {
  EXPECT_TRUE(tenant().tcp);
  EXPECT_TRUE(tenant().udp);
  EXPECT_TRUE(tenant().name_lookup.enabled);
}

TEST_F(DefaultPolicy, BindsAndListensOnLoopbackOrTheWildcard) {
  for (Operation local : {Operation::tcp_bind, Operation::udp_bind, Operation::tcp_listen}) {
    EXPECT_TRUE(tenant().decide(local, ip("127.0.0.1"), 0).allowed);
    EXPECT_TRUE(tenant().decide(local, ip("127.0.0.1"), 8080).allowed);
    EXPECT_TRUE(tenant().decide(local, ip("::1"), 8080).allowed);
    EXPECT_TRUE(tenant().decide(local, ip("0.0.0.0"), 0).allowed);  // also the implicit bind
    EXPECT_TRUE(tenant().decide(local, ip("::"), 8080).allowed);
    EXPECT_FALSE(tenant().decide(local, ip("192.0.2.1"), 0).allowed);
    EXPECT_FALSE(tenant().decide(local, ip("2001:db8::1"), 0).allowed);
  }
  // Nothing is lent below 1024.
  EXPECT_FALSE(tenant().decide(Operation::tcp_bind, ip("127.0.0.1"), 80).allowed);
  EXPECT_FALSE(tenant().decide(Operation::udp_bind, ip("::"), 53).allowed);
}

TEST_F(DefaultPolicy, PeersOnLoopbackOnly) {
  for (Operation peer : {Operation::tcp_connect, Operation::tcp_accept, Operation::udp_send,
                         Operation::udp_receive}) {
    EXPECT_TRUE(tenant().decide(peer, ip("127.0.0.1"), 80).allowed);
    EXPECT_TRUE(tenant().decide(peer, ip("::1"), 80).allowed);
    EXPECT_FALSE(tenant().decide(peer, ip("10.0.0.1"), 80).allowed);
    EXPECT_FALSE(tenant().decide(peer, ip("2001:db8::1"), 80).allowed);
  }
}

// Names reach the policy parsed (sockets::parse_lookup_name): literals as addresses.
TEST_F(DefaultPolicy, LooksUpLocalhostAndIpLiteralsOnly) {
  const auto host = [](const char* name) { return sockets::LookupName(std::string(name)); };
  EXPECT_TRUE(tenant().decide_lookup(host("localhost")).allowed);
  EXPECT_TRUE(tenant().decide_lookup(sockets::LookupName(ip("127.0.0.1"))).allowed);
  EXPECT_TRUE(tenant().decide_lookup(sockets::LookupName(ip("::"))).allowed);
  EXPECT_TRUE(tenant().decide_lookup(sockets::LookupName(ip("2001:db8::"))).allowed);
  EXPECT_FALSE(tenant().decide_lookup(host("example.com")).allowed);
}

TEST_F(DefaultPolicy, SummaryNamesTheTenantAndWhatItMayDo) {
  EXPECT_EQ(summarize(*policy_),
            "1 listener (main), 1 tenant: default (tcp, udp, lookups; 10 rules; listeners main); "
            "audit to stderr");
}

}  // namespace
}  // namespace wasi_socketd::policy
