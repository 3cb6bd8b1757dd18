#include "address_aggregation.h"

#include <gtest/gtest.h>

namespace wasi_socketd::daemon::ctl {
namespace {

std::set<boost::asio::ip::address> ips(std::initializer_list<const char*> texts) {
  std::set<boost::asio::ip::address> out;
  for (const char* text : texts) out.insert(boost::asio::ip::make_address(text));
  return out;
}

using Strings = std::vector<std::string>;

TEST(AddressAggregation, MergesOnlyWholeBlocks) {
  EXPECT_EQ(aggregate_addresses(ips({"10.0.0.0", "10.0.0.1"})), Strings{"10.0.0.0/31"});
  // .1 and .2 are not one block: a /30 would add .0 and .3, never seen.
  EXPECT_EQ(aggregate_addresses(ips({"10.0.0.1", "10.0.0.2"})), (Strings{"10.0.0.1", "10.0.0.2"}));
  EXPECT_EQ(aggregate_addresses(ips({"10.0.0.0", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.5"})),
            (Strings{"10.0.0.0/30", "10.0.0.5"}));
}

TEST(AddressAggregation, MergesAcrossLevels) {
  std::set<boost::asio::ip::address> all;
  for (int i = 0; i < 256; ++i) {
    all.insert(boost::asio::ip::make_address("192.0.2." + std::to_string(i)));
  }
  EXPECT_EQ(aggregate_addresses(all), Strings{"192.0.2.0/24"});
  EXPECT_EQ(aggregate_addresses(ips({"2001:db8::", "2001:db8::1", "::1"})),
            (Strings{"::1", "2001:db8::/127"}));
}

TEST(AddressAggregation, Ipv4FirstAndMappedSeenAsIpv4) {
  EXPECT_EQ(aggregate_addresses(ips({"::1", "::ffff:10.0.0.1", "10.0.0.0"})),
            (Strings{"10.0.0.0/31", "::1"}));
}

// A merged block would no longer name the protected class: its addresses stay alone.
TEST(AddressAggregation, ProtectedAddressesAreNeverMerged) {
  EXPECT_EQ(aggregate_addresses(ips({"169.254.169.254", "169.254.169.255"})),
            (Strings{"169.254.169.254", "169.254.169.255"}));
}

TEST(AddressAggregation, PortRanges) {
  EXPECT_EQ(aggregate_ports({80, 8080, 8081, 8082, 9000}), (Strings{"80", "8080-8082", "9000"}));
  EXPECT_EQ(aggregate_ports({0, 65535}), (Strings{"0", "65535"}));
  EXPECT_EQ(aggregate_ports({65534, 65535}), Strings{"65534-65535"});
  EXPECT_TRUE(aggregate_ports({}).empty());
}

}  // namespace
}  // namespace wasi_socketd::daemon::ctl
