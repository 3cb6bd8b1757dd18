// CONFORMANCE.md "Policy switches", run against a daemon whose policy turns interfaces off:
// `policy_switches [tcp] [udp] [lookup]` names the switches that are off; the others must work.
//   off TCP    -> create-tcp-socket: access-denied
//   off UDP    -> create-udp-socket: access-denied
//   off lookup -> resolve-addresses: permanent-resolver-failure (at the call or from the stream)
#include <string.h>

#include "wasi_guest/fixtures.h"
#include "wasi_guest/ip_name_lookup.h"

static bool tcp_off, udp_off, lookup_off;

static void tcp_switch(ip_family f) {
  tcp_socket s;
  if (tcp_off) {
    EXPECT_NET(tcp_create(f, &s), ERR_ACCESS_DENIED);
    return;
  }
  EXPECT_OK(tcp_create(f, &s));
  tcp_drop(s);
}

static void udp_switch(ip_family f) {
  udp_socket s;
  if (udp_off) {
    EXPECT_NET(udp_create(f, &s), ERR_ACCESS_DENIED);
    return;
  }
  EXPECT_OK(udp_create(f, &s));
  udp_drop(s);
}

static void lookup_switch(ip_family f) {
  (void)f;
  sock_addr found[4];
  uint32_t count = 0;
  net_status st = resolve_all(test_network(), "localhost", found, 4, &count);
  if (lookup_off) {
    EXPECT_NET(st, ERR_PERMANENT_RESOLVER_FAILURE);
    return;
  }
  EXPECT_OK(st);
  EXPECT_TRUE(count > 0, "localhost resolved to nothing");
}

int main(int argc, char** argv) {
  check_init();
  for (int i = 1; i < argc; i++) {
    tcp_off |= strcmp(argv[i], "tcp") == 0;
    udp_off |= strcmp(argv[i], "udp") == 0;
    lookup_off |= strcmp(argv[i], "lookup") == 0;
  }
  RUN_BOTH_FAMILIES(tcp_off ? "policy.tcp_off_access_denied" : "policy.tcp_on_with_others_off",
                    tcp_switch);
  RUN_BOTH_FAMILIES(udp_off ? "policy.udp_off_access_denied" : "policy.udp_on_with_others_off",
                    udp_switch);
  RUN_FAMILY(
      lookup_off ? "policy.lookup_off_permanent_failure" : "policy.lookup_on_with_others_off",
      lookup_switch, FAMILY_IPV4);
  return check_finish();
}
