// CONFORMANCE.md "Policy switches", last item: under the default policy (loopback only) a
// connect, bind or send to an address the rules do not allow is access-denied, before any
// syscall (192.0.2.0/24 and 2001:db8::/32 are documentation ranges: not on this host, never
// routed, so a syscall would have failed differently or hung). Binds are denied on addresses
// the host has (a loopback port below 1024, never lent by default); an address the host does
// not have stays address-not-bindable, as the WIT says, under any policy.
#include "wasi_guest/fixtures.h"

static sock_addr foreign(ip_family f, uint16_t port) {
  return f == FAMILY_IPV4 ? addr_v4(192, 0, 2, 1, port)
                          : addr_v6(0x2001, 0x0db8, 0, 0, 0, 0, 0, 1, port);
}

static void tcp_connect_denied(ip_family f) {
  tcp_socket s;
  EXPECT_OK(tcp_create(f, &s));
  EXPECT_NET(tcp_connect(s, test_network(), foreign(f, 80), NULL, NULL), ERR_ACCESS_DENIED);
  tcp_drop(s);
}

static void tcp_bind_denied(ip_family f) {
  tcp_socket s;
  EXPECT_OK(tcp_create(f, &s));
  EXPECT_NET(tcp_bind(s, test_network(), addr_loopback(f, 80)), ERR_ACCESS_DENIED);
  EXPECT_NET(tcp_bind(s, test_network(), foreign(f, 0)), ERR_ADDRESS_NOT_BINDABLE);
  tcp_drop(s);
}

static void udp_bind_denied(ip_family f) {
  udp_socket s;
  EXPECT_OK(udp_create(f, &s));
  EXPECT_NET(udp_bind(s, test_network(), addr_loopback(f, 80)), ERR_ACCESS_DENIED);
  EXPECT_NET(udp_bind(s, test_network(), foreign(f, 0)), ERR_ADDRESS_NOT_BINDABLE);
  udp_drop(s);
}

static void udp_send_denied(ip_family f) {
  udp_socket s;
  sock_addr local;
  if (!udp_loopback_socket(f, &s, &local)) return;
  outgoing_datagram_stream out;
  EXPECT_OK(udp_stream(s, NULL, NULL, &out));
  sock_addr to = foreign(f, 9);
  EXPECT_NET(udp_send_one(out, "x", 1, &to), ERR_ACCESS_DENIED);
  udp_outgoing_drop(out);
  udp_drop(s);
}

int main(void) {
  check_init();
  RUN_BOTH_FAMILIES("policy.tcp_connect_denied_address", tcp_connect_denied);
  RUN_BOTH_FAMILIES("policy.tcp_bind_denied_address", tcp_bind_denied);
  RUN_BOTH_FAMILIES("policy.udp_bind_denied_address", udp_bind_denied);
  RUN_BOTH_FAMILIES("policy.udp_send_denied_address", udp_send_denied);
  return check_finish();
}
