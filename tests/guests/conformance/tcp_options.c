// CONFORMANCE.md "TCP options": defaults, zero refused, extremes clamped, exact read-back,
// inheritance by accepted sockets.
#include "wasi_guest/fixtures.h"

static void defaults_readable(ip_family f) {
  tcp_socket s;
  EXPECT_OK(tcp_create(f, &s));
  bool keep_alive;
  uint64_t idle, interval, rcvbuf, sndbuf;
  uint32_t count;
  uint8_t hops;
  EXPECT_OK(tcp_keep_alive_enabled(s, &keep_alive));
  EXPECT_OK(tcp_keep_alive_idle_time(s, &idle));
  EXPECT_OK(tcp_keep_alive_interval(s, &interval));
  EXPECT_OK(tcp_keep_alive_count(s, &count));
  EXPECT_OK(tcp_hop_limit(s, &hops));
  EXPECT_OK(tcp_receive_buffer_size(s, &rcvbuf));
  EXPECT_OK(tcp_send_buffer_size(s, &sndbuf));
  EXPECT_TRUE(idle > 0, "keep-alive-idle-time default is 0");
  EXPECT_TRUE(interval > 0, "keep-alive-interval default is 0");
  EXPECT_TRUE(count > 0, "keep-alive-count default is 0");
  EXPECT_TRUE(hops > 0, "hop-limit default is 0");
  EXPECT_TRUE(rcvbuf > 0, "receive-buffer-size default is 0");
  EXPECT_TRUE(sndbuf > 0, "send-buffer-size default is 0");
  tcp_drop(s);
}

static void zero_invalid(ip_family f) {
  tcp_socket s;
  EXPECT_OK(tcp_create(f, &s));
  EXPECT_NET(tcp_set_listen_backlog_size(s, 0), ERR_INVALID_ARGUMENT);
  EXPECT_NET(tcp_set_keep_alive_idle_time(s, 0), ERR_INVALID_ARGUMENT);
  EXPECT_NET(tcp_set_keep_alive_interval(s, 0), ERR_INVALID_ARGUMENT);
  EXPECT_NET(tcp_set_keep_alive_count(s, 0), ERR_INVALID_ARGUMENT);
  EXPECT_NET(tcp_set_hop_limit(s, 0), ERR_INVALID_ARGUMENT);
  EXPECT_NET(tcp_set_receive_buffer_size(s, 0), ERR_INVALID_ARGUMENT);
  EXPECT_NET(tcp_set_send_buffer_size(s, 0), ERR_INVALID_ARGUMENT);
  tcp_drop(s);
}

static void largest_clamped(ip_family f) {
  tcp_socket s;
  EXPECT_OK(tcp_create(f, &s));
  EXPECT_OK(tcp_set_listen_backlog_size(s, UINT64_MAX));
  EXPECT_OK(tcp_set_keep_alive_idle_time(s, UINT64_MAX));
  EXPECT_OK(tcp_set_keep_alive_interval(s, UINT64_MAX));
  EXPECT_OK(tcp_set_keep_alive_count(s, UINT32_MAX));
  EXPECT_OK(tcp_set_hop_limit(s, UINT8_MAX));
  EXPECT_OK(tcp_set_receive_buffer_size(s, UINT64_MAX));
  EXPECT_OK(tcp_set_send_buffer_size(s, UINT64_MAX));
  // Clamped means the largest the platform keeps, not a wrapped value (2^64-1 ns once read 1 s).
  uint64_t ns = 0;
  uint32_t count = 0;
  EXPECT_OK(tcp_keep_alive_idle_time(s, &ns));
  EXPECT_TRUE(ns >= 3600 * NS_PER_S, "keep-alive-idle-time 2^64-1 ns reads %llu ns",
              (unsigned long long)ns);
  EXPECT_OK(tcp_keep_alive_interval(s, &ns));
  EXPECT_TRUE(ns >= 3600 * NS_PER_S, "keep-alive-interval 2^64-1 ns reads %llu ns",
              (unsigned long long)ns);
  EXPECT_OK(tcp_keep_alive_count(s, &count));
  EXPECT_TRUE(count >= 100, "keep-alive-count 2^32-1 reads %u", count);
  tcp_drop(s);
}

// The smallest non-zero values are accepted; keep-alive times below the platform's resolution are
// rounded up to something positive, never read back as 0 or beyond one second.
static void smallest_clamped(ip_family f) {
  tcp_socket s;
  EXPECT_OK(tcp_create(f, &s));
  uint64_t ns;
  EXPECT_OK(tcp_set_listen_backlog_size(s, 1));
  EXPECT_OK(tcp_set_keep_alive_idle_time(s, 1));
  EXPECT_OK(tcp_keep_alive_idle_time(s, &ns));
  EXPECT_TRUE(ns > 0 && ns <= NS_PER_S, "keep-alive-idle-time 1 ns reads %llu ns",
              (unsigned long long)ns);
  EXPECT_OK(tcp_set_keep_alive_interval(s, 1));
  EXPECT_OK(tcp_keep_alive_interval(s, &ns));
  EXPECT_TRUE(ns > 0 && ns <= NS_PER_S, "keep-alive-interval 1 ns reads %llu ns",
              (unsigned long long)ns);
  EXPECT_OK(tcp_set_keep_alive_count(s, 1));
  EXPECT_OK(tcp_set_hop_limit(s, 1));
  EXPECT_OK(tcp_set_receive_buffer_size(s, 1));
  EXPECT_OK(tcp_set_send_buffer_size(s, 1));
  tcp_drop(s);
}

