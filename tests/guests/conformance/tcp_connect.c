// CONFORMANCE.md "TCP connect": refused remote addresses and a loopback-bound client.
#include "wasi_guest/fixtures.h"

// The outcome of start-connect (and finish-connect when it started) on a fresh socket.
static net_status connect_fresh(ip_family f, sock_addr remote) {
  tcp_socket s;
  net_status st = tcp_create(f, &s);
  if (st != NET_OK) return st;
  st = tcp_connect(s, test_network(), remote, NULL, NULL);
  tcp_drop(s);
  return st;
}

static void connect_unspecified(ip_family f) {
  EXPECT_NET(connect_fresh(f, addr_unspecified(f, 47)), ERR_INVALID_ARGUMENT);
}
static void connect_port_zero(ip_family f) {
  EXPECT_NET(connect_fresh(f, addr_loopback(f, 0)), ERR_INVALID_ARGUMENT);
}
static void connect_other_family(ip_family f) {
  EXPECT_NET(connect_fresh(f, addr_loopback(other_family(f), 47)), ERR_INVALID_ARGUMENT);
}
static void connect_ipv4_broadcast(ip_family f) {
  EXPECT_NET(connect_fresh(f, addr_v4(255, 255, 255, 255, 47)), ERR_INVALID_ARGUMENT);
}
static void connect_ipv4_multicast(ip_family f) {
  EXPECT_NET(connect_fresh(f, addr_v4(224, 254, 0, 0, 47)), ERR_INVALID_ARGUMENT);
}
static void connect_ipv6_multicast(ip_family f) {
  EXPECT_NET(connect_fresh(f, addr_v6(0xff00, 0, 0, 0, 0, 0, 0, 0, 47)), ERR_INVALID_ARGUMENT);
}
static void connect_ipv4_mapped(ip_family f) {
  EXPECT_NET(connect_fresh(f, addr_v6(0, 0, 0, 0, 0, 0xffff, 0x7f00, 0x0001, 47)),
             ERR_INVALID_ARGUMENT);
}

static void connect_from_bound_loopback(ip_family f) {
  tcp_socket listener, client, server;
  sock_addr listen_addr;
  if (!tcp_loopback_listener(f, &listener, &listen_addr)) return;
  EXPECT_OK(tcp_create(f, &client));
  EXPECT_OK(tcp_bind(client, test_network(), addr_loopback(f, 0)));
  sock_addr bound;
  EXPECT_OK(tcp_local_address(client, &bound));
  EXPECT_OK(tcp_connect(client, test_network(), listen_addr, NULL, NULL));
  sock_addr local, remote;
  EXPECT_OK(tcp_local_address(client, &local));
  EXPECT_OK(tcp_remote_address(client, &remote));
  EXPECT_TRUE(addr_equal(&local, &bound), "local-address changed by connect");
  EXPECT_TRUE(addr_equal(&remote, &listen_addr), "remote-address is not the listener");
  EXPECT_OK(tcp_accept_blocking(listener, &server, NULL, NULL));
  sock_addr peer;
  EXPECT_OK(tcp_remote_address(server, &peer));
  EXPECT_TRUE(addr_equal(&peer, &bound), "accepted peer is not the bound client address");
  tcp_drop(server);
  tcp_drop(client);
  tcp_drop(listener);
}

// connect on an unbound socket binds it implicitly: afterwards local-address is a loopback
// address of the family with a non-zero port.
static void implicit_bind(ip_family f) {
  tcp_socket listener, client;
  sock_addr listen_addr, local;
  if (!tcp_loopback_listener(f, &listener, &listen_addr)) return;
  EXPECT_OK(tcp_create(f, &client));
  EXPECT_OK(tcp_connect(client, test_network(), listen_addr, NULL, NULL));
  EXPECT_OK(tcp_local_address(client, &local));
  sock_addr loopback = addr_loopback(f, 0);
  EXPECT_TRUE(addr_same_ip(&local, &loopback), "implicitly bound to a non-loopback address");
  EXPECT_TRUE(local.port != 0, "implicitly bound to port 0");
  tcp_drop(client);
  tcp_drop(listener);
}

// The network is only borrowed by bind and connect: each instance-network call gives a handle that
// works, and dropping one leaves the sockets bound through it working.
static void network_handle_dropped(ip_family f) {
  network own = instance_network();
  tcp_socket listener, client, server;
  EXPECT_OK(tcp_create(f, &listener));
  EXPECT_OK(tcp_bind(listener, own, addr_loopback(f, 0)));
  network_drop(own);
  EXPECT_OK(tcp_listen(listener));
  sock_addr addr;
  EXPECT_OK(tcp_local_address(listener, &addr));
  network other = instance_network();
  EXPECT_OK(tcp_create(f, &client));
  EXPECT_OK(tcp_connect(client, other, addr, NULL, NULL));
  network_drop(other);
  EXPECT_OK(tcp_accept_blocking(listener, &server, NULL, NULL));
  tcp_drop(server);
  tcp_drop(client);
  tcp_drop(listener);
}

int main(void) {
  check_init();
  RUN_BOTH_FAMILIES("tcp_connect.unspecified_remote_invalid", connect_unspecified);
  RUN_BOTH_FAMILIES("tcp_connect.port_zero_invalid", connect_port_zero);
  RUN_BOTH_FAMILIES("tcp_connect.other_family_invalid", connect_other_family);
  RUN_FAMILY("tcp_connect.broadcast_invalid", connect_ipv4_broadcast, FAMILY_IPV4);
  RUN_FAMILY("tcp_connect.multicast_invalid", connect_ipv4_multicast, FAMILY_IPV4);
  RUN_FAMILY("tcp_connect.multicast_invalid", connect_ipv6_multicast, FAMILY_IPV6);
  RUN_FAMILY("tcp_connect.ipv4_mapped_invalid", connect_ipv4_mapped, FAMILY_IPV6);
  RUN_BOTH_FAMILIES("tcp_connect.bound_loopback_client", connect_from_bound_loopback);
  RUN_BOTH_FAMILIES("tcp_connect.implicit_bind", implicit_bind);
  RUN_BOTH_FAMILIES("tcp_connect.network_handle_dropped", network_handle_dropped);
  return check_finish();
}
