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

int main(void) {
  check_init();
  RUN_BOTH_FAMILIES("io_poll.returns_every_ready_index", poll_returns_every_ready_index);
  RUN_BOTH_FAMILIES("io_poll.block_repeatedly_then_ready", block_repeatedly);
  RUN_BOTH_FAMILIES("io_poll.always_ready_does_not_starve", always_ready_does_not_starve);
  return check_finish();
}
