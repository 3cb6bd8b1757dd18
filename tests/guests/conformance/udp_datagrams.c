// CONFORMANCE.md "UDP" streams: check-send, ordering, the sample application, send errors and
// receive(0).
#include <stdlib.h>

#include "wasi_guest/fixtures.h"

typedef struct {
  udp_socket sock;
  sock_addr addr;
  incoming_datagram_stream in;
  outgoing_datagram_stream out;
} udp_end;

// A loopback socket with its streams; `remote` NULL for an unconnected one.
static bool udp_end_open(ip_family f, const sock_addr* remote, udp_end* e) {
  if (!udp_loopback_socket(f, &e->sock, &e->addr)) return false;
  SETUP_OK(udp_stream(e->sock, remote, &e->in, &e->out));
  return true;
}

static void udp_end_close(udp_end* e) {
  udp_incoming_drop(e->in);
  udp_outgoing_drop(e->out);
  udp_drop(e->sock);
}

static void expect_datagram(incoming_datagram_stream in, const char* text, const sock_addr* from) {
  datagram d;
  EXPECT_OK(udp_receive_one(in, &d));
  uint32_t len = (uint32_t)strlen(text);
  EXPECT_TRUE(d.data.len == len && memcmp(d.data.data, text, len) == 0,
              "received %u bytes, expected \"%s\"", d.data.len, text);
  EXPECT_TRUE(addr_equal(&d.remote, from), "datagram from port %u, expected port %u", d.remote.port,
              from->port);
  bytes_free(&d.data);
}

static void check_send_and_order(ip_family f) {
  udp_end server, client;
  if (!udp_end_open(f, NULL, &server) || !udp_end_open(f, &server.addr, &client)) return;
  uint64_t permit = 0, sent = 0;
  pollable p = udp_outgoing_subscribe(client.out);
  EXPECT_TRUE(ready_within(p, WAIT_LIMIT_NS), "outgoing stream never ready");
  pollable_drop(p);
  EXPECT_OK(udp_check_send(client.out, &permit));
  EXPECT_TRUE(permit >= 2, "check-send permits %llu", (unsigned long long)permit);
  out_datagram two[2] = {{"1", 1, NULL}, {"2", 1, NULL}};
  EXPECT_OK(udp_send(client.out, two, 2, &sent));
  EXPECT_TRUE(sent == 2, "send returned %llu", (unsigned long long)sent);
  expect_datagram(server.in, "1", &client.addr);
  expect_datagram(server.in, "2", &client.addr);
  udp_end_close(&client);
  udp_end_close(&server);
}

static void sample_application(ip_family f) {
  static const char message[] = "Hello, world!";
  udp_end server, connected, unconnected;
  if (!udp_end_open(f, NULL, &server) || !udp_end_open(f, &server.addr, &connected) ||
      !udp_end_open(f, NULL, &unconnected))
    return;
  EXPECT_OK(udp_send_one(connected.out, "", 0, NULL));
  EXPECT_OK(udp_send_one(connected.out, message, sizeof message - 1, &server.addr));
  expect_datagram(server.in, "", &connected.addr);
  expect_datagram(server.in, message, &connected.addr);
  EXPECT_OK(udp_send_one(unconnected.out, message, sizeof message - 1, &server.addr));
  expect_datagram(server.in, message, &unconnected.addr);
  udp_end_close(&unconnected);
  udp_end_close(&connected);
  udp_end_close(&server);
}

static void datagram_too_large(ip_family f) {
  udp_end server, client;
  if (!udp_end_open(f, NULL, &server) || !udp_end_open(f, &server.addr, &client)) return;
  enum { TOO_LARGE = 70000 };
  char* big = calloc(1, TOO_LARGE);
  EXPECT_NET(udp_send_one(client.out, big, TOO_LARGE, NULL), ERR_DATAGRAM_TOO_LARGE);
  free(big);
  udp_end_close(&client);
  udp_end_close(&server);
}

// The largest datagram IPv4 carries (65507 bytes; 65000 over IPv6) arrives whole and intact.
static void largest_datagram_intact(ip_family f) {
  udp_end server, client;
  if (!udp_end_open(f, NULL, &server) || !udp_end_open(f, &server.addr, &client)) return;
  uint32_t size = f == FAMILY_IPV4 ? 65507 : 65000;
  uint8_t* big = malloc(size);
  for (uint32_t i = 0; i < size; i++) big[i] = (uint8_t)(i * 31u + 7u);
  EXPECT_OK(udp_send_one(client.out, big, size, NULL));
  datagram d;
  EXPECT_OK(udp_receive_one(server.in, &d));
  uint32_t got = d.data.len;
  bool intact = got == size && memcmp(d.data.data, big, size) == 0;
  bytes_free(&d.data);
  free(big);
  EXPECT_TRUE(intact, "the %u-byte datagram arrived as %u bytes or altered", size, got);
  udp_end_close(&client);
  udp_end_close(&server);
}

