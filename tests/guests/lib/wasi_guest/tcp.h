// wasi:sockets/tcp and tcp-create-socket: typed wrappers over the canonical-ABI imports,
// plus blocking helpers (start + wait on the socket's pollable + finish) for test set-up.
#ifndef WASI_GUEST_TCP_H
#define WASI_GUEST_TCP_H

#include "io.h"
#include "network.h"

#define TCP_MODULE "wasi:sockets/tcp@" WASI_GUEST_VERSION
#define TCP_METHOD(name) WASI_IMPORT(TCP_MODULE, "[method]tcp-socket." name)

typedef uint32_t tcp_socket;
typedef enum { SHUTDOWN_RECEIVE = 0, SHUTDOWN_SEND = 1, SHUTDOWN_BOTH = 2 } shutdown_type;

WASI_IMPORT("wasi:sockets/tcp-create-socket@" WASI_GUEST_VERSION, "create-tcp-socket")
extern void wasi_create_tcp_socket_raw(int32_t, void*);
TCP_METHOD("start-bind")
extern void wasi_tcp_start_bind_raw(uint32_t, uint32_t, ADDR_PARAMS, void*);
TCP_METHOD("finish-bind") extern void wasi_tcp_finish_bind_raw(uint32_t, void*);
TCP_METHOD("start-connect")
extern void wasi_tcp_start_connect_raw(uint32_t, uint32_t, ADDR_PARAMS, void*);
TCP_METHOD("finish-connect") extern void wasi_tcp_finish_connect_raw(uint32_t, void*);
TCP_METHOD("start-listen") extern void wasi_tcp_start_listen_raw(uint32_t, void*);
TCP_METHOD("finish-listen") extern void wasi_tcp_finish_listen_raw(uint32_t, void*);
TCP_METHOD("accept") extern void wasi_tcp_accept_raw(uint32_t, void*);
TCP_METHOD("local-address") extern void wasi_tcp_local_address_raw(uint32_t, void*);
TCP_METHOD("remote-address") extern void wasi_tcp_remote_address_raw(uint32_t, void*);
TCP_METHOD("is-listening") extern int32_t wasi_tcp_is_listening_raw(uint32_t);
TCP_METHOD("address-family") extern int32_t wasi_tcp_address_family_raw(uint32_t);
TCP_METHOD("set-listen-backlog-size")
extern void wasi_tcp_set_listen_backlog_size_raw(uint32_t, int64_t, void*);
TCP_METHOD("keep-alive-enabled") extern void wasi_tcp_keep_alive_enabled_raw(uint32_t, void*);
TCP_METHOD("set-keep-alive-enabled")
extern void wasi_tcp_set_keep_alive_enabled_raw(uint32_t, int32_t, void*);
TCP_METHOD("keep-alive-idle-time") extern void wasi_tcp_keep_alive_idle_time_raw(uint32_t, void*);
TCP_METHOD("set-keep-alive-idle-time")
extern void wasi_tcp_set_keep_alive_idle_time_raw(uint32_t, int64_t, void*);
TCP_METHOD("keep-alive-interval") extern void wasi_tcp_keep_alive_interval_raw(uint32_t, void*);
TCP_METHOD("set-keep-alive-interval")
extern void wasi_tcp_set_keep_alive_interval_raw(uint32_t, int64_t, void*);
TCP_METHOD("keep-alive-count") extern void wasi_tcp_keep_alive_count_raw(uint32_t, void*);
TCP_METHOD("set-keep-alive-count")
extern void wasi_tcp_set_keep_alive_count_raw(uint32_t, int32_t, void*);
TCP_METHOD("hop-limit") extern void wasi_tcp_hop_limit_raw(uint32_t, void*);
TCP_METHOD("set-hop-limit") extern void wasi_tcp_set_hop_limit_raw(uint32_t, int32_t, void*);
TCP_METHOD("receive-buffer-size") extern void wasi_tcp_receive_buffer_size_raw(uint32_t, void*);
TCP_METHOD("set-receive-buffer-size")
extern void wasi_tcp_set_receive_buffer_size_raw(uint32_t, int64_t, void*);
TCP_METHOD("send-buffer-size") extern void wasi_tcp_send_buffer_size_raw(uint32_t, void*);
TCP_METHOD("set-send-buffer-size")
extern void wasi_tcp_set_send_buffer_size_raw(uint32_t, int64_t, void*);
TCP_METHOD("subscribe") extern uint32_t wasi_tcp_subscribe_raw(uint32_t);
TCP_METHOD("shutdown") extern void wasi_tcp_shutdown_raw(uint32_t, int32_t, void*);
WASI_IMPORT(TCP_MODULE, "[resource-drop]tcp-socket") extern void wasi_tcp_drop_raw(uint32_t);

