// CONFORMANCE.md "UDP" bind cases: as for TCP, without listening for address-in-use.
#include "wasi_guest/bind_checks.h"

static const socket_kind* const UDP = &UDP_SOCKET_KIND;

static void bind_loopback_ephemeral(ip_family f) { expect_bound_to(UDP, f, addr_loopback(f, 0)); }
static void bind_unspecified_ephemeral(ip_family f) {
  expect_bound_to(UDP, f, addr_unspecified(f, 0));
}

static void bind_specific_port(ip_family f) { expect_specific_port_bindable(UDP, f); }

static void bind_address_in_use(ip_family f) {
  udp_socket s;
  sock_addr addr;
  if (!udp_loopback_socket(f, &s, &addr)) return;
  EXPECT_NET(bind_fresh(UDP, f, addr, NULL), ERR_ADDRESS_IN_USE);
  udp_drop(s);
}

static void bind_address_in_use_unspecified(ip_family f) {
  udp_socket s;
  sock_addr addr;
  EXPECT_OK(bind_fresh(UDP, f, addr_unspecified(f, 0), &s));
  EXPECT_OK(udp_local_address(s, &addr));
  EXPECT_NET(bind_fresh(UDP, f, addr, NULL), ERR_ADDRESS_IN_USE);
  udp_drop(s);
}

static void bind_not_on_host(ip_family f) {
  EXPECT_NET(bind_fresh(UDP, f, addr_not_on_host(f), NULL), ERR_ADDRESS_NOT_BINDABLE);
}

static void bind_other_family(ip_family f) {
  EXPECT_NET(bind_fresh(UDP, f, addr_loopback(other_family(f), 0), NULL), ERR_INVALID_ARGUMENT);
}

static void bind_ipv4_mapped(ip_family f) {
  EXPECT_NET(bind_fresh(UDP, f, addr_v6(0, 0, 0, 0, 0, 0xffff, 0x7f00, 0x0001, 0), NULL),
             ERR_INVALID_ARGUMENT);
}

static void families_independent(ip_family f) {
  (void)f;
  expect_families_independent(UDP);
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
  RUN_FAMILY("udp_bind.ipv6_only_wildcard_leaves_ipv4_port", families_independent, FAMILY_IPV6);
  return check_finish();
}