static void remote_differs_from_peer(ip_family f) {
  udp_end server, other, client;
  if (!udp_end_open(f, NULL, &server) || !udp_end_open(f, NULL, &other) ||
      !udp_end_open(f, &server.addr, &client))
    return;
  EXPECT_NET(udp_send_one(client.out, "x", 1, &other.addr), ERR_INVALID_ARGUMENT);
  udp_end_close(&client);
  udp_end_close(&other);
  udp_end_close(&server);
}

static void no_remote_unconnected(ip_family f) {
  udp_end client;
  if (!udp_end_open(f, NULL, &client)) return;
  EXPECT_NET(udp_send_one(client.out, "x", 1, NULL), ERR_INVALID_ARGUMENT);
  udp_end_close(&client);
}

static void receive_zero_empty(ip_family f) {
  udp_end server, client;
  if (!udp_end_open(f, NULL, &server) || !udp_end_open(f, &server.addr, &client)) return;
  EXPECT_OK(udp_send_one(client.out, "pending", 7, NULL));
  pollable p = udp_incoming_subscribe(server.in);
  EXPECT_TRUE(ready_within(p, WAIT_LIMIT_NS), "datagram never arrived");
  pollable_drop(p);
  datagram* list = NULL;
  uint32_t count = 99;
  EXPECT_OK(udp_receive(server.in, 0, &list, &count));
  datagrams_free(list, count);
  EXPECT_TRUE(count == 0, "receive(0) returned %u datagrams", count);
  udp_end_close(&client);
  udp_end_close(&server);
}

static void send_empty_list_zero(ip_family f) {
  udp_end server, client;
  if (!udp_end_open(f, NULL, &server) || !udp_end_open(f, &server.addr, &client)) return;
  uint64_t permit = 0, sent = 99;
  EXPECT_OK(udp_check_send(client.out, &permit));
  EXPECT_OK(udp_send(client.out, NULL, 0, &sent));
  EXPECT_TRUE(sent == 0, "send([]) returned %llu", (unsigned long long)sent);
  udp_end_close(&client);
  udp_end_close(&server);
}

// 100 datagrams, each sent as check-send allows, arrive complete and in order over loopback;
// receive(max) never returns more than max.
static void burst_in_order(ip_family f) {
  enum { COUNT = 100, MAX_PER_RECEIVE = 7 };
  udp_end server, client;
  if (!udp_end_open(f, NULL, &server) || !udp_end_open(f, &server.addr, &client)) return;
  for (uint32_t i = 0; i < COUNT; i++) {
    uint32_t number = i;
    EXPECT_OK(udp_send_one(client.out, &number, sizeof number, NULL));
  }
  pollable p = udp_incoming_subscribe(server.in);
  uint32_t expected = 0;
  while (expected < COUNT && ready_within(p, WAIT_LIMIT_NS)) {
    datagram* list = NULL;
    uint32_t count = 0;
    EXPECT_OK(udp_receive(server.in, MAX_PER_RECEIVE, &list, &count));
    EXPECT_TRUE(count <= MAX_PER_RECEIVE, "receive(%d) returned %u", MAX_PER_RECEIVE, count);
    for (uint32_t i = 0; i < count; i++) {
      uint32_t number = UINT32_MAX;
      if (list[i].data.len == sizeof number) memcpy(&number, list[i].data.data, sizeof number);
      EXPECT_TRUE(number == expected, "datagram %u arrived as number %u", expected, number);
      expected++;
    }
    datagrams_free(list, count);
  }
  pollable_drop(p);
  EXPECT_TRUE(expected == COUNT, "%u of %d datagrams arrived", expected, COUNT);
  udp_end_close(&client);
  udp_end_close(&server);
}

// "receive will only return datagrams sent from the provided remote-address" (WIT stream()).
static void connected_receives_only_from_peer(ip_family f) {
  udp_end peer, stranger, server;
  if (!udp_end_open(f, NULL, &peer) || !udp_end_open(f, NULL, &stranger) ||
      !udp_end_open(f, &peer.addr, &server))
    return;
  EXPECT_OK(udp_send_one(stranger.out, "stranger", 8, &server.addr));
  EXPECT_OK(udp_send_one(peer.out, "peer", 4, &server.addr));
  expect_datagram(server.in, "peer", &peer.addr);
  if (check_failed()) return;
  datagram* list = NULL;
  uint32_t count = 0;
  EXPECT_OK(udp_receive(server.in, 8, &list, &count));
  datagrams_free(list, count);
  EXPECT_TRUE(count == 0, "a connected stream received %u datagrams from another address", count);
  udp_end_close(&server);
  udp_end_close(&stranger);
  udp_end_close(&peer);
}

