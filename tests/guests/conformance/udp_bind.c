// CONFORMANCE.md "UDP" bind cases: as for TCP, without listening for address-in-use.
#include "wasi_guest/fixtures.h"

static net_status bind_fresh(ip_family f, sock_addr addr, udp_socket* out) {
  udp_socket s;
  net_status st = udp_create(f, &s);
  if (st != NET_OK) return st;
  st = udp_bind(s, test_network(), addr);
  if (out && st == NET_OK)
    *out = s;
  else
    udp_drop(s);
  return st;
}

static void expect_bound_to(ip_family f, sock_addr requested) {
  udp_socket s;
  EXPECT_OK(bind_fresh(f, requested, &s));
  sock_addr local;
  EXPECT_OK(udp_local_address(s, &local));
  EXPECT_TRUE(addr_same_ip(&local, &requested), "local-address has another IP");
  EXPECT_TRUE(local.port != 0, "local-address port is 0");
  EXPECT_TRUE(udp_address_family(s) == f, "address-family is not %s", ip_family_name(f));
  udp_drop(s);
}

static void bind_loopback_ephemeral(ip_family f) { expect_bound_to(f, addr_loopback(f, 0)); }
static void bind_unspecified_ephemeral(ip_family f) { expect_bound_to(f, addr_unspecified(f, 0)); }

static void bind_specific_port(ip_family f) {
  udp_socket probe, s;
  EXPECT_OK(bind_fresh(f, addr_loopback(f, 0), &probe));
  sock_addr first, local;
  EXPECT_OK(udp_local_address(probe, &first));
  udp_drop(probe);
  EXPECT_TRUE(first.port >= 1024, "ephemeral port %u below 1024", first.port);
  EXPECT_OK(bind_fresh(f, first, &s));
  EXPECT_OK(udp_local_address(s, &local));
  EXPECT_TRUE(addr_equal(&local, &first), "bound to port %u, asked for %u", local.port, first.port);
  udp_drop(s);
}

static void bind_address_in_use(ip_family f) {
  udp_socket s;
  sock_addr addr;
  if (!udp_loopback_socket(f, &s, &addr)) return;
  EXPECT_NET(bind_fresh(f, addr, NULL), ERR_ADDRESS_IN_USE);
  udp_drop(s);
}

static void bind_address_in_use_unspecified(ip_family f) {
  udp_socket s;
  sock_addr addr;
  EXPECT_OK(bind_fresh(f, addr_unspecified(f, 0), &s));
  EXPECT_OK(udp_local_address(s, &addr));
  EXPECT_NET(bind_fresh(f, addr, NULL), ERR_ADDRESS_IN_USE);
  udp_drop(s);
}

static void bind_not_on_host(ip_family f) {
  sock_addr foreign =
      f == FAMILY_IPV4 ? addr_v4(192, 0, 2, 0, 0) : addr_v6(0x2001, 0x0db8, 0, 0, 0, 0, 0, 0, 0);
  EXPECT_NET(bind_fresh(f, foreign, NULL), ERR_ADDRESS_NOT_BINDABLE);
}

static void bind_other_family(ip_family f) {
  EXPECT_NET(bind_fresh(f, addr_loopback(other_family(f), 0), NULL), ERR_INVALID_ARGUMENT);
}

static void bind_ipv4_mapped(ip_family f) {
  EXPECT_NET(bind_fresh(f, addr_v6(0, 0, 0, 0, 0, 0xffff, 0x7f00, 0x0001, 0), NULL),
             ERR_INVALID_ARGUMENT);
}

int main(void) {
  check_init();
  RUN_BOTH_FAMILIES("udp_bind.loopback_ephemeral", bind_loopback_ephemeral);
  RUN_BOTH_FAMILIES("udp_bind.unspecified_ephemeral", bind_unspecified_ephemeral);
  RUN_BOTH_FAMILIES("udp_bind.specific_port", bind_specific_port);
  RUN_BOTH_FAMILIES("udp_bind.address_in_use", bind_address_in_use);
  RUN_BOTH_FAMILIES("udp_bind.unspecified_address_in_use", bind_address_in_use_unspecified);
  RUN_BOTH_FAMILIES("udp_bind.not_on_host_not_bindable", bind_not_on_host);
  RUN_BOTH_FAMILIES("udp_bind.other_family_invalid", bind_other_family);
  RUN_FAMILY("udp_bind.ipv4_mapped_invalid", bind_ipv4_mapped, FAMILY_IPV6);
  return check_finish();
}
