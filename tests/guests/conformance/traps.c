// The calls the WIT says must trap, one per run: `traps CASE FAMILY` (see CMakeLists.txt).
// Each case sets up, prints "expect-trap CASE/FAMILY", makes the call, and reports FAIL if the
// call returns. udp_stream.restream_while_alive may also succeed (the WIT says "may trap").
#include <stdlib.h>
#include <string.h>

#include "wasi_guest/cli.h"
#include "wasi_guest/fixtures.h"
#include "wasi_guest/ip_name_lookup.h"

// A connected pair whose client output has just been granted *permit (> 0) by check-write.
static bool pair_with_permit(ip_family f, tcp_pair* p, uint64_t* permit) {
  if (!tcp_loopback_pair(f, p)) return false;
  pollable out = output_subscribe(p->client_out);
  pollable_block(out);
  pollable_drop(out);
  if (output_check_write(p->client_out, permit) != STREAM_OK || *permit == 0) {
    check_fail(__FILE__, __LINE__, "set-up: check-write gave no permit");
    return false;
  }
  return true;
}

static void write_past_permit(ip_family f) {
  tcp_pair p;
  uint64_t permit = 0;
  if (!pair_with_permit(f, &p, &permit)) return;
  EXPECT_TRUE(permit < (64u << 20), "check-write permit %llu too large to exceed",
              (unsigned long long)permit);
  uint8_t* data = calloc(1, (size_t)permit + 1);
  check_expect_trap();
  output_write(p.client_out, data, (uint32_t)permit + 1);
  FAIL_NOW("write of permit+1 (%llu bytes) returned", (unsigned long long)permit + 1);
}

// The permit is for the next write only (WIT: "the number of bytes permitted for the next call
// to write"): a second write on the same permit traps, even within what was granted.
static void second_write_same_permit(ip_family f) {
  tcp_pair p;
  uint64_t permit = 0;
  if (!pair_with_permit(f, &p, &permit)) return;
  EXPECT_TRUE(permit >= 2, "check-write permit %llu", (unsigned long long)permit);
  EXPECT_STREAM(output_write(p.client_out, "a", 1), STREAM_OK);
  check_expect_trap();
  output_write(p.client_out, "b", 1);
  FAIL_NOW("a second write on one check-write permit returned");
}

static bool udp_client(ip_family f, outgoing_datagram_stream* out, sock_addr* server_addr) {
  udp_socket server, client;
  sock_addr client_addr;
  if (!udp_loopback_socket(f, &server, server_addr)) return false;
  if (!udp_loopback_socket(f, &client, &client_addr)) return false;
  SETUP_OK(udp_stream(client, server_addr, NULL, out));
  return true;
}

static void send_past_check_send(ip_family f) {
  outgoing_datagram_stream out;
  sock_addr server;
  if (!udp_client(f, &out, &server)) return;
  pollable p = udp_outgoing_subscribe(out);
  pollable_block(p);
  uint64_t permit = 0;
  EXPECT_OK(udp_check_send(out, &permit));
  EXPECT_TRUE(permit > 0 && permit < 4096, "check-send permit %llu", (unsigned long long)permit);
  out_datagram* list = calloc((size_t)permit + 1, sizeof *list);
  for (uint64_t i = 0; i <= permit; i++) list[i] = (out_datagram){"x", 1, NULL};
  check_expect_trap();
  udp_send(out, list, (uint32_t)permit + 1, NULL);
  FAIL_NOW("send of permit+1 datagrams returned");
}

static void send_without_check_send(ip_family f) {
  outgoing_datagram_stream out;
  sock_addr server;
  if (!udp_client(f, &out, &server)) return;
  out_datagram d = {"x", 1, NULL};
  check_expect_trap();
  udp_send(out, &d, 1, NULL);
  FAIL_NOW("send without check-send returned");
}

// "Each call to send must be permitted by a preceding check-send": a permit is used up by the
// send it allowed, however many datagrams it named.
static void second_send_same_permit(ip_family f) {
  outgoing_datagram_stream out;
  sock_addr server;
  if (!udp_client(f, &out, &server)) return;
  out_datagram d = {"x", 1, NULL};
  uint64_t sent = 0;
  EXPECT_OK(udp_send_batch(out, &d, 1, &sent));
  check_expect_trap();
  udp_send(out, &d, 1, NULL);
  FAIL_NOW("a second send on the same check-send permit returned");
}

// blocking-write-and-flush takes at most 4096 bytes (WIT); more traps.
static void blocking_write_over_limit(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  static uint8_t data[4097];
  check_expect_trap();
  output_blocking_write_and_flush(p.client_out, data, sizeof data);
  FAIL_NOW("blocking-write-and-flush of 4097 bytes returned");
}

// The reference host's stream-pollable trap: stdin dropped while its pollable lives.
static void drop_stdin_with_live_pollable(ip_family f) {
  (void)f;
  input_stream in = cli_stdin();
  pollable p = input_subscribe(in);
  pollable_block(p);
  check_expect_trap();
  input_drop(in);
  pollable_drop(p);
  FAIL_NOW("dropping stdin with a live pollable returned");
}

static void poll_empty(ip_family f) {
  (void)f;
  uint32_t ready[1];
  check_expect_trap();
  poll_list(NULL, 0, ready, 1);
  FAIL_NOW("poll([]) returned");
}

static void drop_socket_with_live_pollable(ip_family f) {
  tcp_socket s;
  EXPECT_OK(tcp_create(f, &s));
  pollable p = tcp_subscribe(s);
  check_expect_trap();
  tcp_drop(s);
  pollable_drop(p);
  FAIL_NOW("dropping a tcp-socket with a live pollable returned");
}

