// HostTest: a fresh broker (DaemonProcess, tests/daemon) and one wsd_host (one guest instance) per
// test, plus helpers that drive the C ABI the way a guest would.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "daemon_process.h"
#include "wasi_socketd/adapter.h"

namespace wasi_socketd::testing {

inline wsd_ip_socket_address abi_address(const std::string& ip, uint16_t port) {
  wsd_ip_socket_address a{};
  if (inet_pton(AF_INET, ip.c_str(), a.address) == 1) {
    a.family = WSD_IPV4;
  } else {
    EXPECT_EQ(inet_pton(AF_INET6, ip.c_str(), a.address), 1) << ip;
    a.family = WSD_IPV6;
  }
  a.port = port;
  return a;
}

inline std::string loopback_ip(uint8_t family) { return family == WSD_IPV4 ? "127.0.0.1" : "::1"; }

class HostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_THROW(broker_.emplace(daemon_args()));
    h_ = open_host();
    ASSERT_NE(h_, nullptr);
    ASSERT_EQ(wsd_instance_network(h_, &network_), WSD_OK);
  }
  void TearDown() override { wsd_host_close(h_); }

  // Extra command-line arguments for the broker (e.g. a policy); none by default.
  virtual std::vector<std::string> daemon_args() const { return {}; }

  wsd_host* open_host() {
    char err[256] = {};
    wsd_host* h = wsd_host_open(broker_->socket_path().c_str(), err, sizeof err);
    EXPECT_NE(h, nullptr) << err;
    return h;
  }

  std::string trap_message() const { return wsd_host_trap_message(h_); }

  // A listening TCP socket on loopback; its address goes to *address.
  uint32_t listener(uint8_t family, wsd_ip_socket_address* address) {
    uint32_t s = 0;
    EXPECT_EQ(wsd_tcp_create_socket(h_, family, &s), WSD_OK);
    const auto local = abi_address(loopback_ip(family), 0);
    EXPECT_EQ(wsd_tcp_start_bind(h_, s, network_, &local), WSD_OK);
    EXPECT_EQ(wsd_tcp_finish_bind(h_, s), WSD_OK);
    EXPECT_EQ(wsd_tcp_start_listen(h_, s), WSD_OK);
    EXPECT_EQ(wsd_tcp_finish_listen(h_, s), WSD_OK);
    EXPECT_EQ(wsd_tcp_local_address(h_, s, address), WSD_OK);
    return s;
  }

  // Blocks on a fresh pollable of `resource` made by `subscribe`, then drops the pollable.
  template <typename Subscribe>
  void block_on(uint32_t resource, Subscribe subscribe) {
    uint32_t p = 0;
    ASSERT_EQ(subscribe(h_, resource, &p), WSD_OK);
    ASSERT_EQ(wsd_pollable_block(h_, p), WSD_OK);
    ASSERT_EQ(wsd_resource_drop(h_, p), WSD_OK);
  }

  struct Connection {
    uint32_t socket = 0, input = 0, output = 0;
  };

  // A connected client (through this host) and the accepted server side.
  void connect_pair(uint8_t family, Connection* client, Connection* server) {
    wsd_ip_socket_address address{};
    listener_ = listener(family, &address);
    ASSERT_EQ(wsd_tcp_create_socket(h_, family, &client->socket), WSD_OK);
    ASSERT_EQ(wsd_tcp_start_connect(h_, client->socket, network_, &address), WSD_OK);
    block_on(client->socket, wsd_tcp_subscribe);
    ASSERT_EQ(wsd_tcp_finish_connect(h_, client->socket, &client->input, &client->output), WSD_OK);
    block_on(listener_, wsd_tcp_subscribe);
    ASSERT_EQ(wsd_tcp_accept(h_, listener_, &server->socket, &server->input, &server->output),
              WSD_OK);
  }

  // Reads exactly n bytes with blocking-read (fewer if the stream ends).
  std::string read_exactly(uint32_t input, size_t n) {
    std::string out;
    std::vector<uint8_t> buf(n);
    while (out.size() < n) {
      uint64_t got = 0;
      if (wsd_input_stream_blocking_read(h_, input, n - out.size(), buf.data(), &got, nullptr) !=
          WSD_OK) {
        break;
      }
      out.append(reinterpret_cast<const char*>(buf.data()), got);
    }
    return out;
  }

  // The broker dies at once (SIGKILL), as in a crash; the fixture still reaps it.
  void kill_broker() {
    ::kill(broker_->pid(), SIGKILL);
    broker_->terminate();
  }

  std::optional<DaemonProcess> broker_;
  wsd_host* h_ = nullptr;
  uint32_t network_ = 0;
  uint32_t listener_ = 0;
};

class FamilyHostTest : public HostTest, public ::testing::WithParamInterface<uint8_t> {
 protected:
  uint8_t family() const { return GetParam(); }
};

#define WSD_INSTANTIATE_ABI_FAMILIES(suite)                                                \
  INSTANTIATE_TEST_SUITE_P(Families, suite,                                                \
                           ::testing::Values(uint8_t{WSD_IPV4}, uint8_t{WSD_IPV6}),        \
                           [](const ::testing::TestParamInfo<uint8_t>& info) {             \
                             return std::string(info.param == WSD_IPV4 ? "IPv4" : "IPv6"); \
                           })

}  // namespace wasi_socketd::testing
