// WIT udp stream(some(remote)) as connected-UDP programs use it: datagrams queued before the
// connect, batches both ways, and the sample application with wildcard-bound clients.
#include <stdlib.h>

#include "wasi_guest/fixtures.h"

// Two datagrams sent in one call and queued before the receiver even calls stream(): once its
// pollable is ready, one receive(2) returns both, in order.
static void receive_many_in_one_call(ip_family f) {
  udp_socket dest, src;
  sock_addr dest_addr, src_addr;
  outgoing_datagram_stream out;
  incoming_datagram_stream in;
  if (!udp_loopback_socket(f, &dest, &dest_addr)) return;
  if (!udp_loopback_socket(f, &src, &src_addr)) return;
  EXPECT_OK(udp_stream(src, &dest_addr, NULL, &out));
  out_datagram two[2] = {{"1", 1, NULL}, {"2", 1, NULL}};
  uint64_t sent = 0;
  EXPECT_OK(udp_send_batch(out, two, 2, &sent));
  EXPECT_TRUE(sent == 2, "send returned %llu", (unsigned long long)sent);
  udp_outgoing_drop(out);
  EXPECT_OK(udp_stream(dest, &src_addr, &in, NULL));
  pollable p = udp_incoming_subscribe(in);
  bool ready = ready_within(p, WAIT_LIMIT_NS);
  pollable_drop(p);
  EXPECT_TRUE(ready, "the incoming stream never became ready");
  datagram* list = NULL;
  uint32_t count = 0;
  EXPECT_OK(udp_receive(in, 2, &list, &count));
  bool in_order = count == 2 && list[0].data.len == 1 && list[0].data.data[0] == '1' &&
                  list[1].data.len == 1 && list[1].data.data[0] == '2';
  datagrams_free(list, count);
  EXPECT_TRUE(in_order, "receive(2) returned %u datagrams, expected \"1\" and \"2\"", count);
  udp_incoming_drop(in);
  udp_drop(src);
  udp_drop(dest);
}

// Datagrams from A, B, A are queued, then the receiver connects to B: the connected stream
// yields only B's datagram, even though A's arrived first.
static void connect_filters_queued_datagrams(ip_family f) {
  udp_socket dest, a, b;
  sock_addr dest_addr, a_addr, b_addr;
  outgoing_datagram_stream a_out, b_out;
  incoming_datagram_stream in;
  if (!udp_loopback_socket(f, &dest, &dest_addr)) return;
  if (!udp_connected_loopback(f, &dest_addr, &a, NULL, &a_out)) return;
  if (!udp_connected_loopback(f, &dest_addr, &b, NULL, &b_out)) return;
  EXPECT_OK(udp_local_address(a, &a_addr));
  EXPECT_OK(udp_local_address(b, &b_addr));
  EXPECT_OK(udp_send_one(a_out, "A", 1, NULL));
  EXPECT_OK(udp_send_one(b_out, "B", 1, NULL));
  EXPECT_OK(udp_send_one(a_out, "A", 1, NULL));
  EXPECT_OK(udp_stream(dest, &b_addr, &in, NULL));
  datagram d;
  EXPECT_OK(udp_receive_one(in, &d));
  bool from_b = d.data.len == 1 && d.data.data[0] == 'B' && addr_equal(&d.remote, &b_addr);
  bytes_free(&d.data);
  EXPECT_TRUE(from_b, "first datagram after connecting to B came from port %u (A is %u)",
              d.remote.port, a_addr.port);
  udp_incoming_drop(in);
  udp_outgoing_drop(b_out);
  udp_outgoing_drop(a_out);
  udp_drop(b);
  udp_drop(a);
  udp_drop(dest);
}

// Receives until at least `min` datagrams arrived (receive(max) per call, 5 s at most).
static uint32_t receive_at_least(incoming_datagram_stream in, uint32_t min, datagram* out,
                                 uint32_t cap) {
  pollable p = udp_incoming_subscribe(in);
  uint64_t deadline = clock_now_ns() + WAIT_LIMIT_NS;
  uint32_t got = 0;
  while (got < min) {
    datagram* list = NULL;
    uint32_t count = 0;
    if (udp_receive(in, 100, &list, &count) != NET_OK) break;
    for (uint32_t i = 0; i < count; i++) {
      if (got < cap)
        out[got] = list[i];
      else
        bytes_free(&list[i].data);
      got++;
    }
    free(list);
    uint64_t now = clock_now_ns();
    if (got < min && (now >= deadline || !ready_within(p, deadline - now))) break;
  }
  pollable_drop(p);
  return got;
}

static bool datagram_is(const datagram* d, const char* text, const sock_addr* from) {
  uint32_t len = (uint32_t)strlen(text);
  return d->data.len == len && memcmp(d->data.data, text, len) == 0 &&
         (!from || (addr_equal(&d->remote, from) && d->remote.flow_info == from->flow_info &&
                    d->remote.scope_id == from->scope_id));
}

