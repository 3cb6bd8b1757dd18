// The C ABI's wasi:io/poll with socket, stream, lookup and clock pollables, and broker death.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "host_fixture.h"

namespace wasi_socketd::testing {
namespace {

using namespace std::chrono_literals;
using PollAbiTest = HostTest;

std::vector<uint32_t> poll(wsd_host* h, const std::vector<uint32_t>& pollables) {
  std::vector<uint32_t> ready(pollables.size());
  size_t n = 0;
  EXPECT_EQ(wsd_poll(h, pollables.data(), pollables.size(), ready.data(), &n), WSD_OK)
      << wsd_host_trap_message(h);
  ready.resize(n);
  return ready;
}

TEST_F(PollAbiTest, EmptyListTraps) {
  uint32_t ready[1];
  size_t n = 0;
  EXPECT_EQ(wsd_poll(h_, nullptr, 0, ready, &n), WSD_TRAP);
  EXPECT_NE(trap_message().find("empty"), std::string::npos) << trap_message();
}

TEST_F(PollAbiTest, NonPollableHandleTraps) {
  uint32_t ready[1];
  size_t n = 0;
  EXPECT_EQ(wsd_poll(h_, &network_, 1, ready, &n), WSD_TRAP);
}

TEST_F(PollAbiTest, ReturnsEveryReadyIndexAndOnlyThose) {
  wsd_ip_socket_address address{};
  const uint32_t l = listener(WSD_IPV4, &address);
  uint32_t idle_listener = 0, past = 0, future = 0, lookup = 0, lookup_pollable = 0;
  ASSERT_EQ(wsd_tcp_subscribe(h_, l, &idle_listener), WSD_OK);
  ASSERT_EQ(wsd_monotonic_subscribe_instant(h_, 0, &past), WSD_OK);
  ASSERT_EQ(wsd_monotonic_subscribe_duration(h_, 3'600'000'000'000, &future), WSD_OK);
  ASSERT_EQ(wsd_resolve_addresses(h_, network_, "127.0.0.1", 9, &lookup), WSD_OK);
  ASSERT_EQ(wsd_resolve_address_stream_subscribe(h_, lookup, &lookup_pollable), WSD_OK);
  EXPECT_EQ(poll(h_, {idle_listener, past, future, lookup_pollable}),
            (std::vector<uint32_t>{1, 3}));
}

TEST_F(PollAbiTest, SleepsUntilTheEarliestClockWithoutSpinning) {
  wsd_ip_socket_address address{};
  const uint32_t l = listener(WSD_IPV4, &address);
  uint32_t idle = 0, soon = 0;
  ASSERT_EQ(wsd_tcp_subscribe(h_, l, &idle), WSD_OK);
  ASSERT_EQ(wsd_monotonic_subscribe_duration(h_, 100'000'000, &soon), WSD_OK);
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  EXPECT_EQ(poll(h_, {idle, soon}), (std::vector<uint32_t>{1}));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 100ms);
  const double cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  EXPECT_LT(cpu_seconds, 0.05);  // a busy loop would burn the whole 100 ms
}

TEST_F(PollAbiTest, WakesWhenAConnectionArrives) {
  wsd_ip_socket_address address{};
  const uint32_t l = listener(WSD_IPV4, &address);
  uint32_t accept_ready = 0, late = 0;
  ASSERT_EQ(wsd_tcp_subscribe(h_, l, &accept_ready), WSD_OK);
  ASSERT_EQ(wsd_monotonic_subscribe_duration(h_, 10'000'000'000, &late), WSD_OK);
  // Another guest instance (its own host and session) connects after a while.
  auto connector = std::async(std::launch::async, [&] {
    std::this_thread::sleep_for(50ms);
    wsd_host* other = open_host();
    uint32_t network = 0, s = 0, in = 0, out = 0, p = 0;
    wsd_instance_network(other, &network);
    wsd_tcp_create_socket(other, WSD_IPV4, &s);
    wsd_tcp_start_connect(other, s, network, &address);
    wsd_tcp_subscribe(other, s, &p);
    wsd_pollable_block(other, p);
    const int32_t code = wsd_tcp_finish_connect(other, s, &in, &out);
    std::this_thread::sleep_for(200ms);  // keep the connection until the listener saw it
    wsd_host_close(other);
    return code;
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(poll(h_, {late, accept_ready}), (std::vector<uint32_t>{1}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(connector.get(), WSD_OK);
}

TEST_F(PollAbiTest, PollableCanBeBlockedOnRepeatedlyAndIsReadyAfter) {
  uint32_t p = 0;
  ASSERT_EQ(wsd_monotonic_subscribe_duration(h_, 1'000'000, &p), WSD_OK);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(wsd_pollable_block(h_, p), WSD_OK);
  bool ready = false;
  ASSERT_EQ(wsd_pollable_ready(h_, p, &ready), WSD_OK);
  EXPECT_TRUE(ready);
}

TEST_F(PollAbiTest, AlwaysReadyPollablesDoNotStarveOthers) {
  Connection client, server;
  connect_pair(WSD_IPV4, &client, &server);
  ASSERT_EQ(wsd_output_stream_blocking_write_and_flush(
                h_, client.output, reinterpret_cast<const uint8_t*>("x"), 1, nullptr),
            WSD_OK);
  uint32_t always = 0, data = 0;
  ASSERT_EQ(wsd_monotonic_subscribe_instant(h_, 0, &always), WSD_OK);
  ASSERT_EQ(wsd_input_stream_subscribe(h_, server.input, &data), WSD_OK);
  ASSERT_EQ(wsd_pollable_block(h_, data), WSD_OK);
  EXPECT_EQ(poll(h_, {always, data}), (std::vector<uint32_t>{0, 1}));
}

TEST_F(PollAbiTest, BrokerDeathTrapsABlockedPollAndEveryLaterCall) {
  wsd_ip_socket_address address{};
  const uint32_t l = listener(WSD_IPV4, &address);
  uint32_t never = 0;
  ASSERT_EQ(wsd_tcp_subscribe(h_, l, &never), WSD_OK);
  auto blocked = std::async(std::launch::async, [&] {
    uint32_t ready[1];
    size_t n = 0;
    return wsd_poll(h_, &never, 1, ready, &n);
  });
  ASSERT_EQ(blocked.wait_for(100ms), std::future_status::timeout);
  kill_broker();
  ASSERT_EQ(blocked.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(blocked.get(), WSD_TRAP);
  EXPECT_EQ(trap_message(), "wasi-socketd: connection to broker lost");
  uint32_t s = 0;
  EXPECT_EQ(wsd_tcp_create_socket(h_, WSD_IPV4, &s), WSD_TRAP);
  bool ready = false;
  EXPECT_EQ(wsd_pollable_ready(h_, never, &ready), WSD_TRAP);
  EXPECT_EQ(trap_message(), "wasi-socketd: connection to broker lost");
  // The guest can still clean up.
  EXPECT_EQ(wsd_resource_drop(h_, never), WSD_OK);
  EXPECT_EQ(wsd_resource_drop(h_, l), WSD_OK);
}

}  // namespace
}  // namespace wasi_socketd::testing
