// The C ABI's wasi:sockets/ip-name-lookup against a real broker, and the policy switches.
#include <gtest/gtest.h>

#include <cstring>

#include "host_fixture.h"

namespace wasi_socketd::testing {
namespace {

using NameLookupAbiTest = HostTest;

TEST_F(NameLookupAbiTest, LiteralResolvesToItselfThenTheStreamEnds) {
  uint32_t stream = 0;
  ASSERT_EQ(wsd_resolve_addresses(h_, network_, "[::1]", 5, &stream), WSD_OK);
  wsd_ip_address address{};
  bool has = false;
  ASSERT_EQ(wsd_resolve_next_address(h_, stream, &address, &has), WSD_OK);
  ASSERT_TRUE(has);
  EXPECT_EQ(address.family, WSD_IPV6);
  EXPECT_EQ(address.octets[15], 1);
  ASSERT_EQ(wsd_resolve_next_address(h_, stream, &address, &has), WSD_OK);
  EXPECT_FALSE(has);
}

TEST_F(NameLookupAbiTest, LocalhostResolves) {
  uint32_t stream = 0, pollable = 0;
  ASSERT_EQ(wsd_resolve_addresses(h_, network_, "localhost", 9, &stream), WSD_OK);
  ASSERT_EQ(wsd_resolve_address_stream_subscribe(h_, stream, &pollable), WSD_OK);
  ASSERT_EQ(wsd_pollable_block(h_, pollable), WSD_OK);
  wsd_ip_address address{};
  bool has = false;
  ASSERT_EQ(wsd_resolve_next_address(h_, stream, &address, &has), WSD_OK);
  EXPECT_TRUE(has);
  EXPECT_EQ(wsd_resource_drop(h_, stream), WSD_TRAP);  // its pollable still lives
}

// A tenant with every capability switched off (deploy/policies/no-network.toml).
class SealedHostTest : public HostTest {
 protected:
  std::vector<std::string> daemon_args() const override {
    return {"--policy", std::string(WASI_SOCKETD_POLICY_DIR) + "/no-network.toml"};
  }
};

TEST_F(SealedHostTest, SocketsAreAccessDeniedAndLookupsPermanentFailures) {
  uint32_t handle = 0;
  EXPECT_EQ(wsd_tcp_create_socket(h_, WSD_IPV4, &handle), WSD_ERR_ACCESS_DENIED);
  EXPECT_EQ(wsd_udp_create_socket(h_, WSD_IPV6, &handle), WSD_ERR_ACCESS_DENIED);
  EXPECT_EQ(wsd_resolve_addresses(h_, network_, "localhost", 9, &handle),
            WSD_ERR_PERMANENT_RESOLVER_FAILURE);
}

}  // namespace
}  // namespace wasi_socketd::testing
