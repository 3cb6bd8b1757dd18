#include "policy/default_policy.h"
#include "policy/policy_summary.h"

#include <gtest/gtest.h>

namespace wasi_socketd::policy {
namespace {

boost::asio::ip::address ip(const char* text) { return boost::asio::ip::make_address(text); }

class DefaultPolicy : public ::testing::Test {
 protected:
  std::shared_ptr<const Policy> policy_ = make_default_policy(4242);
  const Tenant& local() const { return *policy_->tenants.at(0); }
};

TEST_F(DefaultPolicy, AdmitsOnlyTheOwnersUidThroughTheMainSocket) {
  EXPECT_TRUE(policy_->select_tenant({4242, 1, 1, "main"}));
  EXPECT_FALSE(policy_->select_tenant({4243, 1, 1, "main"}));
  EXPECT_FALSE(policy_->select_tenant({4242, 1, 1, "other"}));
}

TEST_F(DefaultPolicy, AllSwitchesOn) {
  EXPECT_TRUE(local().tcp);
  EXPECT_TRUE(local().udp);
  EXPECT_TRUE(local().name_lookup.enabled);
}

TEST_F(DefaultPolicy, BindsToLoopbackAndImplicitWildcardOnly) {
  for (Operation bind : {Operation::tcp_bind, Operation::udp_bind}) {
    EXPECT_TRUE(local().decide(bind, ip("127.0.0.1"), 0).allowed);
    EXPECT_TRUE(local().decide(bind, ip("127.0.0.1"), 8080).allowed);
    EXPECT_TRUE(local().decide(bind, ip("::1"), 8080).allowed);
    EXPECT_TRUE(local().decide(bind, ip("0.0.0.0"), 0).allowed);  // implicit bind
    EXPECT_TRUE(local().decide(bind, ip("::"), 0).allowed);
    EXPECT_FALSE(local().decide(bind, ip("0.0.0.0"), 8080).allowed);
    EXPECT_FALSE(local().decide(bind, ip("192.0.2.1"), 0).allowed);
    EXPECT_FALSE(local().decide(bind, ip("127.0.0.1"), 80).allowed);  // nothing lent below 1024
  }
}

TEST_F(DefaultPolicy, PeersOnLoopbackOnly) {
  for (Operation peer : {Operation::tcp_connect, Operation::tcp_accept, Operation::udp_send,
                         Operation::udp_receive, Operation::tcp_listen}) {
    EXPECT_TRUE(local().decide(peer, ip("127.0.0.1"), 80).allowed);
    EXPECT_TRUE(local().decide(peer, ip("::1"), 80).allowed);
    EXPECT_FALSE(local().decide(peer, ip("10.0.0.1"), 80).allowed);
    EXPECT_FALSE(local().decide(peer, ip("2001:db8::1"), 80).allowed);
  }
}

TEST_F(DefaultPolicy, LooksUpLocalhostAndIpLiteralsOnly) {
  EXPECT_TRUE(local().decide_lookup("localhost").allowed);
  EXPECT_TRUE(local().decide_lookup("127.0.0.1").allowed);
  EXPECT_TRUE(local().decide_lookup("[::]").allowed);
  EXPECT_TRUE(local().decide_lookup("2001:0db8:0:0:0:0:0:0").allowed);
  EXPECT_FALSE(local().decide_lookup("example.com").allowed);
}

TEST_F(DefaultPolicy, SummaryNamesTheTenantAndWhatItMayDo) {
  EXPECT_EQ(summarize(*policy_),
            "1 listener (main), 1 tenant: local (tcp, udp, lookups; 9 rules; listeners main); "
            "audit to stderr");
}

}  // namespace
}  // namespace wasi_socketd::policy
