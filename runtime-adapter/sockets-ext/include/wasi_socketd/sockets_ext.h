/* wasi-socketd:sockets-ext@0.1.0 for C guests (clang --target=wasm32-wasi): the canonical-ABI
 * imports of runtime-adapter/sockets-ext/wit/sockets-ext.wit with typed wrappers, what
 * wit-bindgen would give, in one self-contained header.
 *
 * Sockets are the guest's own wasi:sockets 0.2 handles (the i32 of a tcp-socket / udp-socket
 * resource), borrowed for the call. Every wrapper returns SOCKETS_EXT_OK or the WIT error-code's
 * case index (0 unknown, 1 access-denied, 2 not-supported, 3 invalid-argument, ..., the order of
 * wasi:sockets/network's error-code), and writes its out-parameter only on SOCKETS_EXT_OK.
 *
 * The component must be embedded with a world that imports wasi-socketd:sockets-ext/tcp-ext and/or
 * udp-ext (e.g. `include wasi-socketd:sockets-ext/sockets-ext-imports@0.1.0;`), with the package's
 * wasi:sockets version moved to the one the guest imports (tests/guests/tools/componentize.mjs
 * --wit-dep does). */
#ifndef WASI_SOCKETD_SOCKETS_EXT_H
#define WASI_SOCKETD_SOCKETS_EXT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define SOCKETS_EXT_OK (-1)

#define SOCKETS_EXT_TCP_IMPORT(name) \
  __attribute__((import_module("wasi-socketd:sockets-ext/tcp-ext@0.1.0"), import_name(name)))
#define SOCKETS_EXT_UDP_IMPORT(name) \
  __attribute__((import_module("wasi-socketd:sockets-ext/udp-ext@0.1.0"), import_name(name)))

/* ---- raw imports (the canonical ABI; results through a return area) ---- */
SOCKETS_EXT_TCP_IMPORT("no-delay") extern void sockets_ext_tcp_no_delay_raw(int32_t, void*);
SOCKETS_EXT_TCP_IMPORT("set-no-delay")
extern void sockets_ext_tcp_set_no_delay_raw(int32_t, int32_t, void*);
SOCKETS_EXT_TCP_IMPORT("ipv6-only") extern void sockets_ext_tcp_ipv6_only_raw(int32_t, void*);
SOCKETS_EXT_TCP_IMPORT("set-ipv6-only")
extern void sockets_ext_tcp_set_ipv6_only_raw(int32_t, int32_t, void*);
SOCKETS_EXT_TCP_IMPORT("linger") extern void sockets_ext_tcp_linger_raw(int32_t, void*);
SOCKETS_EXT_TCP_IMPORT("set-linger")
extern void sockets_ext_tcp_set_linger_raw(int32_t, int32_t, int64_t, void*);
SOCKETS_EXT_TCP_IMPORT("traffic-class")
extern void sockets_ext_tcp_traffic_class_raw(int32_t, void*);
SOCKETS_EXT_TCP_IMPORT("set-traffic-class")
extern void sockets_ext_tcp_set_traffic_class_raw(int32_t, int32_t, void*);
SOCKETS_EXT_TCP_IMPORT("cork") extern void sockets_ext_tcp_cork_raw(int32_t, void*);
SOCKETS_EXT_TCP_IMPORT("set-cork")
extern void sockets_ext_tcp_set_cork_raw(int32_t, int32_t, void*);
SOCKETS_EXT_TCP_IMPORT("bytes-available")
extern void sockets_ext_tcp_bytes_available_raw(int32_t, void*);

