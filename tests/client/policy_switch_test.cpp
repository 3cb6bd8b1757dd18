// The broker's policy as the client sees it: switched-off capabilities answer with the WIT's codes,
// and the conformance policy lets binds reach the kernel (deploy/policies/*.toml).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "session_fixture.h"
#include "wasi_socketd/client/name_lookup.h"
#include "wasi_socketd/client/tcp_socket.h"
#include "wasi_socketd/client/udp_socket.h"

namespace wasi_socketd::testing {
namespace {

using client::ErrorCode;

class SealedTenantTest : public SessionTest {
 protected:
  std::vector<std::string> daemon_args() const override {
    return {"--policy", std::string(WASI_SOCKETD_POLICY_DIR) + "/no-network.toml"};
  }
};

TEST_F(SealedTenantTest, CreateSocketsIsAccessDeniedAndLookupIsPermanentFailure) {
  EXPECT_FALSE(session_->opened().capabilities().tcp());
  auto tcp = client::TcpSocket::create(session_, client::AddressFamily::kIpv4);
  ASSERT_FALSE(tcp);
  EXPECT_EQ(tcp.error(), ErrorCode::kAccessDenied);
  auto udp = client::UdpSocket::create(session_, client::AddressFamily::kIpv6);
  ASSERT_FALSE(udp);
  EXPECT_EQ(udp.error(), ErrorCode::kAccessDenied);
  auto lookup = client::resolve_addresses(*session_, session_->network_id(), "localhost");
  ASSERT_FALSE(lookup);
  EXPECT_EQ(lookup.error(), ErrorCode::kPermanentResolverFailure);
}

class ConformancePolicyTest : public FamilyTest {
 protected:
  std::vector<std::string> daemon_args() const override {
    return {"--policy", std::string(WASI_SOCKETD_POLICY_DIR) + "/conformance.toml"};
  }
};

TEST_P(ConformancePolicyTest, BindToAddressNotOnThisHostIsNotBindable) {
  auto tcp = client::TcpSocket::create(session_, family());
  auto udp = client::UdpSocket::create(session_, family());
  ASSERT_TRUE(tcp);
  ASSERT_TRUE(udp);
  const auto address = family() == client::AddressFamily::kIpv4 ? parse_address("192.0.2.0", 0)
                                                                : parse_address("2001:db8::", 0);
  client::Status status = tcp->start_bind(session_->network_id(), address);
  if (status) status = tcp->finish_bind();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error(), ErrorCode::kAddressNotBindable);
  status = udp->start_bind(session_->network_id(), address);
  if (status) status = udp->finish_bind();
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error(), ErrorCode::kAddressNotBindable);
}

WSD_INSTANTIATE_FAMILIES(ConformancePolicyTest);

}  // namespace
}  // namespace wasi_socketd::testing