// Sets the floor's read-back values on s.
static void set_42(tcp_socket s) {
  EXPECT_OK(tcp_set_keep_alive_enabled(s, true));
  EXPECT_OK(tcp_set_keep_alive_idle_time(s, 42 * NS_PER_S));
  EXPECT_OK(tcp_set_keep_alive_interval(s, 42 * NS_PER_S));
  EXPECT_OK(tcp_set_keep_alive_count(s, 42));
  EXPECT_OK(tcp_set_hop_limit(s, 42));
  EXPECT_OK(tcp_set_receive_buffer_size(s, 0x10000));
  EXPECT_OK(tcp_set_send_buffer_size(s, 0x10000));
}

static void expect_42(tcp_socket s) {
  bool keep_alive;
  uint64_t u64;
  uint32_t count;
  uint8_t hops;
  EXPECT_OK(tcp_keep_alive_enabled(s, &keep_alive));
  EXPECT_TRUE(keep_alive, "keep-alive-enabled reads false");
  EXPECT_OK(tcp_keep_alive_idle_time(s, &u64));
  EXPECT_TRUE(u64 == 42 * NS_PER_S, "keep-alive-idle-time reads %llu ns", (unsigned long long)u64);
  EXPECT_OK(tcp_keep_alive_interval(s, &u64));
  EXPECT_TRUE(u64 == 42 * NS_PER_S, "keep-alive-interval reads %llu ns", (unsigned long long)u64);
  EXPECT_OK(tcp_keep_alive_count(s, &count));
  EXPECT_TRUE(count == 42, "keep-alive-count reads %u", count);
  EXPECT_OK(tcp_hop_limit(s, &hops));
  EXPECT_TRUE(hops == 42, "hop-limit reads %u", hops);
  EXPECT_OK(tcp_receive_buffer_size(s, &u64));
  EXPECT_TRUE(u64 == 0x10000, "receive-buffer-size reads %llu", (unsigned long long)u64);
  EXPECT_OK(tcp_send_buffer_size(s, &u64));
  EXPECT_TRUE(u64 == 0x10000, "send-buffer-size reads %llu", (unsigned long long)u64);
}

static void read_back_exact(ip_family f) {
  tcp_socket s;
  EXPECT_OK(tcp_create(f, &s));
  set_42(s);
  if (check_failed()) return;
  expect_42(s);
  if (check_failed()) return;
  bool keep_alive = true;
  EXPECT_OK(tcp_set_keep_alive_enabled(s, false));
  EXPECT_OK(tcp_keep_alive_enabled(s, &keep_alive));
  EXPECT_TRUE(!keep_alive, "keep-alive-enabled reads true after turning it off");
  tcp_drop(s);
}

// "These properties can be configured while keep-alive-enabled is false" (WIT).
static void keep_alive_tunable_while_disabled(ip_family f) {
  tcp_socket s;
  EXPECT_OK(tcp_create(f, &s));
  EXPECT_OK(tcp_set_keep_alive_enabled(s, false));
  uint64_t ns;
  uint32_t count;
  EXPECT_OK(tcp_set_keep_alive_idle_time(s, 42 * NS_PER_S));
  EXPECT_OK(tcp_set_keep_alive_interval(s, 42 * NS_PER_S));
  EXPECT_OK(tcp_set_keep_alive_count(s, 42));
  EXPECT_OK(tcp_keep_alive_idle_time(s, &ns));
  EXPECT_TRUE(ns == 42 * NS_PER_S, "keep-alive-idle-time reads %llu ns", (unsigned long long)ns);
  EXPECT_OK(tcp_keep_alive_interval(s, &ns));
  EXPECT_TRUE(ns == 42 * NS_PER_S, "keep-alive-interval reads %llu ns", (unsigned long long)ns);
  EXPECT_OK(tcp_keep_alive_count(s, &count));
  EXPECT_TRUE(count == 42, "keep-alive-count reads %u", count);
  bool on = true;
  EXPECT_OK(tcp_keep_alive_enabled(s, &on));
  EXPECT_TRUE(!on, "tuning keep-alive turned it on");
  tcp_drop(s);
}

static void inherited_by_accepted(ip_family f) {
  tcp_socket listener, client, server;
  sock_addr addr;
  if (!tcp_loopback_listener(f, &listener, &addr)) return;
  set_42(listener);  // after listen: the next accepted socket must carry these
  if (check_failed()) return;
  EXPECT_OK(tcp_create(f, &client));
  EXPECT_OK(tcp_connect(client, test_network(), addr, NULL, NULL));
  EXPECT_OK(tcp_accept_blocking(listener, &server, NULL, NULL));
  expect_42(server);
  tcp_drop(server);
  tcp_drop(client);
  tcp_drop(listener);
}