SOCKETS_EXT_UDP_IMPORT("ipv6-only") extern void sockets_ext_udp_ipv6_only_raw(int32_t, void*);
SOCKETS_EXT_UDP_IMPORT("set-ipv6-only")
extern void sockets_ext_udp_set_ipv6_only_raw(int32_t, int32_t, void*);
SOCKETS_EXT_UDP_IMPORT("broadcast") extern void sockets_ext_udp_broadcast_raw(int32_t, void*);
SOCKETS_EXT_UDP_IMPORT("set-broadcast")
extern void sockets_ext_udp_set_broadcast_raw(int32_t, int32_t, void*);
SOCKETS_EXT_UDP_IMPORT("traffic-class")
extern void sockets_ext_udp_traffic_class_raw(int32_t, void*);
SOCKETS_EXT_UDP_IMPORT("set-traffic-class")
extern void sockets_ext_udp_set_traffic_class_raw(int32_t, int32_t, void*);
SOCKETS_EXT_UDP_IMPORT("reuse-address")
extern void sockets_ext_udp_reuse_address_raw(int32_t, void*);
SOCKETS_EXT_UDP_IMPORT("set-reuse-address")
extern void sockets_ext_udp_set_reuse_address_raw(int32_t, int32_t, void*);
SOCKETS_EXT_UDP_IMPORT("reuse-port") extern void sockets_ext_udp_reuse_port_raw(int32_t, void*);
SOCKETS_EXT_UDP_IMPORT("set-reuse-port")
extern void sockets_ext_udp_set_reuse_port_raw(int32_t, int32_t, void*);
/* group: ip-address flattened (discriminant, then 8 values: 4 octets or 8 segments), then the
 * interface index. */
SOCKETS_EXT_UDP_IMPORT("join-multicast-group")
extern void sockets_ext_udp_join_multicast_group_raw(int32_t, int32_t, int32_t, int32_t, int32_t,
                                                     int32_t, int32_t, int32_t, int32_t, int32_t,
                                                     int32_t, void*);
SOCKETS_EXT_UDP_IMPORT("leave-multicast-group")
extern void sockets_ext_udp_leave_multicast_group_raw(int32_t, int32_t, int32_t, int32_t, int32_t,
                                                      int32_t, int32_t, int32_t, int32_t, int32_t,
                                                      int32_t, void*);
SOCKETS_EXT_UDP_IMPORT("multicast-hop-limit")
extern void sockets_ext_udp_multicast_hop_limit_raw(int32_t, void*);
SOCKETS_EXT_UDP_IMPORT("set-multicast-hop-limit")
extern void sockets_ext_udp_set_multicast_hop_limit_raw(int32_t, int32_t, void*);
SOCKETS_EXT_UDP_IMPORT("multicast-loopback")
extern void sockets_ext_udp_multicast_loopback_raw(int32_t, void*);
SOCKETS_EXT_UDP_IMPORT("set-multicast-loopback")
extern void sockets_ext_udp_set_multicast_loopback_raw(int32_t, int32_t, void*);
SOCKETS_EXT_UDP_IMPORT("multicast-interface")
extern void sockets_ext_udp_multicast_interface_raw(int32_t, void*);
SOCKETS_EXT_UDP_IMPORT("set-multicast-interface")
extern void sockets_ext_udp_set_multicast_interface_raw(int32_t, int32_t, void*);
SOCKETS_EXT_UDP_IMPORT("bytes-available")
extern void sockets_ext_udp_bytes_available_raw(int32_t, void*);

/* ---- return areas: result<T, error-code> is a tag byte at 0, then T or the error-code at T's
 * alignment ---- */
typedef struct {
  _Alignas(8) uint8_t bytes[24];
} sockets_ext_ret;

static inline int32_t sockets_ext_status_at(const sockets_ext_ret* ret, uint32_t offset) {
  return ret->bytes[0] == 0 ? SOCKETS_EXT_OK : (int32_t)ret->bytes[offset];
}

#define SOCKETS_EXT_SET(fn, raw, type)                    \
  static inline int32_t fn(uint32_t socket, type value) { \
    sockets_ext_ret ret;                                  \
    raw((int32_t)socket, (int32_t)value, ret.bytes);      \
    return sockets_ext_status_at(&ret, 1);                \
  }
