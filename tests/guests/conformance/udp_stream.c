// CONFORMANCE.md "UDP": stream(none)/stream(some) and the states of a UDP socket.
#include "wasi_guest/fixtures.h"

static void remote_follows_last_call(ip_family f) {
  udp_socket s, peer_a, peer_b;
  sock_addr addr, a, b, remote, local;
  if (!udp_loopback_socket(f, &s, &addr) || !udp_loopback_socket(f, &peer_a, &a) ||
      !udp_loopback_socket(f, &peer_b, &b))
    return;
  EXPECT_OK(udp_stream(s, &a, NULL, NULL));
  EXPECT_OK(udp_remote_address(s, &remote));
  EXPECT_TRUE(addr_equal(&remote, &a), "remote-address is not the first peer");
  EXPECT_OK(udp_stream(s, &b, NULL, NULL));
  EXPECT_OK(udp_remote_address(s, &remote));
  EXPECT_TRUE(addr_equal(&remote, &b), "remote-address did not follow the second stream()");
  EXPECT_OK(udp_stream(s, NULL, NULL, NULL));
  EXPECT_NET(udp_remote_address(s, NULL), ERR_INVALID_STATE);
  EXPECT_OK(udp_local_address(s, &local));
  EXPECT_TRUE(local.port == addr.port, "stream(none) moved the socket from port %u to %u",
              addr.port, local.port);
  udp_drop(peer_b);
  udp_drop(peer_a);
  udp_drop(s);
}

static void expect_remote(udp_socket s, const sock_addr* expected) {
  sock_addr remote;
  if (!expected) {
    EXPECT_NET(udp_remote_address(s, NULL), ERR_INVALID_STATE);
    return;
  }
  EXPECT_OK(udp_remote_address(s, &remote));
  EXPECT_TRUE(addr_equal(&remote, expected), "remote-address port %u, expected %u", remote.port,
              expected->port);
}

// On a wildcard-bound socket: stream(none) twice, the same remote twice, another remote, none,
// and a remote again; remote-address follows every call (nothing listens on those ports).
static void connect_disconnect_reconnect(ip_family f) {
  udp_socket s;
  sock_addr remote1 = addr_loopback(f, 4321), remote2 = addr_loopback(f, 4320);
  EXPECT_OK(udp_create(f, &s));
  EXPECT_OK(udp_bind(s, test_network(), addr_unspecified(f, 0)));
  const sock_addr* sequence[] = {NULL, NULL, &remote1, &remote1, &remote2, NULL, &remote1};
  for (size_t i = 0; i < sizeof sequence / sizeof sequence[0]; i++) {
    EXPECT_OK(udp_stream(s, sequence[i], NULL, NULL));
    expect_remote(s, sequence[i]);
    if (check_failed()) return;
  }
  udp_drop(s);
}

// stream(none) after stream(some) keeps a wildcard-bound socket bound.
static void disconnect_keeps_wildcard_binding(ip_family f) {
  udp_socket s;
  sock_addr remote = addr_loopback(f, 4321);
  EXPECT_OK(udp_create(f, &s));
  EXPECT_OK(udp_bind(s, test_network(), addr_unspecified(f, 0)));
  EXPECT_OK(udp_stream(s, &remote, NULL, NULL));
  EXPECT_OK(udp_stream(s, NULL, NULL, NULL));
  EXPECT_OK(udp_local_address(s, NULL));
  udp_drop(s);
}

static void stream_some_unbound(ip_family f) {
  udp_socket s;
  EXPECT_OK(udp_create(f, &s));
  sock_addr remote = addr_loopback(f, 4242);
  EXPECT_NET(udp_stream(s, &remote, NULL, NULL), ERR_INVALID_STATE);
  udp_drop(s);
}

static net_status stream_to(ip_family f, sock_addr remote) {
  udp_socket s;
  sock_addr addr;
  if (!udp_loopback_socket(f, &s, &addr)) return ERR_UNKNOWN;
  net_status st = udp_stream(s, &remote, NULL, NULL);
  udp_drop(s);
  return st;
}

static void stream_unspecified_remote(ip_family f) {
  EXPECT_NET(stream_to(f, addr_unspecified(f, 4242)), ERR_INVALID_ARGUMENT);
}
static void stream_port_zero(ip_family f) {
  EXPECT_NET(stream_to(f, addr_loopback(f, 0)), ERR_INVALID_ARGUMENT);
}
static void stream_other_family(ip_family f) {
  EXPECT_NET(stream_to(f, addr_loopback(other_family(f), 4242)), ERR_INVALID_ARGUMENT);
}
static void stream_ipv4_mapped(ip_family f) {
  EXPECT_NET(stream_to(f, addr_v6(0, 0, 0, 0, 0, 0xffff, 0x7f00, 0x0001, 4242)),
             ERR_INVALID_ARGUMENT);
}

// Every option getter and setter succeeds with the values the floor names, in every state.
static void expect_options_work(udp_socket s) {
  uint8_t hops;
  uint64_t size;
  EXPECT_OK(udp_unicast_hop_limit(s, &hops));
  EXPECT_OK(udp_set_unicast_hop_limit(s, 255));
  EXPECT_OK(udp_receive_buffer_size(s, &size));
  EXPECT_OK(udp_set_receive_buffer_size(s, 16000));
  EXPECT_OK(udp_send_buffer_size(s, &size));
  EXPECT_OK(udp_set_send_buffer_size(s, 16000));
}