// Options set on the listener before bind and listen reach the accepted socket (buffer sizes at
// least as large: the kernel may round them); later listener changes leave that socket alone.
static void inherited_when_set_before_listen(ip_family f) {
  tcp_socket listener, client, server;
  bool default_keep_alive, keep_alive;
  uint64_t u64, rcvbuf, sndbuf;
  uint32_t count;
  uint8_t hops;
  EXPECT_OK(tcp_create(f, &listener));
  EXPECT_OK(tcp_keep_alive_enabled(listener, &default_keep_alive));
  set_42(listener);
  EXPECT_OK(tcp_set_keep_alive_enabled(listener, !default_keep_alive));
  if (check_failed()) return;
  EXPECT_OK(tcp_bind(listener, test_network(), addr_loopback(f, 0)));
  EXPECT_OK(tcp_listen(listener));
  sock_addr addr;
  EXPECT_OK(tcp_local_address(listener, &addr));
  EXPECT_OK(tcp_create(f, &client));
  EXPECT_OK(tcp_connect(client, test_network(), addr, NULL, NULL));
  EXPECT_OK(tcp_accept_blocking(listener, &server, NULL, NULL));
  EXPECT_OK(tcp_receive_buffer_size(server, &rcvbuf));
  EXPECT_OK(tcp_send_buffer_size(server, &sndbuf));
  EXPECT_TRUE(rcvbuf >= 0x10000 && sndbuf >= 0x10000, "accepted buffers %llu/%llu < 0x10000",
              (unsigned long long)rcvbuf, (unsigned long long)sndbuf);
  for (int round = 0; round < 2; round++) {
    EXPECT_OK(tcp_keep_alive_enabled(server, &keep_alive));
    EXPECT_TRUE(keep_alive == !default_keep_alive, "keep-alive-enabled not inherited (round %d)",
                round);
    EXPECT_OK(tcp_keep_alive_idle_time(server, &u64));
    EXPECT_TRUE(u64 == 42 * NS_PER_S, "keep-alive-idle-time reads %llu ns (round %d)",
                (unsigned long long)u64, round);
    EXPECT_OK(tcp_keep_alive_interval(server, &u64));
    EXPECT_TRUE(u64 == 42 * NS_PER_S, "keep-alive-interval reads %llu ns (round %d)",
                (unsigned long long)u64, round);
    EXPECT_OK(tcp_keep_alive_count(server, &count));
    EXPECT_TRUE(count == 42, "keep-alive-count reads %u (round %d)", count, round);
    EXPECT_OK(tcp_hop_limit(server, &hops));
    EXPECT_TRUE(hops == 42, "hop-limit reads %u (round %d)", hops, round);
    EXPECT_OK(tcp_receive_buffer_size(server, &u64));
    EXPECT_TRUE(u64 == rcvbuf, "receive-buffer-size changed to %llu", (unsigned long long)u64);
    EXPECT_OK(tcp_send_buffer_size(server, &u64));
    EXPECT_TRUE(u64 == sndbuf, "send-buffer-size changed to %llu", (unsigned long long)u64);
    // Round 1 runs after the listener's options changed.
    EXPECT_OK(tcp_set_keep_alive_enabled(listener, default_keep_alive));
    EXPECT_OK(tcp_set_keep_alive_idle_time(listener, 43 * NS_PER_S));
    EXPECT_OK(tcp_set_keep_alive_interval(listener, 43 * NS_PER_S));
    EXPECT_OK(tcp_set_keep_alive_count(listener, 43));
    EXPECT_OK(tcp_set_hop_limit(listener, 43));
    EXPECT_OK(tcp_set_receive_buffer_size(listener, 0x20000));
    EXPECT_OK(tcp_set_send_buffer_size(listener, 0x20000));
  }
  tcp_drop(server);
  tcp_drop(client);
  tcp_drop(listener);
}

int main(void) {
  check_init();
  RUN_BOTH_FAMILIES("tcp_options.defaults_readable", defaults_readable);
  RUN_BOTH_FAMILIES("tcp_options.zero_invalid", zero_invalid);
  RUN_BOTH_FAMILIES("tcp_options.largest_values_clamped", largest_clamped);
  RUN_BOTH_FAMILIES("tcp_options.smallest_values_clamped", smallest_clamped);
  RUN_BOTH_FAMILIES("tcp_options.read_back_exact", read_back_exact);
  RUN_BOTH_FAMILIES("tcp_options.inherited_when_set_before_listen",
                    inherited_when_set_before_listen);
  RUN_BOTH_FAMILIES("tcp_options.keep_alive_tunable_while_disabled",
                    keep_alive_tunable_while_disabled);
  RUN_BOTH_FAMILIES("tcp_options.inherited_by_accepted", inherited_by_accepted);
  return check_finish();
}
