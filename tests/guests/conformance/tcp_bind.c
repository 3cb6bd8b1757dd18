// CONFORMANCE.md "TCP bind": start-bind/finish-bind outcomes, IPv4 and IPv6.
#include "wasi_guest/bind_checks.h"

static const socket_kind* const TCP = &TCP_SOCKET_KIND;

static void bind_loopback_ephemeral(ip_family f) { expect_bound_to(TCP, f, addr_loopback(f, 0)); }
static void bind_unspecified_ephemeral(ip_family f) {
  expect_bound_to(TCP, f, addr_unspecified(f, 0));
}

static void bind_specific_port(ip_family f) { expect_specific_port_bindable(TCP, f); }

static void bind_address_of_listener(ip_family f) {
  tcp_socket listener;
  sock_addr addr;
  if (!tcp_loopback_listener(f, &listener, &addr)) return;
  EXPECT_NET(bind_fresh(TCP, f, addr, NULL), ERR_ADDRESS_IN_USE);
  tcp_drop(listener);
}

// The same with a listener on the wildcard address: its address is in use for everyone.
static void bind_address_of_unspecified_listener(ip_family f) {
  tcp_socket listener;
  sock_addr addr;
  EXPECT_OK(bind_fresh(TCP, f, addr_unspecified(f, 0), &listener));
  EXPECT_OK(tcp_listen(listener));
  EXPECT_OK(tcp_local_address(listener, &addr));
  EXPECT_NET(bind_fresh(TCP, f, addr, NULL), ERR_ADDRESS_IN_USE);
  tcp_drop(listener);
}

// WIT implementors note: binding a non-zero port is not affected by the TIME_WAIT state of a
// recently closed socket (SO_REUSEADDR set implicitly). The server side closes first, so its end
// of the connection lingers on the port while a new listener binds and listens there.
static void rebind_after_listener_closed(ip_family f) {
  tcp_socket listener, client, server;
  sock_addr addr;
  output_stream server_out;
  if (!tcp_loopback_listener(f, &listener, &addr)) return;
  EXPECT_OK(tcp_create(f, &client));
  EXPECT_OK(tcp_connect(client, test_network(), addr, NULL, NULL));
  EXPECT_OK(tcp_accept_blocking(listener, &server, NULL, &server_out));
  static const uint8_t zeroes[10] = {0};
  EXPECT_STREAM(output_blocking_write_and_flush(server_out, zeroes, sizeof zeroes), STREAM_OK);
  output_drop(server_out);
  tcp_drop(server);
  tcp_drop(listener);
  tcp_socket again;
  EXPECT_OK(bind_fresh(TCP, f, addr, &again));
  EXPECT_OK(tcp_listen(again));
  tcp_drop(again);
  tcp_drop(client);
}

static void bind_not_on_host(ip_family f) {
  EXPECT_NET(bind_fresh(TCP, f, addr_not_on_host(f), NULL), ERR_ADDRESS_NOT_BINDABLE);
}

static void bind_other_family(ip_family f) {
  EXPECT_NET(bind_fresh(TCP, f, addr_loopback(other_family(f), 0), NULL), ERR_INVALID_ARGUMENT);
}

static void bind_ipv4_broadcast(ip_family f) {
  EXPECT_NET(bind_fresh(TCP, f, addr_v4(255, 255, 255, 255, 0), NULL), ERR_INVALID_ARGUMENT);
}
static void bind_ipv4_multicast(ip_family f) {
  EXPECT_NET(bind_fresh(TCP, f, addr_v4(224, 254, 0, 0, 0), NULL), ERR_INVALID_ARGUMENT);
}
static void bind_ipv6_multicast(ip_family f) {
  EXPECT_NET(bind_fresh(TCP, f, addr_v6(0xff00, 0, 0, 0, 0, 0, 0, 0, 0), NULL),
             ERR_INVALID_ARGUMENT);
}
static void bind_ipv4_mapped(ip_family f) {
  EXPECT_NET(bind_fresh(TCP, f, addr_v6(0, 0, 0, 0, 0, 0xffff, 0x7f00, 0x0001, 0), NULL),
             ERR_INVALID_ARGUMENT);
}

// "Bind can be attempted multiple times on the same socket ... as long as the previous bind
// failed" (WIT); once it succeeded, start-bind is invalid-state.
static void retry_after_failed_bind(ip_family f) {
  tcp_socket s;
  EXPECT_OK(tcp_create(f, &s));
  EXPECT_NET(tcp_bind(s, test_network(), addr_not_on_host(f)), ERR_ADDRESS_NOT_BINDABLE);
  EXPECT_OK(tcp_bind(s, test_network(), addr_loopback(f, 0)));
  EXPECT_NET(tcp_start_bind(s, test_network(), addr_loopback(f, 0)), ERR_INVALID_STATE);
  tcp_drop(s);
}

static void families_independent(ip_family f) {
  (void)f;
  expect_families_independent(TCP);
}

int main(void) {
  check_init();
  RUN_BOTH_FAMILIES("tcp_bind.loopback_ephemeral", bind_loopback_ephemeral);
  RUN_BOTH_FAMILIES("tcp_bind.unspecified_ephemeral", bind_unspecified_ephemeral);
  RUN_BOTH_FAMILIES("tcp_bind.specific_port", bind_specific_port);
  RUN_BOTH_FAMILIES("tcp_bind.address_of_listener_in_use", bind_address_of_listener);
  RUN_BOTH_FAMILIES("tcp_bind.address_of_unspecified_listener_in_use",
                    bind_address_of_unspecified_listener);
  RUN_BOTH_FAMILIES("tcp_bind.rebind_after_listener_closed", rebind_after_listener_closed);
  RUN_BOTH_FAMILIES("tcp_bind.not_on_host_not_bindable", bind_not_on_host);
  RUN_BOTH_FAMILIES("tcp_bind.other_family_invalid", bind_other_family);
  RUN_BOTH_FAMILIES("tcp_bind.retry_after_failed_bind", retry_after_failed_bind);
  RUN_FAMILY("tcp_bind.broadcast_invalid", bind_ipv4_broadcast, FAMILY_IPV4);
  RUN_FAMILY("tcp_bind.multicast_invalid", bind_ipv4_multicast, FAMILY_IPV4);
  RUN_FAMILY("tcp_bind.multicast_invalid", bind_ipv6_multicast, FAMILY_IPV6);
  RUN_FAMILY("tcp_bind.ipv4_mapped_invalid", bind_ipv4_mapped, FAMILY_IPV6);
  RUN_FAMILY("tcp_bind.ipv6_only_wildcard_leaves_ipv4_port", families_independent, FAMILY_IPV6);
  return check_finish();
}
