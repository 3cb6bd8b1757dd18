// SessionTest: a fresh broker (DaemonProcess, tests/daemon) and one client session per test;
// parametrized tests get the address family as their parameter.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include <signal.h>

#include <optional>

#include "daemon_process.h"
#include "wasi_socketd/client/address.h"
#include "wasi_socketd/client/session.h"

namespace wasi_socketd::testing {

inline client::IpSocketAddress loopback(client::AddressFamily family, std::uint16_t port = 0) {
  client::IpSocketAddress address;
  if (family == client::AddressFamily::kIpv4) {
    address.address = client::IpAddress::v4(127, 0, 0, 1);
  } else {
    std::array<std::uint8_t, 16> octets{};
    octets[15] = 1;
    address.address = client::IpAddress::v6(octets);
  }
  address.port = port;
  return address;
}

inline client::IpSocketAddress parse_address(const std::string& ip, std::uint16_t port) {
  client::IpSocketAddress address;
  EXPECT_TRUE(client::IpAddress::parse(ip, &address.address)) << ip;
  address.port = port;
  return address;
}

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_THROW(broker_.emplace(daemon_args()));
    session_ = open_session();
    ASSERT_NE(session_, nullptr);
  }

  // Extra command-line arguments for the broker (e.g. a policy); none by default.
  virtual std::vector<std::string> daemon_args() const { return {}; }

  std::shared_ptr<client::Session> open_session() {
    std::string error;
    auto session = client::Session::open({broker_->socket_path()}, &error);
    EXPECT_NE(session, nullptr) << error;
    return session;
  }

  // The broker dies at once (SIGKILL), as in a crash; the fixture still reaps it.
  void kill_broker() {
    ::kill(broker_->pid(), SIGKILL);
    broker_->terminate();
  }

  std::optional<DaemonProcess> broker_;
  std::shared_ptr<client::Session> session_;
};

class FamilyTest : public SessionTest, public ::testing::WithParamInterface<client::AddressFamily> {
 protected:
  client::AddressFamily family() const { return GetParam(); }
  client::AddressFamily other_family() const {
    return family() == client::AddressFamily::kIpv4 ? client::AddressFamily::kIpv6
                                                    : client::AddressFamily::kIpv4;
  }
};

inline std::string family_name(const ::testing::TestParamInfo<client::AddressFamily>& info) {
  return info.param == client::AddressFamily::kIpv4 ? "IPv4" : "IPv6";
}

#define WSD_INSTANTIATE_FAMILIES(suite)                                                   \
  INSTANTIATE_TEST_SUITE_P(Families, suite,                                               \
                           ::testing::Values(wasi_socketd::client::AddressFamily::kIpv4,  \
                                             wasi_socketd::client::AddressFamily::kIpv6), \
                           wasi_socketd::testing::family_name)

}  // namespace wasi_socketd::testing
