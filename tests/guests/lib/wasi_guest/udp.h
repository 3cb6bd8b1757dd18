// wasi:sockets/udp and udp-create-socket: typed wrappers over the canonical-ABI imports.
#ifndef WASI_GUEST_UDP_H
#define WASI_GUEST_UDP_H

#include "io.h"
#include "network.h"

#define UDP_MODULE "wasi:sockets/udp@" WASI_GUEST_VERSION
#define UDP_METHOD(name) WASI_IMPORT(UDP_MODULE, "[method]udp-socket." name)

typedef uint32_t udp_socket;
typedef uint32_t incoming_datagram_stream;
typedef uint32_t outgoing_datagram_stream;

WASI_IMPORT("wasi:sockets/udp-create-socket@" WASI_GUEST_VERSION, "create-udp-socket")
extern void wasi_create_udp_socket_raw(int32_t, void*);
UDP_METHOD("start-bind")
extern void wasi_udp_start_bind_raw(uint32_t, uint32_t, ADDR_PARAMS, void*);
UDP_METHOD("finish-bind") extern void wasi_udp_finish_bind_raw(uint32_t, void*);
UDP_METHOD("stream") extern void wasi_udp_stream_raw(uint32_t, int32_t, ADDR_PARAMS, void*);
UDP_METHOD("local-address") extern void wasi_udp_local_address_raw(uint32_t, void*);
UDP_METHOD("remote-address") extern void wasi_udp_remote_address_raw(uint32_t, void*);
UDP_METHOD("address-family") extern int32_t wasi_udp_address_family_raw(uint32_t);
UDP_METHOD("unicast-hop-limit") extern void wasi_udp_unicast_hop_limit_raw(uint32_t, void*);
UDP_METHOD("set-unicast-hop-limit")
extern void wasi_udp_set_unicast_hop_limit_raw(uint32_t, int32_t, void*);
UDP_METHOD("receive-buffer-size") extern void wasi_udp_receive_buffer_size_raw(uint32_t, void*);
UDP_METHOD("set-receive-buffer-size")
extern void wasi_udp_set_receive_buffer_size_raw(uint32_t, int64_t, void*);
UDP_METHOD("send-buffer-size") extern void wasi_udp_send_buffer_size_raw(uint32_t, void*);
UDP_METHOD("set-send-buffer-size")
extern void wasi_udp_set_send_buffer_size_raw(uint32_t, int64_t, void*);
UDP_METHOD("subscribe") extern uint32_t wasi_udp_subscribe_raw(uint32_t);
WASI_IMPORT(UDP_MODULE, "[resource-drop]udp-socket") extern void wasi_udp_drop_raw(uint32_t);
WASI_IMPORT(UDP_MODULE, "[method]incoming-datagram-stream.receive")
extern void wasi_udp_receive_raw(uint32_t, int64_t, void*);
WASI_IMPORT(UDP_MODULE, "[method]incoming-datagram-stream.subscribe")
extern uint32_t wasi_udp_incoming_subscribe_raw(uint32_t);
WASI_IMPORT(UDP_MODULE, "[resource-drop]incoming-datagram-stream")
extern void wasi_udp_incoming_drop_raw(uint32_t);
WASI_IMPORT(UDP_MODULE, "[method]outgoing-datagram-stream.check-send")
extern void wasi_udp_check_send_raw(uint32_t, void*);
WASI_IMPORT(UDP_MODULE, "[method]outgoing-datagram-stream.send")
extern void wasi_udp_send_raw(uint32_t, const void*, uint32_t, void*);
WASI_IMPORT(UDP_MODULE, "[method]outgoing-datagram-stream.subscribe")
extern uint32_t wasi_udp_outgoing_subscribe_raw(uint32_t);
WASI_IMPORT(UDP_MODULE, "[resource-drop]outgoing-datagram-stream")
extern void wasi_udp_outgoing_drop_raw(uint32_t);