/* bool and u8 results: the value at offset 1. */
#define SOCKETS_EXT_GET_BYTE(fn, raw, type)                  \
  static inline int32_t fn(uint32_t socket, type* out) {     \
    sockets_ext_ret ret;                                     \
    raw((int32_t)socket, ret.bytes);                         \
    int32_t status = sockets_ext_status_at(&ret, 1);         \
    if (status == SOCKETS_EXT_OK) *out = (type)ret.bytes[1]; \
    return status;                                           \
  }
/* u32 and u64 results: the value (or the error-code) at the value's alignment, 4 or 8. */
#define SOCKETS_EXT_GET_WORD(fn, raw, type)                                            \
  static inline int32_t fn(uint32_t socket, type* out) {                               \
    sockets_ext_ret ret;                                                               \
    raw((int32_t)socket, ret.bytes);                                                   \
    int32_t status = sockets_ext_status_at(&ret, sizeof(type));                        \
    if (status == SOCKETS_EXT_OK) memcpy(out, ret.bytes + sizeof(type), sizeof(type)); \
    return status;                                                                     \
  }
#define SOCKETS_EXT_GET_U32(fn, raw) SOCKETS_EXT_GET_WORD(fn, raw, uint32_t)
#define SOCKETS_EXT_GET_U64(fn, raw) SOCKETS_EXT_GET_WORD(fn, raw, uint64_t)

/* ---- tcp-ext ---- */
SOCKETS_EXT_GET_BYTE(sockets_ext_tcp_no_delay, sockets_ext_tcp_no_delay_raw, bool)
SOCKETS_EXT_SET(sockets_ext_tcp_set_no_delay, sockets_ext_tcp_set_no_delay_raw, bool)
SOCKETS_EXT_GET_BYTE(sockets_ext_tcp_ipv6_only, sockets_ext_tcp_ipv6_only_raw, bool)
SOCKETS_EXT_SET(sockets_ext_tcp_set_ipv6_only, sockets_ext_tcp_set_ipv6_only_raw, bool)
SOCKETS_EXT_GET_BYTE(sockets_ext_tcp_traffic_class, sockets_ext_tcp_traffic_class_raw, uint8_t)
SOCKETS_EXT_SET(sockets_ext_tcp_set_traffic_class, sockets_ext_tcp_set_traffic_class_raw, uint8_t)
SOCKETS_EXT_GET_BYTE(sockets_ext_tcp_cork, sockets_ext_tcp_cork_raw, bool)
SOCKETS_EXT_SET(sockets_ext_tcp_set_cork, sockets_ext_tcp_set_cork_raw, bool)
SOCKETS_EXT_GET_U64(sockets_ext_tcp_bytes_available, sockets_ext_tcp_bytes_available_raw)

/* linger: *present false is option::none; otherwise *nanoseconds holds the duration. The result
 * area: tag @0, then option<duration> @8 (its tag @8, value @16), or the error-code @8. */
static inline int32_t sockets_ext_tcp_linger(uint32_t socket, bool* present,
                                             uint64_t* nanoseconds) {
  sockets_ext_ret ret;
  sockets_ext_tcp_linger_raw((int32_t)socket, ret.bytes);
  int32_t status = sockets_ext_status_at(&ret, 8);
  if (status == SOCKETS_EXT_OK) {
    *present = ret.bytes[8] != 0;
    *nanoseconds = 0;
    if (*present) memcpy(nanoseconds, ret.bytes + 16, 8);
  }
  return status;
}
static inline int32_t sockets_ext_tcp_set_linger(uint32_t socket, bool present,
                                                 uint64_t nanoseconds) {
  sockets_ext_ret ret;
  sockets_ext_tcp_set_linger_raw((int32_t)socket, present ? 1 : 0,
                                 present ? (int64_t)nanoseconds : 0, ret.bytes);
  return sockets_ext_status_at(&ret, 1);
}

