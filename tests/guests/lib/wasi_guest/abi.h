// Canonical-ABI plumbing shared by the typed wrappers: the import attribute and little-endian
// loads/stores at the offsets the canonical ABI lays results out at. Guests never include this
// directly; they include the per-interface headers.
#ifndef WASI_GUEST_ABI_H
#define WASI_GUEST_ABI_H

#include <stdint.h>
#include <string.h>

#define WASI_IMPORT(module, name) __attribute__((import_module(module), import_name(name)))

// The 0.2.x version of the WIT packages the guest imports (componentize.mjs --wasi-version sets
// it; a host must link guests built against any 0.2.x).
#ifndef WASI_GUEST_VERSION
#define WASI_GUEST_VERSION "0.2.12"
#endif

// A return area big and aligned enough for every result the wrappers read (largest: 44 bytes).
typedef struct {
  _Alignas(8) uint8_t bytes[64];
} abi_ret_area;

static inline uint8_t abi_load_u8(const void* base, uint32_t offset) {
  return ((const uint8_t*)base)[offset];
}
static inline uint16_t abi_load_u16(const void* base, uint32_t offset) {
  uint16_t v;
  memcpy(&v, (const uint8_t*)base + offset, sizeof v);
  return v;
}
static inline uint32_t abi_load_u32(const void* base, uint32_t offset) {
  uint32_t v;
  memcpy(&v, (const uint8_t*)base + offset, sizeof v);
  return v;
}
static inline uint64_t abi_load_u64(const void* base, uint32_t offset) {
  uint64_t v;
  memcpy(&v, (const uint8_t*)base + offset, sizeof v);
  return v;
}
static inline void abi_store_u8(void* base, uint32_t offset, uint8_t v) {
  ((uint8_t*)base)[offset] = v;
}
static inline void abi_store_u16(void* base, uint32_t offset, uint16_t v) {
  memcpy((uint8_t*)base + offset, &v, sizeof v);
}
static inline void abi_store_u32(void* base, uint32_t offset, uint32_t v) {
  memcpy((uint8_t*)base + offset, &v, sizeof v);
}

// Calls `raw` with a return area and decodes a result<_, error-code> (net_status_at, network.h).
// result<_, error-code>: tag @0, error @1.
#define ABI_UNIT_CALL(raw, ...)         \
  do {                                  \
    abi_ret_area ret;                   \
    raw(__VA_ARGS__, ret.bytes);        \
    return net_status_at(ret.bytes, 1); \
  } while (0)

// Getters shaped result<T, error-code> with the payload at T's alignment.
#define ABI_GETTER(fn, raw, type, offset, load)             \
  static inline net_status fn(uint32_t s, type* out) {      \
    abi_ret_area ret;                                       \
    raw(s, ret.bytes);                                      \
    net_status st = net_status_at(ret.bytes, offset);       \
    if (st == NET_OK) *out = (type)load(ret.bytes, offset); \
    return st;                                              \
  }

#endif