// send's invalid-argument cases for an explicit remote (WIT outgoing-datagram-stream.send).
static void send_invalid_remotes(ip_family f) {
  udp_end client;
  if (!udp_end_open(f, NULL, &client)) return;
  sock_addr unspecified = addr_unspecified(f, 4242), port_zero = addr_loopback(f, 0),
            wrong_family = addr_loopback(other_family(f), 4242);
  EXPECT_NET(udp_send_one(client.out, "x", 1, &unspecified), ERR_INVALID_ARGUMENT);
  EXPECT_NET(udp_send_one(client.out, "x", 1, &port_zero), ERR_INVALID_ARGUMENT);
  EXPECT_NET(udp_send_one(client.out, "x", 1, &wrong_family), ERR_INVALID_ARGUMENT);
  udp_end_close(&client);
}

// "If at least one datagram has been sent successfully, this function never returns an error":
// [good, bad] sends one; [bad, good] fails with the first datagram's error.
static void partial_send_counts(ip_family f) {
  udp_end server, client;
  if (!udp_end_open(f, NULL, &server) || !udp_end_open(f, NULL, &client)) return;
  sock_addr port_zero = addr_loopback(f, 0);
  out_datagram good_bad[2] = {{"good", 4, &server.addr}, {"bad", 3, &port_zero}};
  uint64_t sent = 99;
  EXPECT_OK(udp_send_batch(client.out, good_bad, 2, &sent));
  EXPECT_TRUE(sent == 1, "send([good, bad]) returned %llu", (unsigned long long)sent);
  out_datagram bad_good[2] = {{"bad", 3, &port_zero}, {"good", 4, &server.addr}};
  EXPECT_NET(udp_send_batch(client.out, bad_good, 2, &sent), ERR_INVALID_ARGUMENT);
  expect_datagram(server.in, "good", &client.addr);
  udp_end_close(&client);
  udp_end_close(&server);
}

// receive(u64 max) returns what has arrived, without trapping or reserving for u64 max results.
static void receive_huge_max(ip_family f) {
  udp_end server, client;
  if (!udp_end_open(f, NULL, &server) || !udp_end_open(f, &server.addr, &client)) return;
  EXPECT_OK(udp_send_one(client.out, "a", 1, NULL));
  EXPECT_OK(udp_send_one(client.out, "b", 1, NULL));
  pollable p = udp_incoming_subscribe(server.in);
  EXPECT_TRUE(ready_within(p, WAIT_LIMIT_NS), "datagram never arrived");
  pollable_drop(p);
  datagram* list = NULL;
  uint32_t count = 0;
  EXPECT_OK(udp_receive(server.in, UINT64_MAX, &list, &count));
  datagrams_free(list, count);
  EXPECT_TRUE(count >= 1 && count <= 2, "receive(u64 max) returned %u datagrams", count);
  udp_end_close(&client);
  udp_end_close(&server);
}

// An empty list needs no permit: send([]) is ok(0) even without check-send (as the reference
// host answers; the WIT: "If the input list is empty, the function returns ok(0)").
static void empty_send_without_check_send(ip_family f) {
  udp_end server, client;
  if (!udp_end_open(f, NULL, &server) || !udp_end_open(f, &server.addr, &client)) return;
  uint64_t sent = 99;
  EXPECT_OK(udp_send(client.out, NULL, 0, &sent));
  EXPECT_TRUE(sent == 0, "send([]) returned %llu", (unsigned long long)sent);
  udp_end_close(&client);
  udp_end_close(&server);
}

int main(void) {
  check_init();
  RUN_BOTH_FAMILIES("udp_datagrams.check_send_and_order", check_send_and_order);
  RUN_BOTH_FAMILIES("udp_sample_app.connected_and_unconnected_clients", sample_application);
  RUN_BOTH_FAMILIES("udp_datagrams.too_large", datagram_too_large);
  RUN_BOTH_FAMILIES("udp_datagrams.largest_datagram_intact", largest_datagram_intact);
  RUN_BOTH_FAMILIES("udp_datagrams.remote_differs_from_peer_invalid", remote_differs_from_peer);
  RUN_BOTH_FAMILIES("udp_datagrams.no_remote_unconnected_invalid", no_remote_unconnected);
  RUN_BOTH_FAMILIES("udp_datagrams.receive_zero_empty", receive_zero_empty);
  RUN_BOTH_FAMILIES("udp_datagrams.burst_in_order", burst_in_order);
  RUN_BOTH_FAMILIES("udp_datagrams.connected_receives_only_from_peer",
                    connected_receives_only_from_peer);
  RUN_BOTH_FAMILIES("udp_datagrams.send_invalid_remotes", send_invalid_remotes);
  RUN_BOTH_FAMILIES("udp_datagrams.send_empty_list_zero", send_empty_list_zero);
  RUN_BOTH_FAMILIES("udp_datagrams.partial_send_counts", partial_send_counts);
  RUN_BOTH_FAMILIES("udp_datagrams.receive_huge_max", receive_huge_max);
  RUN_BOTH_FAMILIES("udp_datagrams.empty_send_without_check_send", empty_send_without_check_send);
  return check_finish();
}
