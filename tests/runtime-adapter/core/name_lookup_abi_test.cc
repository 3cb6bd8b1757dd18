// The C ABI's wasi:sockets/ip-name-lookup against a real broker.
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

}  // namespace
}  // namespace wasi_socketd::testing
