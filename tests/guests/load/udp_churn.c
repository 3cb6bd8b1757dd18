// UDP churn: N sockets in turn per family in one guest (default 5,000: 10,000 in all), each
// created, bound, given streams, used and dropped, so the host's handles and its parent/child
// bookkeeping are reused all along.
//
//   udp_churn [N]
//
// Per socket S (two long-lived peers P and Q):
//   stream(some(P)) first on the fresh S; S -> P and P -> S, checked (data and sender);
//   streams dropped, then stream(none): P and Q both send to S while it is unconnected;
//   streams dropped, then stream(some(Q)): the queued datagram of P must not come out of receive
//   (the WIT: a connected stream yields only the remote's datagrams), Q's must;
//   pollables, streams, socket dropped (children first).
// Every 7th socket drops its outgoing stream before its incoming one, every 5th never
// subscribes: the drop orders vary. One case per family; prints the usual report lines.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_guest/check.h"
#include "wasi_guest/fixtures.h"

static unsigned long sockets_per_family = 5000;

// Receives one datagram on `in` and checks its payload and sender.
static bool expect_datagram(incoming_datagram_stream in, const char* payload, const sock_addr* from,
                            unsigned long i, const char* step) {
  datagram d;
  net_status st = udp_receive_one(in, &d);
  if (st != NET_OK) {
    check_fail(__FILE__, __LINE__, "socket %lu, %s: receive: %s", i, step, net_status_name(st));
    return false;
  }
  bool same = d.data.len == strlen(payload) && memcmp(d.data.data, payload, d.data.len) == 0 &&
              addr_equal(&d.remote, from);
  unsigned port = d.remote.port;
  bytes_free(&d.data);
  if (!same) {
    check_fail(__FILE__, __LINE__, "socket %lu, %s: got a datagram from port %u, not %u", i, step,
               port, from->port);
  }
  return same;
}

static void drop_streams(incoming_datagram_stream in, outgoing_datagram_stream out,
                         unsigned long i) {
  if (i % 7 == 0) {
    udp_outgoing_drop(out);
    udp_incoming_drop(in);
  } else {
    udp_incoming_drop(in);
    udp_outgoing_drop(out);
  }
}

static void churn(ip_family f) {
  udp_socket p, q;
  sock_addr p_addr, q_addr;
  incoming_datagram_stream p_in, q_in;
  outgoing_datagram_stream p_out, q_out;
  if (!udp_loopback_socket(f, &p, &p_addr)) return;
  if (!udp_loopback_socket(f, &q, &q_addr)) return;
  EXPECT_OK(udp_stream(p, NULL, &p_in, &p_out));
  EXPECT_OK(udp_stream(q, NULL, &q_in, &q_out));
  network net = test_network();
  char payload[32];
  for (unsigned long i = 0; i < sockets_per_family; i++) {
    udp_socket s;
    sock_addr s_addr;
    incoming_datagram_stream in;
    outgoing_datagram_stream out;
    if (udp_create(f, &s) != NET_OK) FAIL_NOW("socket %lu: create failed", i);
    if (udp_bind(s, net, addr_loopback(f, 0)) != NET_OK) FAIL_NOW("socket %lu: bind failed", i);
    udp_local_address(s, &s_addr);
    // First stream() on a fresh socket: must never trap, whatever other sockets did before.
    net_status st = udp_stream(s, &p_addr, &in, &out);
    if (st != NET_OK) FAIL_NOW("socket %lu: stream(P): %s", i, net_status_name(st));
    pollable in_ready = 0;
    if (i % 5 != 0) in_ready = udp_incoming_subscribe(in);
    snprintf(payload, sizeof payload, "s%lu", i);
    if (udp_send_one(out, payload, (uint32_t)strlen(payload), NULL) != NET_OK)
      FAIL_NOW("socket %lu: send to P failed", i);
    if (!expect_datagram(p_in, payload, &s_addr, i, "P receives")) return;
    snprintf(payload, sizeof payload, "p%lu", i);
    if (udp_send_one(p_out, payload, (uint32_t)strlen(payload), &s_addr) != NET_OK)
      FAIL_NOW("socket %lu: P's send failed", i);
    if (!expect_datagram(in, payload, &p_addr, i, "from P")) return;
    if (in_ready) pollable_drop(in_ready);
    drop_streams(in, out, i);

    // Unconnected: P's and Q's datagrams both queue up; then connect to Q.
    if (udp_stream(s, NULL, &in, &out) != NET_OK) FAIL_NOW("socket %lu: stream(none)", i);
    drop_streams(in, out, i);
    snprintf(payload, sizeof payload, "stale%lu", i);
    if (udp_send_one(p_out, payload, (uint32_t)strlen(payload), &s_addr) != NET_OK)
      FAIL_NOW("socket %lu: P's second send failed", i);
    snprintf(payload, sizeof payload, "q%lu", i);
    if (udp_send_one(q_out, payload, (uint32_t)strlen(payload), &s_addr) != NET_OK)
      FAIL_NOW("socket %lu: Q's send failed", i);
    st = udp_stream(s, &q_addr, &in, &out);
    if (st != NET_OK) FAIL_NOW("socket %lu: stream(Q): %s", i, net_status_name(st));
    if (!expect_datagram(in, payload, &q_addr, i, "connected to Q")) return;
    drop_streams(in, out, i);
    udp_drop(s);
  }
  drop_streams(p_in, p_out, 1);
  drop_streams(q_in, q_out, 1);
  udp_drop(p);
  udp_drop(q);
}

int main(int argc, char** argv) {
  check_init();
  if (argc > 1) sockets_per_family = strtoul(argv[1], NULL, 10);
  RUN_BOTH_FAMILIES("udp_churn.sockets_in_turn", churn);
  return check_finish();
}