static void drop_stream_with_live_pollable(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  pollable in = input_subscribe(p.server_in);
  check_expect_trap();
  input_drop(p.server_in);
  pollable_drop(in);
  FAIL_NOW("dropping an input-stream with a live pollable returned");
}

static void drop_udp_socket_with_live_pollable(ip_family f) {
  udp_socket s;
  EXPECT_OK(udp_create(f, &s));
  pollable p = udp_subscribe(s);
  check_expect_trap();
  udp_drop(s);
  pollable_drop(p);
  FAIL_NOW("dropping a udp-socket with a live pollable returned");
}

static void drop_output_stream_with_live_pollable(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  pollable out = output_subscribe(p.client_out);
  check_expect_trap();
  output_drop(p.client_out);
  pollable_drop(out);
  FAIL_NOW("dropping an output-stream with a live pollable returned");
}

static void drop_resolve_stream_with_live_pollable(ip_family f) {
  resolve_address_stream s;
  EXPECT_OK(resolve_addresses(test_network(), f == FAMILY_IPV4 ? "127.0.0.1" : "::1", &s));
  pollable p = resolve_subscribe(s);
  check_expect_trap();
  resolve_drop(s);
  pollable_drop(p);
  FAIL_NOW("dropping a resolve-address-stream with a live pollable returned");
}

// The streams of finish-connect and stream() are child resources of their socket (the reference
// host's resource table, wasi:io's parent/child rule): dropping the socket first traps.
static void drop_tcp_socket_with_live_streams(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  check_expect_trap();
  tcp_drop(p.client);
  FAIL_NOW("dropping a tcp-socket with live streams returned");
}

static void drop_udp_socket_with_live_streams(ip_family f) {
  udp_socket s;
  incoming_datagram_stream in;
  outgoing_datagram_stream out;
  sock_addr remote = addr_loopback(f, 4242);
  if (!udp_connected_loopback(f, &remote, &s, &in, &out)) return;
  check_expect_trap();
  udp_drop(s);
  FAIL_NOW("dropping a udp-socket with live streams returned");
}

// stream() again while the previous pair is alive: trap, or succeed with a working new pair.
static void restream_while_alive(ip_family f) {
  udp_socket server, client;
  sock_addr server_addr, client_addr;
  if (!udp_loopback_socket(f, &server, &server_addr)) return;
  if (!udp_loopback_socket(f, &client, &client_addr)) return;
  incoming_datagram_stream server_in, old_in, new_in;
  outgoing_datagram_stream old_out, new_out;
  EXPECT_OK(udp_stream(server, NULL, &server_in, NULL));
  EXPECT_OK(udp_stream(client, &server_addr, &old_in, &old_out));
  check_expect_trap();
  EXPECT_OK(udp_stream(client, &server_addr, &new_in, &new_out));
  EXPECT_OK(udp_send_one(new_out, "new", 3, NULL));
  datagram d;
  EXPECT_OK(udp_receive_one(server_in, &d));
  EXPECT_TRUE(d.data.len == 3 && memcmp(d.data.data, "new", 3) == 0, "wrong datagram");
  bytes_free(&d.data);
}

static const struct {
  const char* name;
  void (*fn)(ip_family);
} cases[] = {
    {"tcp_streams.write_past_permit_traps", write_past_permit},
    {"tcp_streams.second_write_same_permit_traps", second_write_same_permit},
    {"udp_datagrams.send_past_check_send_traps", send_past_check_send},
    {"udp_datagrams.send_without_check_send_traps", send_without_check_send},
    {"udp_datagrams.second_send_same_permit_traps", second_send_same_permit},
    {"io_streams.blocking_write_over_limit_traps", blocking_write_over_limit},
    {"io_poll.poll_empty_traps", poll_empty},
    {"io_cli_streams.drop_stdin_with_live_pollable_traps", drop_stdin_with_live_pollable},
    {"io_poll.drop_socket_with_live_pollable_traps", drop_socket_with_live_pollable},
    {"io_poll.drop_stream_with_live_pollable_traps", drop_stream_with_live_pollable},
    {"io_poll.drop_udp_socket_with_live_pollable_traps", drop_udp_socket_with_live_pollable},
    {"io_poll.drop_output_stream_with_live_pollable_traps", drop_output_stream_with_live_pollable},
    {"io_poll.drop_resolve_stream_with_live_pollable_traps",
     drop_resolve_stream_with_live_pollable},
    {"udp_stream.restream_while_alive", restream_while_alive},
    {"tcp_streams.drop_socket_with_live_streams_traps", drop_tcp_socket_with_live_streams},
    {"udp_stream.drop_socket_with_live_streams_traps", drop_udp_socket_with_live_streams},
};

int main(int argc, char** argv) {
  check_init();
  if (argc != 3 || (strcmp(argv[2], "ipv4") != 0 && strcmp(argv[2], "ipv6") != 0)) {
    printf("usage: traps CASE ipv4|ipv6\n");
    return 2;
  }
  ip_family f = strcmp(argv[2], "ipv4") == 0 ? FAMILY_IPV4 : FAMILY_IPV6;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    if (strcmp(cases[i].name, argv[1]) == 0) {
      RUN_FAMILY(cases[i].name, cases[i].fn, f);
      return check_finish();
    }
  }
  printf("unknown case %s\n", argv[1]);
  return 2;
}
