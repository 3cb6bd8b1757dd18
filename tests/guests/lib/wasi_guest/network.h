// wasi:sockets/network and instance-network: error codes, addresses, the network handle.
// net_status is the result of every fallible socket call: NET_OK or one of the WIT error codes.
#ifndef WASI_GUEST_NETWORK_H
#define WASI_GUEST_NETWORK_H

#include <stdbool.h>
#include <stdint.h>

#include "abi.h"

#define NETWORK_MODULE "wasi:sockets/network@" WASI_GUEST_VERSION

// Values are the WIT enum's case indices; NET_OK is ours.
typedef enum {
  NET_OK = -1,
  ERR_UNKNOWN = 0,
  ERR_ACCESS_DENIED,
  ERR_NOT_SUPPORTED,
  ERR_INVALID_ARGUMENT,
  ERR_OUT_OF_MEMORY,
  ERR_TIMEOUT,
  ERR_CONCURRENCY_CONFLICT,
  ERR_NOT_IN_PROGRESS,
  ERR_WOULD_BLOCK,
  ERR_INVALID_STATE,
  ERR_NEW_SOCKET_LIMIT,
  ERR_ADDRESS_NOT_BINDABLE,
  ERR_ADDRESS_IN_USE,
  ERR_REMOTE_UNREACHABLE,
  ERR_CONNECTION_REFUSED,
  ERR_CONNECTION_RESET,
  ERR_CONNECTION_ABORTED,
  ERR_DATAGRAM_TOO_LARGE,
  ERR_NAME_UNRESOLVABLE,
  ERR_TEMPORARY_RESOLVER_FAILURE,
  ERR_PERMANENT_RESOLVER_FAILURE,
} net_status;

static inline const char* net_status_name(net_status s) {
  static const char* const names[] = {
      "unknown",
      "access-denied",
      "not-supported",
      "invalid-argument",
      "out-of-memory",
      "timeout",
      "concurrency-conflict",
      "not-in-progress",
      "would-block",
      "invalid-state",
      "new-socket-limit",
      "address-not-bindable",
      "address-in-use",
      "remote-unreachable",
      "connection-refused",
      "connection-reset",
      "connection-aborted",
      "datagram-too-large",
      "name-unresolvable",
      "temporary-resolver-failure",
      "permanent-resolver-failure",
  };
  if (s == NET_OK) return "ok";
  if (s < 0 || (unsigned)s >= sizeof names / sizeof names[0]) return "<bad error-code>";
  return names[s];
}

// Decodes the error-code byte of a `result<_, error-code>`-shaped return area.
static inline net_status net_status_at(const void* ret, uint32_t err_offset) {
  return abi_load_u8(ret, 0) == 0 ? NET_OK : (net_status)abi_load_u8(ret, err_offset);
}

typedef enum { FAMILY_IPV4 = 0, FAMILY_IPV6 = 1 } ip_family;

static inline const char* ip_family_name(ip_family f) { return f == FAMILY_IPV4 ? "ipv4" : "ipv6"; }

// ip-address and ip-socket-address in one struct; fields of the other family are ignored.
typedef struct {
  ip_family family;
  uint16_t port;
  uint32_t flow_info;
  uint32_t scope_id;
  uint8_t v4[4];
  uint16_t v6[8];
} sock_addr;

static inline sock_addr addr_v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port) {
  sock_addr s = {.family = FAMILY_IPV4, .port = port, .v4 = {a, b, c, d}};
  return s;
}
static inline sock_addr addr_v6(uint16_t a, uint16_t b, uint16_t c, uint16_t d, uint16_t e,
                                uint16_t f, uint16_t g, uint16_t h, uint16_t port) {
  sock_addr s = {.family = FAMILY_IPV6, .port = port, .v6 = {a, b, c, d, e, f, g, h}};
  return s;
}
static inline sock_addr addr_loopback(ip_family f, uint16_t port) {
  return f == FAMILY_IPV4 ? addr_v4(127, 0, 0, 1, port) : addr_v6(0, 0, 0, 0, 0, 0, 0, 1, port);
}
static inline sock_addr addr_unspecified(ip_family f, uint16_t port) {
  return f == FAMILY_IPV4 ? addr_v4(0, 0, 0, 0, port) : addr_v6(0, 0, 0, 0, 0, 0, 0, 0, port);
}
static inline ip_family other_family(ip_family f) {
  return f == FAMILY_IPV4 ? FAMILY_IPV6 : FAMILY_IPV4;
}

