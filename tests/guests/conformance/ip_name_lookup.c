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
    if (check_failed()) return;
    expect_literal("192.0.2.0", addr_v4(192, 0, 2, 0, 0));
    return;
  }
  expect_literal("::", addr_v6(0, 0, 0, 0, 0, 0, 0, 0, 0));
  if (check_failed()) return;
  expect_literal("::1", addr_v6(0, 0, 0, 0, 0, 0, 0, 1, 0));
  if (check_failed()) return;
  expect_literal("[::]", addr_v6(0, 0, 0, 0, 0, 0, 0, 0, 0));
  if (check_failed()) return;
  expect_literal("2001:0db8:0:0:0:0:0:0", addr_v6(0x2001, 0x0db8, 0, 0, 0, 0, 0, 0, 0));
  static const char* const dead_beef[] = {"dead:beef::", "dead:beef::0", "DEAD:BEEF::0"};
  for (size_t i = 0; i < sizeof dead_beef / sizeof dead_beef[0]; i++) {
    expect_literal(dead_beef[i], addr_v6(0xdead, 0xbeef, 0, 0, 0, 0, 0, 0, 0));
    if (check_failed()) return;
  }
}

// "invalid-argument: name is a syntactically invalid domain name or IP address" (WIT), reported
// by resolve-addresses itself or by the stream.
static void invalid_names(ip_family f) {
  (void)f;
  static const char* const names[] = {
      "",        "exa mple.com",       "[::1", "a..b", " ", "a.b<&>", "127.0.0.1:80",
      "[::]:80", "http://example.com/"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    sock_addr found[4];
    uint32_t count = 0;
    net_status st = resolve_all(test_network(), names[i], found, 4, &count);
    EXPECT_TRUE(st == ERR_INVALID_ARGUMENT, "\"%s\": expected invalid-argument, got %s", names[i],
                net_status_name(st));
  }
}

// A lookup that reaches the resolver fails, if it fails, as name-unresolvable, a temporary failure
// or a timeout: never permanent-resolver-failure or invalid-argument (the tenant may look names
// up; the sandbox may have no DNS). A Unicode name goes through IDNA, so it is not invalid either.
static void real_names_not_refused(ip_family f) {
  (void)f;
  static const char* const names[] = {"example.com", "nonexistent.invalid", "m\xc3\xbcnchen.de"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    sock_addr found[MAX_RESULTS];
    uint32_t count = 0;
    net_status st = resolve_all(test_network(), names[i], found, MAX_RESULTS, &count);
    EXPECT_TRUE(st == NET_OK || st == ERR_NAME_UNRESOLVABLE ||
                    st == ERR_TEMPORARY_RESOLVER_FAILURE || st == ERR_TIMEOUT,
                "\"%s\": %s", names[i], net_status_name(st));
  }
}

// After the last address, resolve-next-address keeps returning none.
static void none_after_end_repeatedly(ip_family f) {
  resolve_address_stream s;
  EXPECT_OK(resolve_addresses(test_network(), f == FAMILY_IPV4 ? "127.0.0.1" : "::1", &s));
  pollable p = resolve_subscribe(s);
  bool has = false;
  sock_addr a;
  net_status st;
  while ((st = resolve_next_address(s, &has, &a)) == ERR_WOULD_BLOCK) pollable_block(p);
  EXPECT_OK(st);
  EXPECT_TRUE(has, "the literal produced no address");
  for (int i = 0; i < 3; i++) {
    EXPECT_OK(resolve_next_address(s, &has, &a));
    EXPECT_TRUE(!has, "call %d after the end returned an address", i + 1);
  }
  EXPECT_TRUE(pollable_ready(p), "the stream's pollable is not ready after the end");
  pollable_drop(p);
  resolve_drop(s);
}

int main(void) {
  check_init();
  RUN_FAMILY("ip_name_lookup.localhost_resolves", localhost_resolves, FAMILY_IPV4);
  RUN_BOTH_FAMILIES("ip_name_lookup.literals_resolve_to_themselves",
                    literals_resolve_to_themselves);
  RUN_FAMILY("ip_name_lookup.invalid_names_invalid_argument", invalid_names, FAMILY_IPV4);
  RUN_FAMILY("ip_name_lookup.real_names_not_refused", real_names_not_refused, FAMILY_IPV4);
  RUN_BOTH_FAMILIES("ip_name_lookup.none_after_end_repeatedly", none_after_end_repeatedly);
  return check_finish();
}
