#include "policy/resolved_addresses.h"

#include <gtest/gtest.h>

namespace wasi_socketd::policy {
namespace {

boost::asio::ip::address ip(const char* text) { return boost::asio::ip::make_address(text); }

TEST(ResolvedAddresses, RemembersWhichNameAnAddressCameFrom) {
  ResolvedAddresses memory;
  memory.remember("api.example.com", {ip("192.0.2.10"), ip("2001:db8::10")});
  EXPECT_EQ(memory.name_of(ip("192.0.2.10")), "api.example.com");
  EXPECT_EQ(memory.name_of(ip("2001:db8::10")), "api.example.com");
  EXPECT_EQ(memory.name_of(ip("::ffff:192.0.2.10")), "api.example.com");
  EXPECT_FALSE(memory.name_of(ip("192.0.2.11")));
}

TEST(ResolvedAddresses, BoundedOldestForgottenFirst) {
  ResolvedAddresses memory(2);
  memory.remember("a", {ip("192.0.2.1")});
  memory.remember("b", {ip("192.0.2.2")});
  memory.remember("a", {ip("192.0.2.1")});  // refreshed
  memory.remember("c", {ip("192.0.2.3")});
  EXPECT_EQ(memory.size(), 2u);
  EXPECT_TRUE(memory.name_of(ip("192.0.2.1")));
  EXPECT_FALSE(memory.name_of(ip("192.0.2.2")));
  EXPECT_TRUE(memory.name_of(ip("192.0.2.3")));
}

}  // namespace
}  // namespace wasi_socketd::policy