static inline net_status tcp_create(ip_family f, tcp_socket* out) {
  abi_ret_area ret;
  wasi_create_tcp_socket_raw((int32_t)f, ret.bytes);
  net_status s = net_status_at(ret.bytes, 4);
  if (s == NET_OK) *out = abi_load_u32(ret.bytes, 4);
  return s;
}
static inline net_status tcp_start_bind(tcp_socket s, network n, sock_addr a) {
  addr_flat f = addr_flatten(&a);
  ABI_UNIT_CALL(wasi_tcp_start_bind_raw, s, n, ADDR_ARGS(f));
}
static inline net_status tcp_finish_bind(tcp_socket s) {
  ABI_UNIT_CALL(wasi_tcp_finish_bind_raw, s);
}
static inline net_status tcp_start_connect(tcp_socket s, network n, sock_addr a) {
  addr_flat f = addr_flatten(&a);
  ABI_UNIT_CALL(wasi_tcp_start_connect_raw, s, n, ADDR_ARGS(f));
}
// A connection's two streams, stored at `offset` of a result: handed to the caller, or dropped at
// once where the caller passed NULL.
static inline void tcp_take_streams(const abi_ret_area* ret, uint32_t offset, input_stream* in,
                                    output_stream* out) {
  uint32_t i = abi_load_u32(ret->bytes, offset), o = abi_load_u32(ret->bytes, offset + 4);
  if (in)
    *in = i;
  else
    input_drop(i);
  if (out)
    *out = o;
  else
    output_drop(o);
}
// The stream out-parameters may be NULL: the streams are then dropped at once.
static inline net_status tcp_finish_connect(tcp_socket s, input_stream* in, output_stream* out) {
  abi_ret_area ret;
  wasi_tcp_finish_connect_raw(s, ret.bytes);
  net_status st = net_status_at(ret.bytes, 4);
  if (st == NET_OK) tcp_take_streams(&ret, 4, in, out);
  return st;
}
static inline net_status tcp_start_listen(tcp_socket s) {
  ABI_UNIT_CALL(wasi_tcp_start_listen_raw, s);
}
static inline net_status tcp_finish_listen(tcp_socket s) {
  ABI_UNIT_CALL(wasi_tcp_finish_listen_raw, s);
}
static inline net_status tcp_accept(tcp_socket s, tcp_socket* client, input_stream* in,
                                    output_stream* out) {
  abi_ret_area ret;
  wasi_tcp_accept_raw(s, ret.bytes);
  net_status st = net_status_at(ret.bytes, 4);
  if (st != NET_OK) return st;
  *client = abi_load_u32(ret.bytes, 4);
  tcp_take_streams(&ret, 8, in, out);
  return NET_OK;
}
static inline net_status tcp_local_address(tcp_socket s, sock_addr* out) {
  abi_ret_area ret;
  wasi_tcp_local_address_raw(s, ret.bytes);
  return address_result(&ret, out);
}
static inline net_status tcp_remote_address(tcp_socket s, sock_addr* out) {
  abi_ret_area ret;
  wasi_tcp_remote_address_raw(s, ret.bytes);
  return address_result(&ret, out);
}
static inline bool tcp_is_listening(tcp_socket s) { return wasi_tcp_is_listening_raw(s) != 0; }
static inline ip_family tcp_address_family(tcp_socket s) {
  return (ip_family)wasi_tcp_address_family_raw(s);
}
static inline net_status tcp_set_listen_backlog_size(tcp_socket s, uint64_t v) {
  ABI_UNIT_CALL(wasi_tcp_set_listen_backlog_size_raw, s, (int64_t)v);
}

