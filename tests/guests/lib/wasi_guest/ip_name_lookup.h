// wasi:sockets/ip-name-lookup: resolve-addresses and its address stream.
#ifndef WASI_GUEST_IP_NAME_LOOKUP_H
#define WASI_GUEST_IP_NAME_LOOKUP_H

#include <string.h>

#include "io.h"
#include "network.h"

#define LOOKUP_MODULE "wasi:sockets/ip-name-lookup@" WASI_GUEST_VERSION

typedef uint32_t resolve_address_stream;

WASI_IMPORT(LOOKUP_MODULE, "resolve-addresses")
extern void wasi_resolve_addresses_raw(uint32_t, const char*, uint32_t, void*);
WASI_IMPORT(LOOKUP_MODULE, "[method]resolve-address-stream.resolve-next-address")
extern void wasi_resolve_next_address_raw(uint32_t, void*);
WASI_IMPORT(LOOKUP_MODULE, "[method]resolve-address-stream.subscribe")
extern uint32_t wasi_resolve_subscribe_raw(uint32_t);
WASI_IMPORT(LOOKUP_MODULE, "[resource-drop]resolve-address-stream")
extern void wasi_resolve_drop_raw(uint32_t);

static inline net_status resolve_addresses(network n, const char* name,
                                           resolve_address_stream* out) {
  abi_ret_area ret;
  wasi_resolve_addresses_raw(n, name, (uint32_t)strlen(name), ret.bytes);
  net_status st = net_status_at(ret.bytes, 4);
  if (st == NET_OK) *out = abi_load_u32(ret.bytes, 4);
  return st;
}

// result<option<ip-address>, error-code>: tag @0, option tag @2, ip-address tag @4, payload @6.
// On NET_OK, *has_address says whether the stream produced one (false = exhausted).
static inline net_status resolve_next_address(resolve_address_stream s, bool* has_address,
                                              sock_addr* out) {
  abi_ret_area ret;
  wasi_resolve_next_address_raw(s, ret.bytes);
  net_status st = net_status_at(ret.bytes, 2);
  if (st != NET_OK) return st;
  *has_address = abi_load_u8(ret.bytes, 2) == 1;
  if (*has_address) {
    memset(out, 0, sizeof *out);
    out->family = (ip_family)abi_load_u8(ret.bytes, 4);
    if (out->family == FAMILY_IPV4) {
      for (uint32_t i = 0; i < 4; i++) out->v4[i] = abi_load_u8(ret.bytes, 6 + i);
    } else {
      for (uint32_t i = 0; i < 8; i++) out->v6[i] = abi_load_u16(ret.bytes, 6 + 2 * i);
    }
  }
  return NET_OK;
}
static inline pollable resolve_subscribe(resolve_address_stream s) {
  return wasi_resolve_subscribe_raw(s);
}
static inline void resolve_drop(resolve_address_stream s) { wasi_resolve_drop_raw(s); }

// Resolves `name` completely, waiting on the stream's pollable. Stores up to `cap` addresses.
static inline net_status resolve_all(network n, const char* name, sock_addr* out, uint32_t cap,
                                     uint32_t* count) {
  resolve_address_stream s;
  net_status st = resolve_addresses(n, name, &s);
  if (st != NET_OK) return st;
  pollable p = resolve_subscribe(s);
  *count = 0;
  for (;;) {
    bool has = false;
    sock_addr a;
    st = resolve_next_address(s, &has, &a);
    if (st == ERR_WOULD_BLOCK) {
      pollable_block(p);
      continue;
    }
    if (st != NET_OK || !has) break;
    if (*count < cap) out[(*count)++] = a;
  }
  pollable_drop(p);
  resolve_drop(s);
  return st;
}

#endif
