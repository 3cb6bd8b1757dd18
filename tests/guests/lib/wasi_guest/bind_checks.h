// Bind checks that tcp-socket and udp-socket share: the WIT gives both the same bind rules, so
// each check is written once over the operations both kinds have. Reports through check.h like
// any case; a conformance guest passes TCP_SOCKET_KIND or UDP_SOCKET_KIND.
#ifndef WASI_GUEST_BIND_CHECKS_H
#define WASI_GUEST_BIND_CHECKS_H

#include "fixtures.h"

// A socket kind's create, bind (start + finish), local-address, address-family and drop. Both
// handle types are u32 resources, so the typed wrappers fit these pointers as they are.
typedef struct {
  net_status (*create)(ip_family, uint32_t*);
  net_status (*bind)(uint32_t, network, sock_addr);
  net_status (*local_address)(uint32_t, sock_addr*);
  ip_family (*address_family)(uint32_t);
  void (*drop)(uint32_t);
} socket_kind;

static const socket_kind TCP_SOCKET_KIND = {tcp_create, tcp_bind, tcp_local_address,
                                            tcp_address_family, tcp_drop};
static const socket_kind UDP_SOCKET_KIND = {udp_create, udp_bind, udp_local_address,
                                            udp_address_family, udp_drop};

// An address in the documentation ranges (192.0.2.0, 2001:db8::): never one of this host's.
static inline sock_addr addr_not_on_host(ip_family f) {
  return f == FAMILY_IPV4 ? addr_v4(192, 0, 2, 0, 0) : addr_v6(0x2001, 0x0db8, 0, 0, 0, 0, 0, 0, 0);
}

// Binds a fresh socket of family f to `addr` and returns the outcome of the whole bind. A bound
// socket goes to *out (dropped when out is NULL); a failed one is dropped.
static inline net_status bind_fresh(const socket_kind* kind, ip_family f, sock_addr addr,
                                    uint32_t* out) {
  uint32_t s;
  net_status st = kind->create(f, &s);
  if (st != NET_OK) return st;
  st = kind->bind(s, test_network(), addr);
  if (out && st == NET_OK)
    *out = s;
  else
    kind->drop(s);
  return st;
}

// A fresh socket bound to `requested` reports its IP, some port and family f.
static inline void expect_bound_to(const socket_kind* kind, ip_family f, sock_addr requested) {
  uint32_t s;
  EXPECT_OK(bind_fresh(kind, f, requested, &s));
  sock_addr local;
  EXPECT_OK(kind->local_address(s, &local));
  EXPECT_TRUE(addr_same_ip(&local, &requested), "local-address has another IP");
  EXPECT_TRUE(local.port != 0, "local-address port is 0");
  EXPECT_TRUE(kind->address_family(s) == f, "address-family is not %s", ip_family_name(f));
  kind->drop(s);
}

// A port learnt by binding to :0 and released can then be asked for exactly.
static inline void expect_specific_port_bindable(const socket_kind* kind, ip_family f) {
  uint32_t probe, s;
  EXPECT_OK(bind_fresh(kind, f, addr_loopback(f, 0), &probe));
  sock_addr first, local;
  EXPECT_OK(kind->local_address(probe, &first));
  kind->drop(probe);
  EXPECT_TRUE(first.port >= 1024, "ephemeral port %u below 1024", first.port);
  EXPECT_OK(bind_fresh(kind, f, first, &s));
  EXPECT_OK(kind->local_address(s, &local));
  EXPECT_TRUE(addr_equal(&local, &first), "bound to port %u, asked for %u", local.port, first.port);
  kind->drop(s);
}

// IPv6 sockets are IPv6-only (the WIT refuses IPv4-mapped addresses): a wildcard IPv6 socket
// does not hold the IPv4 side of its port, so an IPv4 socket binds 0.0.0.0 on that port (and
// the other way round).
static inline void expect_families_independent(const socket_kind* kind) {
  for (int first = 0; first < 2; first++) {
    ip_family f = first == 0 ? FAMILY_IPV6 : FAMILY_IPV4;
    uint32_t s, other;
    sock_addr addr;
    EXPECT_OK(bind_fresh(kind, f, addr_unspecified(f, 0), &s));
    EXPECT_OK(kind->local_address(s, &addr));
    EXPECT_OK(
        bind_fresh(kind, other_family(f), addr_unspecified(other_family(f), addr.port), &other));
    kind->drop(other);
    kind->drop(s);
  }
}

#endif