ABI_GETTER(tcp_keep_alive_enabled, wasi_tcp_keep_alive_enabled_raw, bool, 1, abi_load_u8)
ABI_GETTER(tcp_keep_alive_idle_time, wasi_tcp_keep_alive_idle_time_raw, uint64_t, 8, abi_load_u64)
ABI_GETTER(tcp_keep_alive_interval, wasi_tcp_keep_alive_interval_raw, uint64_t, 8, abi_load_u64)
ABI_GETTER(tcp_keep_alive_count, wasi_tcp_keep_alive_count_raw, uint32_t, 4, abi_load_u32)
ABI_GETTER(tcp_hop_limit, wasi_tcp_hop_limit_raw, uint8_t, 1, abi_load_u8)
ABI_GETTER(tcp_receive_buffer_size, wasi_tcp_receive_buffer_size_raw, uint64_t, 8, abi_load_u64)
ABI_GETTER(tcp_send_buffer_size, wasi_tcp_send_buffer_size_raw, uint64_t, 8, abi_load_u64)

static inline net_status tcp_set_keep_alive_enabled(tcp_socket s, bool v) {
  ABI_UNIT_CALL(wasi_tcp_set_keep_alive_enabled_raw, s, v ? 1 : 0);
}
static inline net_status tcp_set_keep_alive_idle_time(tcp_socket s, uint64_t ns) {
  ABI_UNIT_CALL(wasi_tcp_set_keep_alive_idle_time_raw, s, (int64_t)ns);
}
static inline net_status tcp_set_keep_alive_interval(tcp_socket s, uint64_t ns) {
  ABI_UNIT_CALL(wasi_tcp_set_keep_alive_interval_raw, s, (int64_t)ns);
}
static inline net_status tcp_set_keep_alive_count(tcp_socket s, uint32_t v) {
  ABI_UNIT_CALL(wasi_tcp_set_keep_alive_count_raw, s, (int32_t)v);
}
static inline net_status tcp_set_hop_limit(tcp_socket s, uint8_t v) {
  ABI_UNIT_CALL(wasi_tcp_set_hop_limit_raw, s, v);
}
static inline net_status tcp_set_receive_buffer_size(tcp_socket s, uint64_t v) {
  ABI_UNIT_CALL(wasi_tcp_set_receive_buffer_size_raw, s, (int64_t)v);
}
static inline net_status tcp_set_send_buffer_size(tcp_socket s, uint64_t v) {
  ABI_UNIT_CALL(wasi_tcp_set_send_buffer_size_raw, s, (int64_t)v);
}
static inline pollable tcp_subscribe(tcp_socket s) { return wasi_tcp_subscribe_raw(s); }
static inline net_status tcp_shutdown(tcp_socket s, shutdown_type how) {
  ABI_UNIT_CALL(wasi_tcp_shutdown_raw, s, (int32_t)how);
}
static inline void tcp_drop(tcp_socket s) { wasi_tcp_drop_raw(s); }

// Blocking helpers: start, then finish until it stops saying would-block, waiting on the socket's
// pollable in between (the pattern the WIT prescribes).
static inline net_status tcp_wait_finish(tcp_socket s, net_status (*finish)(tcp_socket)) {
  pollable p = tcp_subscribe(s);
  net_status st;
  while ((st = finish(s)) == ERR_WOULD_BLOCK) pollable_block(p);
  pollable_drop(p);
  return st;
}
static inline net_status tcp_bind(tcp_socket s, network n, sock_addr a) {
  net_status st = tcp_start_bind(s, n, a);
  return st != NET_OK ? st : tcp_wait_finish(s, tcp_finish_bind);
}
static inline net_status tcp_listen(tcp_socket s) {
  net_status st = tcp_start_listen(s);
  return st != NET_OK ? st : tcp_wait_finish(s, tcp_finish_listen);
}
static inline net_status tcp_connect(tcp_socket s, network n, sock_addr a, input_stream* in,
                                     output_stream* out) {
  net_status st = tcp_start_connect(s, n, a);
  if (st != NET_OK) return st;
  pollable p = tcp_subscribe(s);
  while ((st = tcp_finish_connect(s, in, out)) == ERR_WOULD_BLOCK) pollable_block(p);
  pollable_drop(p);
  return st;
}
static inline net_status tcp_accept_blocking(tcp_socket s, tcp_socket* client, input_stream* in,
                                             output_stream* out) {
  pollable p = tcp_subscribe(s);
  net_status st;
  while ((st = tcp_accept(s, client, in, out)) == ERR_WOULD_BLOCK) pollable_block(p);
  pollable_drop(p);
  return st;
}

#endif
