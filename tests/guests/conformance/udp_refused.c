// Connected UDP and ICMP port-unreachable: a send to a port nobody listens on succeeds, and the
// refusal then surfaces from receive (WIT error-code connection-refused). Broker only: plain
// preview2-shim ends the whole process on the refusal (uncaught "recvmsg ECONNREFUSED").
#include "wasi_guest/fixtures.h"

// The outgoing stream is ready and send succeeds even though nobody listens on the remote port
// (repeated: readiness must be true readiness every time).
static void send_to_closed_port(ip_family f) {
  for (int i = 0; i < 32; i++) {
    udp_socket s;
    outgoing_datagram_stream out;
    sock_addr remote = addr_loopback(f, 4320);
    if (!udp_connected_loopback(f, &remote, &s, NULL, &out)) return;
    sock_addr got;
    EXPECT_OK(udp_remote_address(s, &got));
    EXPECT_TRUE(addr_equal(&got, &remote), "remote-address is not the connected peer");
    out_datagram hello = {"hello", 5, NULL};
    uint64_t sent = 0;
    EXPECT_OK(udp_send_batch(out, &hello, 1, &sent));
    EXPECT_TRUE(sent == 1, "send returned %llu (iteration %d)", (unsigned long long)sent, i);
    udp_outgoing_drop(out);
    udp_drop(s);
  }
}

// After a datagram to a socket that was closed, the connected socket's receive reports
// connection-refused (or connection-reset) within 5 s instead of waiting forever.
static void closed_receiver_refused(ip_family f) {
  udp_socket receiver, sender;
  sock_addr receiver_addr;
  incoming_datagram_stream in;
  outgoing_datagram_stream out;
  if (!udp_loopback_socket(f, &receiver, &receiver_addr)) return;
  udp_drop(receiver);
  if (!udp_connected_loopback(f, &receiver_addr, &sender, &in, &out)) return;
  EXPECT_OK(udp_send_one(out, "hello", 5, NULL));
  pollable p = udp_incoming_subscribe(in);
  uint64_t deadline = clock_now_ns() + WAIT_LIMIT_NS;
  net_status st = NET_OK;
  for (;;) {
    datagram* list = NULL;
    uint32_t count = 0;
    st = udp_receive(in, 1, &list, &count);
    if (st == NET_OK) datagrams_free(list, count);
    EXPECT_TRUE(st != NET_OK || count == 0, "received a datagram from a closed socket");
    uint64_t now = clock_now_ns();
    if (st != NET_OK || now >= deadline || !ready_within(p, deadline - now)) break;
  }
  pollable_drop(p);
  EXPECT_TRUE(st == ERR_CONNECTION_REFUSED || st == ERR_CONNECTION_RESET,
              "receive ended with %s, expected connection-refused", net_status_name(st));
  udp_incoming_drop(in);
  udp_outgoing_drop(out);
  udp_drop(sender);
}

int main(void) {
  check_init();
  RUN_BOTH_FAMILIES("udp_connect.send_to_closed_port", send_to_closed_port);
  RUN_BOTH_FAMILIES("udp_connect.closed_receiver_refused", closed_receiver_refused);
  return check_finish();
}
