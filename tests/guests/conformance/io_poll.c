// CONFORMANCE.md "wasi:io as sockets use it" (the non-trapping half): poll reports every ready
// index, pollables can be blocked on repeatedly, always-ready pollables do not starve others.
#include "wasi_guest/fixtures.h"

static bool contains(const uint32_t* list, uint32_t n, uint32_t value) {
  for (uint32_t i = 0; i < n; i++)
    if (list[i] == value) return true;
  return false;
}

static void poll_returns_every_ready_index(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  // A second connection left pending makes the listener readable.
  tcp_socket extra;
  EXPECT_OK(tcp_create(f, &extra));
  sock_addr addr;
  EXPECT_OK(tcp_local_address(p.listener, &addr));
  EXPECT_OK(tcp_connect(extra, test_network(), addr, NULL, NULL));
  pollable ps[4] = {
      clock_subscribe_duration(0),     // ready
      tcp_subscribe(p.listener),       // ready: a connection is pending
      input_subscribe(p.server_in),    // not ready: nothing was written
      output_subscribe(p.client_out),  // ready: a fresh stream may write
  };
  pollable_block(ps[1]);
  pollable_block(ps[3]);
  uint32_t ready[8];
  uint32_t n = poll_list(ps, 4, ready, 8);
  EXPECT_TRUE(n == 3 && contains(ready, n, 0) && contains(ready, n, 1) && contains(ready, n, 3),
              "poll reported %u indices, expected 0, 1 and 3", n);
  for (int i = 0; i < 4; i++) pollable_drop(ps[i]);
  tcp_drop(extra);
  tcp_pair_drop(&p);
}

static void block_repeatedly(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  EXPECT_STREAM(write_all(p.client_out, "x", 1), STREAM_OK);
  pollable in = input_subscribe(p.server_in);
  pollable_block(in);
  pollable_block(in);
  EXPECT_TRUE(pollable_ready(in), "ready() false after block()");
  pollable timer = clock_subscribe_duration(10 * NS_PER_MS);
  pollable_block(timer);
  pollable_block(timer);
  EXPECT_TRUE(pollable_ready(timer), "clock pollable: ready() false after block()");
  pollable_drop(timer);
  pollable_drop(in);
  tcp_pair_drop(&p);
}

static void always_ready_does_not_starve(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  EXPECT_STREAM(write_all(p.client_out, "x", 1), STREAM_OK);
  pollable ps[2] = {clock_subscribe_duration(0), input_subscribe(p.server_in)};
  uint64_t deadline = clock_now_ns() + WAIT_LIMIT_NS;
  bool seen = false;
  while (!seen && clock_now_ns() < deadline) {
    uint32_t ready[4];
    uint32_t n = poll_list(ps, 2, ready, 4);
    seen = contains(ready, n, 1);
  }
  EXPECT_TRUE(seen, "poll kept returning only the always-ready pollable");
  pollable_drop(ps[0]);
  pollable_drop(ps[1]);
  tcp_pair_drop(&p);
}

// The same pollable listed twice and two pollables of one stream, all ready: poll returns every
// index. With a pending pollable listed twice, only the timer's index comes back.
static void same_pollable_listed_twice(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  pollable p1 = output_subscribe(p.client_out), p2 = output_subscribe(p.client_out);
  pollable ready_list[4] = {p1, p2, p1, p2};
  uint32_t ready[8];
  uint32_t n = poll_list(ready_list, 4, ready, 8);
  EXPECT_TRUE(n == 4 && contains(ready, n, 0) && contains(ready, n, 1) && contains(ready, n, 2) &&
                  contains(ready, n, 3),
              "poll of four ready entries reported %u indices", n);
  pollable in = input_subscribe(p.server_in);
  pollable pending_list[3] = {in, in, clock_subscribe_duration(20 * NS_PER_MS)};
  n = poll_list(pending_list, 3, ready, 8);
  EXPECT_TRUE(n == 1 && ready[0] == 2, "poll reported %u indices, expected only the timer", n);
  pollable_drop(pending_list[2]);
  pollable_drop(in);
  pollable_drop(p2);
  pollable_drop(p1);
  tcp_pair_drop(&p);
}

// wasmtime's busy-poll scenario: 100 times connect, write, accept, then poll a fresh zero-length
// timer together with the input until the input shows up; the message is then readable.
static void busy_poll_many_connections(ip_family f) {
  static const char message[] = "Hello, world!";
  enum { ROUNDS = 100, MAX_SPINS = 1000000 };
  tcp_socket listener;
  sock_addr addr;
  EXPECT_OK(tcp_create(f, &listener));
  EXPECT_OK(tcp_bind(listener, test_network(), addr_loopback(f, 0)));
  EXPECT_OK(tcp_set_listen_backlog_size(listener, 32));
  EXPECT_OK(tcp_listen(listener));
  EXPECT_OK(tcp_local_address(listener, &addr));
  for (int round = 0; round < ROUNDS; round++) {
    tcp_socket client, server;
    input_stream client_in, server_in;
    output_stream client_out, server_out;
    EXPECT_OK(tcp_create(f, &client));
    EXPECT_OK(tcp_connect(client, test_network(), addr, &client_in, &client_out));
    EXPECT_STREAM(write_all(client_out, message, sizeof message - 1), STREAM_OK);
    EXPECT_OK(tcp_accept_blocking(listener, &server, &server_in, &server_out));
    pollable in_ready = input_subscribe(server_in);
    bool seen = false;
    for (int spin = 0; spin < MAX_SPINS && !seen; spin++) {
      pollable ps[2] = {clock_subscribe_duration(0), in_ready};
      uint32_t ready[4];
      uint32_t n = poll_list(ps, 2, ready, 4);
      seen = contains(ready, n, 1);
      pollable_drop(ps[0]);
    }
    EXPECT_TRUE(seen, "round %d: input never reported ready", round);
    bytes b = {0};
    EXPECT_STREAM(input_read(server_in, sizeof message - 1, &b), STREAM_OK);
    bool intact = b.len == sizeof message - 1 && memcmp(b.data, message, b.len) == 0;
    bytes_free(&b);
    EXPECT_TRUE(intact, "round %d: read returned something else", round);
    pollable_drop(in_ready);
    output_drop(server_out);
    input_drop(server_in);
    tcp_drop(server);
    output_drop(client_out);
    input_drop(client_in);
    tcp_drop(client);
  }
  tcp_drop(listener);
}

int main(void) {
  check_init();
  RUN_BOTH_FAMILIES("io_poll.returns_every_ready_index", poll_returns_every_ready_index);
  RUN_BOTH_FAMILIES("io_poll.block_repeatedly_then_ready", block_repeatedly);
  RUN_BOTH_FAMILIES("io_poll.always_ready_does_not_starve", always_ready_does_not_starve);
  RUN_BOTH_FAMILIES("io_poll.same_pollable_listed_twice", same_pollable_listed_twice);
  RUN_BOTH_FAMILIES("io_poll.busy_poll_many_connections", busy_poll_many_connections);
  return check_finish();
}