static void unbound_state(ip_family f) {
  udp_socket s;
  EXPECT_OK(udp_create(f, &s));
  EXPECT_NET(udp_finish_bind(s), ERR_NOT_IN_PROGRESS);
  EXPECT_NET(udp_stream(s, NULL, NULL, NULL), ERR_INVALID_STATE);
  EXPECT_NET(udp_local_address(s, NULL), ERR_INVALID_STATE);
  EXPECT_NET(udp_remote_address(s, NULL), ERR_INVALID_STATE);
  EXPECT_TRUE(udp_address_family(s) == f, "address-family is not %s", ip_family_name(f));
  expect_options_work(s);
  udp_drop(s);
}

// A second start-bind while the first has not finished: concurrency-conflict.
static void bind_in_progress(ip_family f) {
  udp_socket s;
  EXPECT_OK(udp_create(f, &s));
  EXPECT_OK(udp_start_bind(s, test_network(), addr_loopback(f, 0)));
  EXPECT_NET(udp_start_bind(s, test_network(), addr_loopback(f, 0)), ERR_CONCURRENCY_CONFLICT);
  pollable p = udp_subscribe(s);
  net_status st;
  while ((st = udp_finish_bind(s)) == ERR_WOULD_BLOCK) pollable_block(p);
  pollable_drop(p);
  EXPECT_OK(st);
  EXPECT_NET(udp_finish_bind(s), ERR_NOT_IN_PROGRESS);
  EXPECT_OK(udp_local_address(s, NULL));
  udp_drop(s);
}

static void bound_state(ip_family f) {
  udp_socket s;
  sock_addr addr;
  if (!udp_loopback_socket(f, &s, &addr)) return;
  EXPECT_NET(udp_start_bind(s, test_network(), addr_loopback(f, 0)), ERR_INVALID_STATE);
  EXPECT_NET(udp_finish_bind(s), ERR_NOT_IN_PROGRESS);
  EXPECT_NET(udp_remote_address(s, NULL), ERR_INVALID_STATE);
  EXPECT_OK(udp_local_address(s, NULL));
  EXPECT_TRUE(udp_address_family(s) == f, "address-family is not %s", ip_family_name(f));
  expect_options_work(s);
  EXPECT_OK(udp_stream(s, NULL, NULL, NULL));
  udp_drop(s);
}

static void connected_state(ip_family f) {
  udp_socket s, peer;
  sock_addr addr, peer_addr;
  if (!udp_loopback_socket(f, &s, &addr) || !udp_loopback_socket(f, &peer, &peer_addr)) return;
  EXPECT_OK(udp_stream(s, &peer_addr, NULL, NULL));
  EXPECT_NET(udp_start_bind(s, test_network(), addr_loopback(f, 0)), ERR_INVALID_STATE);
  EXPECT_NET(udp_finish_bind(s), ERR_NOT_IN_PROGRESS);
  EXPECT_OK(udp_local_address(s, NULL));
  EXPECT_OK(udp_remote_address(s, NULL));
  EXPECT_TRUE(udp_address_family(s) == f, "address-family is not %s", ip_family_name(f));
  expect_options_work(s);
  udp_drop(peer);
  udp_drop(s);
}

// Dropped sockets give their slot back at once: 1500 bind/stream/drop rounds one after another
// (more than a session's socket limit) all succeed, as the reference host's 256-round checks need.
static void many_sockets_in_turn(ip_family f) {
  for (int i = 0; i < 1500; i++) {
    udp_socket s;
    sock_addr addr, remote = addr_loopback(f, 4320);
    if (!udp_loopback_socket(f, &s, &addr)) FAIL_NOW("round %d: set-up failed", i);
    incoming_datagram_stream in;
    outgoing_datagram_stream out;
    EXPECT_OK(udp_stream(s, &remote, &in, &out));
    udp_incoming_drop(in);
    udp_outgoing_drop(out);
    udp_drop(s);
  }
}

int main(void) {
  check_init();
  RUN_BOTH_FAMILIES("udp_stream.remote_follows_last_call", remote_follows_last_call);
  RUN_BOTH_FAMILIES("udp_stream.connect_disconnect_reconnect", connect_disconnect_reconnect);
  RUN_BOTH_FAMILIES("udp_stream.disconnect_keeps_wildcard_binding",
                    disconnect_keeps_wildcard_binding);
  RUN_BOTH_FAMILIES("udp_stream.some_on_unbound_invalid_state", stream_some_unbound);
  RUN_BOTH_FAMILIES("udp_stream.unspecified_remote_invalid", stream_unspecified_remote);
  RUN_BOTH_FAMILIES("udp_stream.port_zero_invalid", stream_port_zero);
  RUN_BOTH_FAMILIES("udp_stream.other_family_invalid", stream_other_family);
  RUN_FAMILY("udp_stream.ipv4_mapped_invalid", stream_ipv4_mapped, FAMILY_IPV6);
  RUN_BOTH_FAMILIES("udp_stream.many_sockets_in_turn", many_sockets_in_turn);
  RUN_BOTH_FAMILIES("udp_states.unbound", unbound_state);
  RUN_BOTH_FAMILIES("udp_states.bind_in_progress", bind_in_progress);
  RUN_BOTH_FAMILIES("udp_states.bound", bound_state);
  RUN_BOTH_FAMILIES("udp_states.connected", connected_state);
  return check_finish();
}
