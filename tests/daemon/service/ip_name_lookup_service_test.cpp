// IpNameLookup through the broker with the default (loopback) tenant.
#include <gtest/gtest.h>

#include "daemon_process.h"
#include "test_client.h"

namespace wasi_socketd::testing {
namespace {

class IpNameLookup : public ::testing::Test {
 protected:
  v1::ResolveAddressesResponse resolve(const std::string& name) {
    v1::ResolveAddressesRequest request;
    request.set_network_id(client.network_id());
    request.set_name(name);
    return client.call(client.lookup(), &v1::IpNameLookup::Stub::ResolveAddresses, request);
  }

  DaemonProcess daemon;
  TestClient client{daemon.target()};
};

TEST_F(IpNameLookup, LocalhostResolvesToLoopback) {
  v1::ResolveAddressesResponse response = resolve("localhost");
  EXPECT_EQ(response.error(), v1::ERROR_CODE_UNSPECIFIED);
  EXPECT_EQ(response.lookup_error(), v1::ERROR_CODE_UNSPECIFIED);
  ASSERT_GT(response.addresses_size(), 0);
  for (const v1::IpAddress& address : response.addresses()) {
    if (address.family() == v1::IP_ADDRESS_FAMILY_IPV4) {
      EXPECT_EQ(address.octets()[0], '\x7f');
    } else {
      EXPECT_EQ(address.octets(), std::string(15, '\0') + '\x01');
    }
  }
}

TEST_F(IpNameLookup, LiteralsResolveToThemselves) {
  v1::ResolveAddressesResponse response = resolve("[::]");
  ASSERT_EQ(response.addresses_size(), 1);
  EXPECT_EQ(response.addresses(0).family(), v1::IP_ADDRESS_FAMILY_IPV6);
  EXPECT_EQ(response.addresses(0).octets(), std::string(16, '\0'));
  response = resolve("127.0.0.1");
  ASSERT_EQ(response.addresses_size(), 1);
  EXPECT_EQ(response.addresses(0).octets(), std::string("\x7f\x00\x00\x01", 4));
}

TEST_F(IpNameLookup, MalformedAndOverlongNamesAreInvalid) {
  EXPECT_EQ(resolve("not a name").error(), v1::ERROR_CODE_INVALID_ARGUMENT);
  EXPECT_EQ(resolve("").error(), v1::ERROR_CODE_INVALID_ARGUMENT);
  EXPECT_EQ(resolve(std::string(256, 'a')).error(), v1::ERROR_CODE_INVALID_ARGUMENT);
}

TEST_F(IpNameLookup, NamesOutsideTheDefaultPolicyAreRefusedByTheStream) {
  v1::ResolveAddressesResponse response = resolve("example.com");
  EXPECT_EQ(response.error(), v1::ERROR_CODE_UNSPECIFIED);
  EXPECT_EQ(response.addresses_size(), 0);
  EXPECT_EQ(response.lookup_error(), v1::ERROR_CODE_PERMANENT_RESOLVER_FAILURE);
}

}  // namespace
}  // namespace wasi_socketd::testing
