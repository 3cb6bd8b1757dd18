// resolve_addresses against a real broker: localhost and IP literals.
#include "wasi_socketd/client/name_lookup.h"

#include <gtest/gtest.h>

#include "session_fixture.h"

namespace wasi_socketd::testing {
namespace {

TEST_F(SessionTest, LocalhostResolvesToLoopback) {
  auto result = client::resolve_addresses(*session_, session_->network_id(), "localhost");
  ASSERT_TRUE(result);
  ASSERT_FALSE(result->addresses.empty());
  EXPECT_FALSE(result->end_error.has_value());
}

TEST_F(SessionTest, IpLiteralsResolveToThemselves) {
  const std::pair<std::string, std::string> cases[] = {
      {"0.0.0.0", "0.0.0.0"}, {"127.0.0.1", "127.0.0.1"},
      {"::", "::"},           {"::1", "::1"},
      {"[::]", "::"},         {"2001:0db8:0:0:0:0:0:0", "2001:db8::"}};
  for (const auto& [name, expected] : cases) {
    auto result = client::resolve_addresses(*session_, session_->network_id(), name);
    ASSERT_TRUE(result) << name;
    ASSERT_EQ(result->addresses.size(), 1u) << name;
    EXPECT_EQ(result->addresses[0].to_string(), expected) << name;
  }
}

TEST_F(SessionTest, ResultsNeverContainIpv4MappedAddresses) {
  auto result = client::resolve_addresses(*session_, session_->network_id(), "localhost");
  ASSERT_TRUE(result);
  for (const auto& a : result->addresses) {
    if (a.family != client::AddressFamily::kIpv6) continue;
    const bool mapped = std::all_of(a.octets.begin(), a.octets.begin() + 10,
                                    [](std::uint8_t b) { return b == 0; }) &&
                        a.octets[10] == 0xff && a.octets[11] == 0xff;
    EXPECT_FALSE(mapped) << a.to_string();
  }
}

}  // namespace
}  // namespace wasi_socketd::testing