static inline net_status udp_create(ip_family f, udp_socket* out) {
  abi_ret_area ret;
  wasi_create_udp_socket_raw((int32_t)f, ret.bytes);
  net_status s = net_status_at(ret.bytes, 4);
  if (s == NET_OK) *out = abi_load_u32(ret.bytes, 4);
  return s;
}
static inline net_status udp_start_bind(udp_socket s, network n, sock_addr a) {
  addr_flat f = addr_flatten(&a);
  ABI_UNIT_CALL(wasi_udp_start_bind_raw, s, n, ADDR_ARGS(f));
}
static inline net_status udp_finish_bind(udp_socket s) {
  ABI_UNIT_CALL(wasi_udp_finish_bind_raw, s);
}
static inline net_status udp_bind(udp_socket s, network n, sock_addr a) {
  net_status st = udp_start_bind(s, n, a);
  if (st != NET_OK) return st;
  pollable p = wasi_udp_subscribe_raw(s);
  while ((st = udp_finish_bind(s)) == ERR_WOULD_BLOCK) pollable_block(p);
  pollable_drop(p);
  return st;
}
// stream(option<ip-socket-address>): `remote` NULL means none. Stream out-parameters may be NULL
// (the stream is then dropped at once).
static inline net_status udp_stream(udp_socket s, const sock_addr* remote,
                                    incoming_datagram_stream* in, outgoing_datagram_stream* out) {
  addr_flat f = {{0}};
  if (remote) f = addr_flatten(remote);
  abi_ret_area ret;
  wasi_udp_stream_raw(s, remote ? 1 : 0, ADDR_ARGS(f), ret.bytes);
  net_status st = net_status_at(ret.bytes, 4);
  if (st != NET_OK) return st;
  uint32_t i = abi_load_u32(ret.bytes, 4), o = abi_load_u32(ret.bytes, 8);
  if (in)
    *in = i;
  else
    wasi_udp_incoming_drop_raw(i);
  if (out)
    *out = o;
  else
    wasi_udp_outgoing_drop_raw(o);
  return NET_OK;
}
static inline net_status udp_local_address(udp_socket s, sock_addr* out) {
  abi_ret_area ret;
  wasi_udp_local_address_raw(s, ret.bytes);
  return address_result(&ret, out);
}
static inline net_status udp_remote_address(udp_socket s, sock_addr* out) {
  abi_ret_area ret;
  wasi_udp_remote_address_raw(s, ret.bytes);
  return address_result(&ret, out);
}
static inline ip_family udp_address_family(udp_socket s) {
  return (ip_family)wasi_udp_address_family_raw(s);
}
ABI_GETTER(udp_unicast_hop_limit, wasi_udp_unicast_hop_limit_raw, uint8_t, 1, abi_load_u8)
ABI_GETTER(udp_receive_buffer_size, wasi_udp_receive_buffer_size_raw, uint64_t, 8, abi_load_u64)
ABI_GETTER(udp_send_buffer_size, wasi_udp_send_buffer_size_raw, uint64_t, 8, abi_load_u64)
static inline net_status udp_set_unicast_hop_limit(udp_socket s, uint8_t v) {
  ABI_UNIT_CALL(wasi_udp_set_unicast_hop_limit_raw, s, v);
}
static inline net_status udp_set_receive_buffer_size(udp_socket s, uint64_t v) {
  ABI_UNIT_CALL(wasi_udp_set_receive_buffer_size_raw, s, (int64_t)v);
}
static inline net_status udp_set_send_buffer_size(udp_socket s, uint64_t v) {
  ABI_UNIT_CALL(wasi_udp_set_send_buffer_size_raw, s, (int64_t)v);
}
static inline pollable udp_subscribe(udp_socket s) { return wasi_udp_subscribe_raw(s); }
static inline void udp_drop(udp_socket s) { wasi_udp_drop_raw(s); }

// A received datagram; `data` is host-allocated, release with datagrams_free.
typedef struct {
  bytes data;
  sock_addr remote;
} datagram;

// receive(max) -> list<incoming-datagram>. On NET_OK *list is malloc'ed (free with datagrams_free).
static inline net_status udp_receive(incoming_datagram_stream s, uint64_t max, datagram** list,
                                     uint32_t* count) {
  abi_ret_area ret;
  wasi_udp_receive_raw(s, (int64_t)max, ret.bytes);
  net_status st = net_status_at(ret.bytes, 4);
  if (st != NET_OK) return st;
  const uint8_t* raw = (const uint8_t*)(uintptr_t)abi_load_u32(ret.bytes, 4);
  *count = abi_load_u32(ret.bytes, 8);
  *list = calloc(*count ? *count : 1, sizeof(datagram));
  for (uint32_t i = 0; i < *count;
       i++) {  // incoming-datagram: data @0 (ptr,len), remote @8; 40 bytes
    const uint8_t* d = raw + 40 * i;
    (*list)[i].data.data = (uint8_t*)(uintptr_t)abi_load_u32(d, 0);
    (*list)[i].data.len = abi_load_u32(d, 4);
    (*list)[i].remote = addr_load(d, 8);
  }
  free((void*)raw);
  return NET_OK;
}
static inline void datagrams_free(datagram* list, uint32_t count) {
  for (uint32_t i = 0; i < count; i++) bytes_free(&list[i].data);
  free(list);
}
static inline pollable udp_incoming_subscribe(incoming_datagram_stream s) {
  return wasi_udp_incoming_subscribe_raw(s);
}
static inline void udp_incoming_drop(incoming_datagram_stream s) { wasi_udp_incoming_drop_raw(s); }

static inline net_status udp_check_send(outgoing_datagram_stream s, uint64_t* permit) {
  abi_ret_area ret;
  wasi_udp_check_send_raw(s, ret.bytes);
  net_status st = net_status_at(ret.bytes, 8);
  if (st == NET_OK) *permit = abi_load_u64(ret.bytes, 8);
  return st;
}
// An outgoing datagram; `remote` NULL means none.
typedef struct {
  const void* data;
  uint32_t len;
  const sock_addr* remote;
} out_datagram;

static inline net_status udp_send(outgoing_datagram_stream s, const out_datagram* list,
                                  uint32_t count, uint64_t* sent) {
  // outgoing-datagram: data @0 (ptr,len), option tag @8, ip-socket-address @12; 44 bytes, align 4.
  uint8_t* raw = calloc(count ? count : 1, 44);
  for (uint32_t i = 0; i < count; i++) {
    uint8_t* d = raw + 44 * i;
    abi_store_u32(d, 0, (uint32_t)(uintptr_t)list[i].data);
    abi_store_u32(d, 4, list[i].len);
    abi_store_u8(d, 8, list[i].remote ? 1 : 0);
    if (list[i].remote) addr_store(d, 12, list[i].remote);
  }
  abi_ret_area ret;
  wasi_udp_send_raw(s, raw, count, ret.bytes);
  free(raw);
  net_status st = net_status_at(ret.bytes, 8);
  if (st == NET_OK && sent) *sent = abi_load_u64(ret.bytes, 8);
  return st;
}
static inline pollable udp_outgoing_subscribe(outgoing_datagram_stream s) {
  return wasi_udp_outgoing_subscribe_raw(s);
}
static inline void udp_outgoing_drop(outgoing_datagram_stream s) { wasi_udp_outgoing_drop_raw(s); }

#endif