static inline bool addr_same_ip(const sock_addr* a, const sock_addr* b) {
  if (a->family != b->family) return false;
  return a->family == FAMILY_IPV4 ? memcmp(a->v4, b->v4, sizeof a->v4) == 0
                                  : memcmp(a->v6, b->v6, sizeof a->v6) == 0;
}
static inline bool addr_equal(const sock_addr* a, const sock_addr* b) {
  return addr_same_ip(a, b) && a->port == b->port;
}

// Flattened ip-socket-address: discriminant + the longer (ipv6) case's 11 values.
#define ADDR_FLAT_LEN 12
typedef struct {
  int32_t v[ADDR_FLAT_LEN];
} addr_flat;

static inline addr_flat addr_flatten(const sock_addr* a) {
  addr_flat f = {{0}};
  f.v[0] = (int32_t)a->family;
  f.v[1] = a->port;
  if (a->family == FAMILY_IPV4) {
    for (int i = 0; i < 4; i++) f.v[2 + i] = a->v4[i];
  } else {
    f.v[2] = (int32_t)a->flow_info;
    for (int i = 0; i < 8; i++) f.v[3 + i] = a->v6[i];
    f.v[11] = (int32_t)a->scope_id;
  }
  return f;
}

// ip-socket-address in memory: tag @0, payload @4; 32 bytes, align 4.
#define ADDR_MEM_SIZE 32
static inline sock_addr addr_load(const void* base, uint32_t at) {
  sock_addr a = {.family = (ip_family)abi_load_u8(base, at), .port = abi_load_u16(base, at + 4)};
  if (a.family == FAMILY_IPV4) {
    for (uint32_t i = 0; i < 4; i++) a.v4[i] = abi_load_u8(base, at + 6 + i);
  } else {
    a.flow_info = abi_load_u32(base, at + 8);
    for (uint32_t i = 0; i < 8; i++) a.v6[i] = abi_load_u16(base, at + 12 + 2 * i);
    a.scope_id = abi_load_u32(base, at + 28);
  }
  return a;
}
// A `result<ip-socket-address, error-code>` return area: the address goes to *out (if not NULL).
static inline net_status address_result(const abi_ret_area* ret, sock_addr* out) {
  net_status st = net_status_at(ret->bytes, 4);
  if (st == NET_OK && out) *out = addr_load(ret->bytes, 4);
  return st;
}
static inline void addr_store(void* base, uint32_t at, const sock_addr* a) {
  memset((uint8_t*)base + at, 0, ADDR_MEM_SIZE);
  abi_store_u8(base, at, (uint8_t)a->family);
  abi_store_u16(base, at + 4, a->port);
  if (a->family == FAMILY_IPV4) {
    for (uint32_t i = 0; i < 4; i++) abi_store_u8(base, at + 6 + i, a->v4[i]);
  } else {
    abi_store_u32(base, at + 8, a->flow_info);
    for (uint32_t i = 0; i < 8; i++) abi_store_u16(base, at + 12 + 2 * i, a->v6[i]);
    abi_store_u32(base, at + 28, a->scope_id);
  }
}

// The flattened parameters and arguments of one ip-socket-address in an import call.
#define ADDR_PARAMS                                                                         \
  int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, int32_t, \
      int32_t, int32_t
#define ADDR_ARGS(f)                                                                        \
  (f).v[0], (f).v[1], (f).v[2], (f).v[3], (f).v[4], (f).v[5], (f).v[6], (f).v[7], (f).v[8], \
      (f).v[9], (f).v[10], (f).v[11]

typedef uint32_t network;

WASI_IMPORT("wasi:sockets/instance-network@" WASI_GUEST_VERSION, "instance-network")
extern uint32_t wasi_instance_network_raw(void);
WASI_IMPORT(NETWORK_MODULE, "[resource-drop]network")
extern void wasi_network_drop_raw(uint32_t self);

WASI_IMPORT(NETWORK_MODULE, "network-error-code")
extern void wasi_network_error_code_raw(uint32_t error, void* ret);

static inline network instance_network(void) { return wasi_instance_network_raw(); }

// network-error-code(borrow<error>) -> option<error-code>: NET_OK when the error carries none.
static inline net_status network_error_code(uint32_t error) {
  abi_ret_area ret;
  wasi_network_error_code_raw(error, ret.bytes);
  return abi_load_u8(ret.bytes, 0) == 0 ? NET_OK : (net_status)abi_load_u8(ret.bytes, 1);
}
static inline void network_drop(network n) { wasi_network_drop_raw(n); }

#endif