// A wildcard-bound client connects, sends an empty datagram and a message with an explicit
// remote in one call, and is dropped; the server receives exactly both, from the client's
// local-address (as that reported it, flow-info and scope-id included). Then an unconnected
// wildcard-bound client sends one datagram with an explicit remote.
static void wildcard_clients(ip_family f) {
  static const char second[] = "Hello, world!", third[] = "Greetings, planet!";
  udp_socket server, client;
  sock_addr server_addr, client_addr;
  incoming_datagram_stream server_in;
  outgoing_datagram_stream out;
  if (!udp_loopback_socket(f, &server, &server_addr)) return;
  EXPECT_OK(udp_stream(server, NULL, &server_in, NULL));
  EXPECT_OK(udp_create(f, &client));
  EXPECT_OK(udp_bind(client, test_network(), addr_unspecified(f, 0)));
  EXPECT_OK(udp_stream(client, &server_addr, NULL, &out));
  out_datagram two[2] = {{"", 0, NULL}, {second, sizeof second - 1, &server_addr}};
  uint64_t sent = 0;
  EXPECT_OK(udp_send_batch(out, two, 2, &sent));
  EXPECT_TRUE(sent == 2, "send returned %llu", (unsigned long long)sent);
  EXPECT_OK(udp_local_address(client, &client_addr));
  udp_outgoing_drop(out);
  udp_drop(client);
  datagram got[4];
  uint32_t n = receive_at_least(server_in, 2, got, 4);
  bool both = n == 2 && datagram_is(&got[0], "", &client_addr) &&
              datagram_is(&got[1], second, &client_addr);
  for (uint32_t i = 0; i < n && i < 4; i++) bytes_free(&got[i].data);
  EXPECT_TRUE(both,
              "server received %u datagrams, expected the empty one and the message from "
              "the client's local-address",
              n);
  EXPECT_OK(udp_create(f, &client));
  EXPECT_OK(udp_bind(client, test_network(), addr_unspecified(f, 0)));
  EXPECT_OK(udp_stream(client, NULL, NULL, &out));
  out_datagram one = {third, sizeof third - 1, &server_addr};
  EXPECT_OK(udp_send_batch(out, &one, 1, &sent));
  udp_outgoing_drop(out);
  udp_drop(client);
  n = receive_at_least(server_in, 1, got, 4);
  bool third_ok = n == 1 && datagram_is(&got[0], third, NULL);
  for (uint32_t i = 0; i < n && i < 4; i++) bytes_free(&got[i].data);
  EXPECT_TRUE(third_ok, "server received %u datagrams from the second client", n);
  udp_incoming_drop(server_in);
  udp_drop(server);
}

// stream(none) after stream(some(A)) lifts the restriction: a datagram to B with an explicit
// remote goes out and B receives it from this socket.
static void disconnect_then_send_anywhere(ip_family f) {
  udp_socket a, b, s;
  sock_addr a_addr, b_addr, s_addr;
  incoming_datagram_stream b_in;
  outgoing_datagram_stream out;
  if (!udp_loopback_socket(f, &a, &a_addr) || !udp_loopback_socket(f, &b, &b_addr) ||
      !udp_loopback_socket(f, &s, &s_addr))
    return;
  EXPECT_OK(udp_stream(b, NULL, &b_in, NULL));
  EXPECT_OK(udp_stream(s, &a_addr, NULL, NULL));
  EXPECT_OK(udp_stream(s, NULL, NULL, &out));
  EXPECT_OK(udp_send_one(out, "to b", 4, &b_addr));
  datagram d;
  EXPECT_OK(udp_receive_one(b_in, &d));
  bool ok =
      d.data.len == 4 && memcmp(d.data.data, "to b", 4) == 0 && addr_equal(&d.remote, &s_addr);
  bytes_free(&d.data);
  EXPECT_TRUE(ok, "B received something else, or from port %u", d.remote.port);
  udp_outgoing_drop(out);
  udp_incoming_drop(b_in);
  udp_drop(s);
  udp_drop(b);
  udp_drop(a);
}

int main(void) {
  check_init();
  RUN_BOTH_FAMILIES("udp_connect.receive_many_in_one_call", receive_many_in_one_call);
  RUN_BOTH_FAMILIES("udp_connect.connect_filters_queued_datagrams",
                    connect_filters_queued_datagrams);
  RUN_BOTH_FAMILIES("udp_connect.disconnect_then_send_anywhere", disconnect_then_send_anywhere);
  RUN_BOTH_FAMILIES("udp_sample_app.wildcard_clients", wildcard_clients);
  return check_finish();
}
