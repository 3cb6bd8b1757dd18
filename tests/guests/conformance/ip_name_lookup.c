// CONFORMANCE.md "Name lookup": localhost, IP literals resolving to themselves, never an
// IPv4-mapped IPv6 address.
#include "wasi_guest/ip_name_lookup.h"
#include "wasi_guest/fixtures.h"

enum { MAX_RESULTS = 16 };

static bool is_ipv4_mapped(const sock_addr* a) {
  static const uint16_t prefix[6] = {0, 0, 0, 0, 0, 0xffff};
  return a->family == FAMILY_IPV6 && memcmp(a->v6, prefix, sizeof prefix) == 0;
}

static void localhost_resolves(ip_family f) {
  (void)f;
  sock_addr found[MAX_RESULTS];
  uint32_t count = 0;
  EXPECT_OK(resolve_all(test_network(), "localhost", found, MAX_RESULTS, &count));
  EXPECT_TRUE(count > 0, "localhost resolved to nothing");
  for (uint32_t i = 0; i < count; i++) {
    EXPECT_TRUE(!is_ipv4_mapped(&found[i]), "result %u is IPv4-mapped", i);
  }
}

// `name` must resolve to exactly `expected`.
static void expect_literal(const char* name, sock_addr expected) {
  sock_addr found[MAX_RESULTS];
  uint32_t count = 0;
  EXPECT_OK(resolve_all(test_network(), name, found, MAX_RESULTS, &count));
  EXPECT_TRUE(count == 1, "\"%s\" resolved to %u addresses", name, count);
  EXPECT_TRUE(addr_same_ip(&found[0], &expected), "\"%s\" resolved to another address", name);
  EXPECT_TRUE(!is_ipv4_mapped(&found[0]), "\"%s\" resolved to an IPv4-mapped address", name);
}

static void literals_resolve_to_themselves(ip_family f) {
  if (f == FAMILY_IPV4) {
    expect_literal("0.0.0.0", addr_v4(0, 0, 0, 0, 0));
    if (check_failed()) return;
    expect_literal("127.0.0.1", addr_v4(127, 0, 0, 1, 0));
    return;
  }
  expect_literal("::", addr_v6(0, 0, 0, 0, 0, 0, 0, 0, 0));
  if (check_failed()) return;
  expect_literal("::1", addr_v6(0, 0, 0, 0, 0, 0, 0, 1, 0));
  if (check_failed()) return;
  expect_literal("[::]", addr_v6(0, 0, 0, 0, 0, 0, 0, 0, 0));
  if (check_failed()) return;
  expect_literal("2001:0db8:0:0:0:0:0:0", addr_v6(0x2001, 0x0db8, 0, 0, 0, 0, 0, 0, 0));
}

// "invalid-argument: name is a syntactically invalid domain name or IP address" (WIT), reported
// by resolve-addresses itself or by the stream.
static void invalid_names(ip_family f) {
  (void)f;
  static const char* const names[] = {"", "exa mple.com", "[::1", "a..b"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    sock_addr found[4];
    uint32_t count = 0;
    net_status st = resolve_all(test_network(), names[i], found, 4, &count);
    EXPECT_TRUE(st == ERR_INVALID_ARGUMENT, "\"%s\": expected invalid-argument, got %s", names[i],
                net_status_name(st));
  }
}

int main(void) {
  check_init();
  RUN_FAMILY("ip_name_lookup.localhost_resolves", localhost_resolves, FAMILY_IPV4);
  RUN_BOTH_FAMILIES("ip_name_lookup.literals_resolve_to_themselves",
                    literals_resolve_to_themselves);
  RUN_FAMILY("ip_name_lookup.invalid_names_invalid_argument", invalid_names, FAMILY_IPV4);
  return check_finish();
}