/* ---- udp-ext ---- */
SOCKETS_EXT_GET_BYTE(sockets_ext_udp_ipv6_only, sockets_ext_udp_ipv6_only_raw, bool)
SOCKETS_EXT_SET(sockets_ext_udp_set_ipv6_only, sockets_ext_udp_set_ipv6_only_raw, bool)
SOCKETS_EXT_GET_BYTE(sockets_ext_udp_broadcast, sockets_ext_udp_broadcast_raw, bool)
SOCKETS_EXT_SET(sockets_ext_udp_set_broadcast, sockets_ext_udp_set_broadcast_raw, bool)
SOCKETS_EXT_GET_BYTE(sockets_ext_udp_traffic_class, sockets_ext_udp_traffic_class_raw, uint8_t)
SOCKETS_EXT_SET(sockets_ext_udp_set_traffic_class, sockets_ext_udp_set_traffic_class_raw, uint8_t)
SOCKETS_EXT_GET_BYTE(sockets_ext_udp_reuse_address, sockets_ext_udp_reuse_address_raw, bool)
SOCKETS_EXT_SET(sockets_ext_udp_set_reuse_address, sockets_ext_udp_set_reuse_address_raw, bool)
SOCKETS_EXT_GET_BYTE(sockets_ext_udp_reuse_port, sockets_ext_udp_reuse_port_raw, bool)
SOCKETS_EXT_SET(sockets_ext_udp_set_reuse_port, sockets_ext_udp_set_reuse_port_raw, bool)
SOCKETS_EXT_GET_BYTE(sockets_ext_udp_multicast_hop_limit, sockets_ext_udp_multicast_hop_limit_raw,
                     uint8_t)
SOCKETS_EXT_SET(sockets_ext_udp_set_multicast_hop_limit,
                sockets_ext_udp_set_multicast_hop_limit_raw, uint8_t)
SOCKETS_EXT_GET_BYTE(sockets_ext_udp_multicast_loopback, sockets_ext_udp_multicast_loopback_raw,
                     bool)
SOCKETS_EXT_SET(sockets_ext_udp_set_multicast_loopback, sockets_ext_udp_set_multicast_loopback_raw,
                bool)
/* multicast-interface: an interface index, 0 for the host's routes. */
SOCKETS_EXT_GET_U32(sockets_ext_udp_multicast_interface, sockets_ext_udp_multicast_interface_raw)
SOCKETS_EXT_SET(sockets_ext_udp_set_multicast_interface,
                sockets_ext_udp_set_multicast_interface_raw, uint32_t)
SOCKETS_EXT_GET_U64(sockets_ext_udp_bytes_available, sockets_ext_udp_bytes_available_raw)

/* A multicast group: an IPv4 address (4 octets) or an IPv6 one (8 segments, host order). */
typedef struct {
  bool ipv6;
  uint8_t v4[4];
  uint16_t v6[8];
} sockets_ext_group;

static inline int32_t sockets_ext_udp_change_group(uint32_t socket, const sockets_ext_group* group,
                                                   uint32_t interface_index, bool join) {
  int32_t v[8] = {0};
  for (int i = 0; i < 8; i++) v[i] = group->ipv6 ? group->v6[i] : (i < 4 ? group->v4[i] : 0);
  sockets_ext_ret ret;
  if (join) {
    sockets_ext_udp_join_multicast_group_raw((int32_t)socket, group->ipv6 ? 1 : 0, v[0], v[1], v[2],
                                             v[3], v[4], v[5], v[6], v[7], (int32_t)interface_index,
                                             ret.bytes);
  } else {
    sockets_ext_udp_leave_multicast_group_raw((int32_t)socket, group->ipv6 ? 1 : 0, v[0], v[1],
                                              v[2], v[3], v[4], v[5], v[6], v[7],
                                              (int32_t)interface_index, ret.bytes);
  }
  return sockets_ext_status_at(&ret, 1);
}
static inline int32_t sockets_ext_udp_join_multicast_group(uint32_t socket,
                                                           const sockets_ext_group* group,
                                                           uint32_t interface_index) {
  return sockets_ext_udp_change_group(socket, group, interface_index, true);
}
static inline int32_t sockets_ext_udp_leave_multicast_group(uint32_t socket,
                                                            const sockets_ext_group* group,
                                                            uint32_t interface_index) {
  return sockets_ext_udp_change_group(socket, group, interface_index, false);
}

#endif
