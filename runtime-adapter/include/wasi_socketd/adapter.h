/* wasi-socketd runtime adapter: the C ABI of the guest-facing host.
 *
 * One `wsd_host` serves one WebAssembly guest instance: it owns one broker session (one connection
 * to wasi-socketd) and one resource table. Every WIT function of wasi:sockets 0.2 and of the
 * wasi:io / wasi:clocks parts that sockets hand out is one function here, named
 * `wsd_<interface>_<function>` (WIT kebab-case -> snake_case, `[method]tcp-socket.start-bind` ->
 * `wsd_tcp_start_bind`).
 *
 * Handles: every resource is a uint32_t handle in the host's table; 0 is never valid. A handle of
 * the wrong kind, an unknown handle or a dropped one is a trap. Borrowed handles stay owned by the
 * caller; handles returned through out-parameters are owned by the caller, who drops them with
 * `wsd_resource_drop`.
 *
 * Return value of every `int32_t` function:
 *   WSD_OK (0)                 success; out-parameters are set.
 *   WSD_ERR_* (1..21)          the WIT `error-code` (1 + its index in the WIT enum); nothing set.
 *   WSD_STREAM_CLOSED          wasi:io stream-error::closed.
 *   WSD_STREAM_FAILED          stream-error::last-operation-failed; `*error` receives a new
 *                              wasi:io/error handle (owned by the caller).
 *   WSD_TRAP (negative)        the guest must trap; wsd_host_trap_message() says why. After the
 *                              broker connection is lost every call traps with
 *                              "wasi-socketd: connection to broker lost" (never hangs).
 * Out-parameters are only written on WSD_OK unless stated otherwise.
 *
 * Blocking: functions marked "non-blocking" answer from local state (no broker round trip, or one
 * short local-socket round trip for control calls); functions marked "blocking" wait, without
 * spinning, for the broker's pushed state (data, acknowledgements, readiness) or a clock.
 *
 * Threading: a host is not thread-safe; call it from one thread at a time (the guest's thread).
 * The host runs one internal thread for the broker's event stream; it never calls back into the
 * caller. wsd_host_close() may be called from the guest thread once no other call is running.
 */
#ifndef WASI_SOCKETD_ADAPTER_H
#define WASI_SOCKETD_ADAPTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- results ---- */

enum {
  WSD_OK = 0,
  /* WIT wasi:sockets/network error-code, in WIT order (value = 1 + WIT index); checked case by
   * case against the one table, wasi_socketd/common/wit_error_codes.h (abi_error_code.h). */
  WSD_ERR_UNKNOWN = 1,
  WSD_ERR_ACCESS_DENIED = 2,
  WSD_ERR_NOT_SUPPORTED = 3,
  WSD_ERR_INVALID_ARGUMENT = 4,
  WSD_ERR_OUT_OF_MEMORY = 5,
  WSD_ERR_TIMEOUT = 6,
  WSD_ERR_CONCURRENCY_CONFLICT = 7,
  WSD_ERR_NOT_IN_PROGRESS = 8,
  WSD_ERR_WOULD_BLOCK = 9,
  WSD_ERR_INVALID_STATE = 10,
  WSD_ERR_NEW_SOCKET_LIMIT = 11,
  WSD_ERR_ADDRESS_NOT_BINDABLE = 12,
  WSD_ERR_ADDRESS_IN_USE = 13,
  WSD_ERR_REMOTE_UNREACHABLE = 14,
  WSD_ERR_CONNECTION_REFUSED = 15,
  WSD_ERR_CONNECTION_RESET = 16,
  WSD_ERR_CONNECTION_ABORTED = 17,
  WSD_ERR_DATAGRAM_TOO_LARGE = 18,
  WSD_ERR_NAME_UNRESOLVABLE = 19,
  WSD_ERR_TEMPORARY_RESOLVER_FAILURE = 20,
  WSD_ERR_PERMANENT_RESOLVER_FAILURE = 21,
  /* wasi:io/streams stream-error. */
  WSD_STREAM_CLOSED = 64,
  WSD_STREAM_FAILED = 65,
  /* The guest must trap. */
  WSD_TRAP = -1
};

/* ---- types ---- */

typedef struct wsd_host wsd_host;

/* WIT ip-address-family, WIT order. */
enum { WSD_IPV4 = 0, WSD_IPV6 = 1 };

/* WIT shutdown-type, WIT order. */
enum { WSD_SHUTDOWN_RECEIVE = 0, WSD_SHUTDOWN_SEND = 1, WSD_SHUTDOWN_BOTH = 2 };

/* WIT ip-address. `octets` in network byte order: 4 used for IPv4, 16 for IPv6 (the WIT's eight
 * u16 segments, each big-endian). */
typedef struct wsd_ip_address {
  uint8_t family; /* WSD_IPV4 / WSD_IPV6 */
  uint8_t octets[16];
} wsd_ip_address;

/* WIT ip-socket-address. flow_info and scope_id are IPv6 only (ignored / written 0 for IPv4). */
typedef struct wsd_ip_socket_address {
  uint8_t family; /* WSD_IPV4 / WSD_IPV6 */
  uint8_t address[16];
  uint16_t port;
  uint32_t flow_info;
  uint32_t scope_id;
} wsd_ip_socket_address;

/* WIT incoming-datagram. `data` is owned by the host and valid until the next call on the same
 * host. */
typedef struct wsd_incoming_datagram {
  const uint8_t* data;
  size_t len;
  wsd_ip_socket_address remote_address;
} wsd_incoming_datagram;

/* WIT outgoing-datagram. `data` is borrowed for the duration of the call. */
typedef struct wsd_outgoing_datagram {
  const uint8_t* data;
  size_t len;
  bool has_remote_address; /* option<ip-socket-address> */
  wsd_ip_socket_address remote_address;
} wsd_outgoing_datagram;

/* ---- host lifetime ---- */

/* Connects to the broker at `broker_path` (NULL: the default path, $WASI_SOCKETD_SOCKET or the
 * per-user default) and opens the session. Blocking (bounded by a connect timeout). On failure
 * returns NULL and writes a NUL-terminated message into `err` (if errlen > 0). */
wsd_host* wsd_host_open(const char* broker_path, char* err, size_t errlen);

/* Closes the session (the broker closes every socket of it) and frees every resource. Blocking
 * (briefly: joins the event thread). NULL is ignored. */
void wsd_host_close(wsd_host* h);

/* Why the last call returned WSD_TRAP. Owned by the host; valid until the next call. Never NULL. */
const char* wsd_host_trap_message(wsd_host* h);

/* Drops any resource handle (`[resource-drop]`). Traps for an unknown handle, and when the
 * resource still has live children: a pollable subscribed from it, or (tcp-socket) its
 * input/output streams, or (udp-socket) its datagram streams. Dropping a tcp-socket or
 * output-stream never discards bytes already written: the broker still sends them. Non-blocking. */
int32_t wsd_resource_drop(wsd_host* h, uint32_t handle);

/* ---- wasi:sockets/instance-network, network ---- */

/* instance-network(): a new network handle for the session's network. Non-blocking. */
int32_t wsd_instance_network(wsd_host* h, uint32_t* network);

/* network-error-code(borrow<error>): `*code` = WSD_ERR_* of a socket stream error, or WSD_OK (0)
 * when the error did not come from a socket. Non-blocking. */
int32_t wsd_network_error_code(wsd_host* h, uint32_t error, int32_t* code);

/* The WIT name of a WSD_ERR_* status ("access-denied"), a static string; NULL for any other
 * value. Needs no host. Non-blocking. */
const char* wsd_error_code_name(int32_t status);

/* ---- wasi:io/error ---- */

/* error.to-debug-string(): copies at most buflen-1 bytes plus a NUL into buf; `*len` = full length
 * (without NUL). Non-blocking. */
int32_t wsd_error_to_debug_string(wsd_host* h, uint32_t error, char* buf, size_t buflen,
                                  size_t* len);

/* ---- wasi:sockets/tcp-create-socket, tcp ----
 * Control calls are one round trip to the broker on the local socket, except the ones the WIT says
 * never block and that are answered from local state (is-listening, address-family, subscribe). */

/* create-tcp-socket(family): `family` is WSD_IPV4/WSD_IPV6 (anything else traps); the caller owns
 * the new socket. access-denied when the tenant may not use TCP. */
int32_t wsd_tcp_create_socket(wsd_host* h, uint8_t family, uint32_t* socket);
/* start-bind / finish-bind. `network` is borrowed (a network handle); the address is read during
 * the call. One round trip each. */
int32_t wsd_tcp_start_bind(wsd_host* h, uint32_t socket, uint32_t network,
                           const wsd_ip_socket_address* local_address);
int32_t wsd_tcp_finish_bind(wsd_host* h, uint32_t socket);
/* start-connect: the connect runs in the broker; wsd_tcp_subscribe's pollable turns ready when it
 * finished. finish-connect answers would-block until then. */
int32_t wsd_tcp_start_connect(wsd_host* h, uint32_t socket, uint32_t network,
                              const wsd_ip_socket_address* remote_address);
/* On success the caller owns the two new stream handles (children of the socket). */
int32_t wsd_tcp_finish_connect(wsd_host* h, uint32_t socket, uint32_t* input, uint32_t* output);
/* start-listen / finish-listen: one round trip each. */
int32_t wsd_tcp_start_listen(wsd_host* h, uint32_t socket);
int32_t wsd_tcp_finish_listen(wsd_host* h, uint32_t socket);
/* On success the caller owns the new socket and its two streams. Non-blocking (would-block). */
int32_t wsd_tcp_accept(wsd_host* h, uint32_t listener, uint32_t* socket, uint32_t* input,
                       uint32_t* output);
/* local-address / remote-address: one round trip; the address is written to `*address`. */
int32_t wsd_tcp_local_address(wsd_host* h, uint32_t socket, wsd_ip_socket_address* address);
int32_t wsd_tcp_remote_address(wsd_host* h, uint32_t socket, wsd_ip_socket_address* address);
/* is-listening / address-family: answered locally. Non-blocking. */
int32_t wsd_tcp_is_listening(wsd_host* h, uint32_t socket, bool* value);
int32_t wsd_tcp_address_family(wsd_host* h, uint32_t socket, uint8_t* family);
/* The option accessors: one round trip each; setters take the WIT's value types, getters write
 * them. Zero is invalid-argument where the WIT says so; large values are clamped by the broker. */
int32_t wsd_tcp_set_listen_backlog_size(wsd_host* h, uint32_t socket, uint64_t value);
int32_t wsd_tcp_keep_alive_enabled(wsd_host* h, uint32_t socket, bool* value);
int32_t wsd_tcp_set_keep_alive_enabled(wsd_host* h, uint32_t socket, bool value);
/* Durations in nanoseconds, as in the WIT. */
int32_t wsd_tcp_keep_alive_idle_time(wsd_host* h, uint32_t socket, uint64_t* ns);
int32_t wsd_tcp_set_keep_alive_idle_time(wsd_host* h, uint32_t socket, uint64_t ns);
int32_t wsd_tcp_keep_alive_interval(wsd_host* h, uint32_t socket, uint64_t* ns);
int32_t wsd_tcp_set_keep_alive_interval(wsd_host* h, uint32_t socket, uint64_t ns);
int32_t wsd_tcp_keep_alive_count(wsd_host* h, uint32_t socket, uint32_t* value);
int32_t wsd_tcp_set_keep_alive_count(wsd_host* h, uint32_t socket, uint32_t value);
int32_t wsd_tcp_hop_limit(wsd_host* h, uint32_t socket, uint8_t* value);
int32_t wsd_tcp_set_hop_limit(wsd_host* h, uint32_t socket, uint8_t value);
int32_t wsd_tcp_receive_buffer_size(wsd_host* h, uint32_t socket, uint64_t* value);
int32_t wsd_tcp_set_receive_buffer_size(wsd_host* h, uint32_t socket, uint64_t value);
int32_t wsd_tcp_send_buffer_size(wsd_host* h, uint32_t socket, uint64_t* value);
int32_t wsd_tcp_set_send_buffer_size(wsd_host* h, uint32_t socket, uint64_t value);
/* A pollable (child of the socket): ready when the pending connect finished, when an accept is
 * pending on a listener, else immediately. Non-blocking. */
int32_t wsd_tcp_subscribe(wsd_host* h, uint32_t socket, uint32_t* pollable);
/* `how`: WSD_SHUTDOWN_*. For send, every byte written before is delivered first. */
int32_t wsd_tcp_shutdown(wsd_host* h, uint32_t socket, uint8_t how);

/* ---- wasi:sockets/udp-create-socket, udp ---- */

/* create-udp-socket(family): as wsd_tcp_create_socket; access-denied without UDP. */
int32_t wsd_udp_create_socket(wsd_host* h, uint8_t family, uint32_t* socket);
/* start-bind / finish-bind, local-address / remote-address, options: one round trip each, as for
 * TCP. address-family is answered locally. */
int32_t wsd_udp_start_bind(wsd_host* h, uint32_t socket, uint32_t network,
                           const wsd_ip_socket_address* local_address);
int32_t wsd_udp_finish_bind(wsd_host* h, uint32_t socket);
/* stream(option<ip-socket-address>): `remote_address` NULL = none. Traps while the previous
 * stream pair of this socket is still alive. The caller owns the two new handles. */
int32_t wsd_udp_stream(wsd_host* h, uint32_t socket, const wsd_ip_socket_address* remote_address,
                       uint32_t* incoming, uint32_t* outgoing);
int32_t wsd_udp_local_address(wsd_host* h, uint32_t socket, wsd_ip_socket_address* address);
int32_t wsd_udp_remote_address(wsd_host* h, uint32_t socket, wsd_ip_socket_address* address);
int32_t wsd_udp_address_family(wsd_host* h, uint32_t socket, uint8_t* family);
int32_t wsd_udp_unicast_hop_limit(wsd_host* h, uint32_t socket, uint8_t* value);
int32_t wsd_udp_set_unicast_hop_limit(wsd_host* h, uint32_t socket, uint8_t value);
int32_t wsd_udp_receive_buffer_size(wsd_host* h, uint32_t socket, uint64_t* value);
int32_t wsd_udp_set_receive_buffer_size(wsd_host* h, uint32_t socket, uint64_t value);
int32_t wsd_udp_send_buffer_size(wsd_host* h, uint32_t socket, uint64_t* value);
int32_t wsd_udp_set_send_buffer_size(wsd_host* h, uint32_t socket, uint64_t value);
/* Always-ready pollable (child of the socket). Non-blocking. */
int32_t wsd_udp_subscribe(wsd_host* h, uint32_t socket, uint32_t* pollable);

/* incoming-datagram-stream.receive(max-results): up to max_results datagrams, `*datagrams` points
 * to host-owned memory valid until the next call on this host; `*count` may be 0. Non-blocking. */
int32_t wsd_incoming_datagram_stream_receive(wsd_host* h, uint32_t stream, uint64_t max_results,
                                             const wsd_incoming_datagram** datagrams,
                                             size_t* count);
/* Pollable ready when receive would return at least one datagram or an error. */
int32_t wsd_incoming_datagram_stream_subscribe(wsd_host* h, uint32_t stream, uint32_t* pollable);
/* check-send(): how many datagrams the next send may carry. Non-blocking. */
int32_t wsd_outgoing_datagram_stream_check_send(wsd_host* h, uint32_t stream, uint64_t* permit);
/* send(list<outgoing-datagram>): traps when count exceeds the last check-send permit. `*sent` is
 * how many were sent (a prefix). One broker round trip. */
int32_t wsd_outgoing_datagram_stream_send(wsd_host* h, uint32_t stream,
                                          const wsd_outgoing_datagram* datagrams, size_t count,
                                          uint64_t* sent);
/* Always-ready pollable: check-send is answered locally. */
int32_t wsd_outgoing_datagram_stream_subscribe(wsd_host* h, uint32_t stream, uint32_t* pollable);

/* ---- wasi:sockets/ip-name-lookup ---- */

/* resolve-addresses(network, name): `name` need not be NUL-terminated. One broker round trip that
 * resolves completely; the stream then answers locally. */
int32_t wsd_resolve_addresses(wsd_host* h, uint32_t network, const char* name, size_t name_len,
                              uint32_t* stream);
/* resolve-next-address(): `*has_address` false = end of stream. Non-blocking. */
int32_t wsd_resolve_next_address(wsd_host* h, uint32_t stream, wsd_ip_address* address,
                                 bool* has_address);
/* Always-ready pollable (the lookup finished in wsd_resolve_addresses). */
int32_t wsd_resolve_address_stream_subscribe(wsd_host* h, uint32_t stream, uint32_t* pollable);

/* ---- wasi:io/poll ---- */

/* pollable.ready(). Non-blocking. */
int32_t wsd_pollable_ready(wsd_host* h, uint32_t pollable, bool* ready);
/* pollable.block(): blocking until ready. */
int32_t wsd_pollable_block(wsd_host* h, uint32_t pollable);
/* poll(list<borrow<pollable>>): blocking until at least one is ready, then writes EVERY ready
 * index (into ready_indices, capacity n) and their number. Traps when n == 0. */
int32_t wsd_poll(wsd_host* h, const uint32_t* pollables, size_t n, uint32_t* ready_indices,
                 size_t* n_ready);

/* ---- wasi:clocks/monotonic-clock ---- */

/* now() in nanoseconds of CLOCK_MONOTONIC, and its resolution (1 ns). Non-blocking. */
int32_t wsd_monotonic_now(wsd_host* h, uint64_t* ns);
int32_t wsd_monotonic_resolution(wsd_host* h, uint64_t* ns);
/* A pollable ready once monotonic now() >= ns. Non-blocking. */
int32_t wsd_monotonic_subscribe_instant(wsd_host* h, uint64_t ns, uint32_t* pollable);
/* A pollable ready `ns` nanoseconds from now. Non-blocking. */
int32_t wsd_monotonic_subscribe_duration(wsd_host* h, uint64_t ns, uint32_t* pollable);

/* ---- wasi:io/streams (the TCP socket's byte streams) ----
 * Every stream function may return WSD_STREAM_CLOSED or WSD_STREAM_FAILED; with WSD_STREAM_FAILED
 * `*error` receives a new wasi:io/error handle owned by the caller (error = NULL: none is made). */

/* read(len): copies up to len bytes already delivered into buf (capacity >= len); `*n` may be 0.
 * After the peer's end of stream or own shutdown(receive): WSD_STREAM_CLOSED. Non-blocking. */
int32_t wsd_input_stream_read(wsd_host* h, uint32_t stream, uint64_t len, uint8_t* buf, uint64_t* n,
                              uint32_t* error);
/* blocking-read(len): blocking until at least one byte (or closed/failed); len 0 returns at once.
 */
int32_t wsd_input_stream_blocking_read(wsd_host* h, uint32_t stream, uint64_t len, uint8_t* buf,
                                       uint64_t* n, uint32_t* error);
/* skip(len) / blocking-skip(len): as read / blocking-read, discarding the bytes; `*n` skipped. */
int32_t wsd_input_stream_skip(wsd_host* h, uint32_t stream, uint64_t len, uint64_t* n,
                              uint32_t* error);
int32_t wsd_input_stream_blocking_skip(wsd_host* h, uint32_t stream, uint64_t len, uint64_t* n,
                                       uint32_t* error);
/* Pollable (child of the stream): ready when data, end of stream or an error is there. */
int32_t wsd_input_stream_subscribe(wsd_host* h, uint32_t stream, uint32_t* pollable);

/* check-write(): the local write permit (never more than the broker granted); 0 while a flush
 * is in progress. Non-blocking. */
int32_t wsd_output_stream_check_write(wsd_host* h, uint32_t stream, uint64_t* permit,
                                      uint32_t* error);
/* write(contents): traps when len exceeds the last check-write permit. Non-blocking. */
int32_t wsd_output_stream_write(wsd_host* h, uint32_t stream, const uint8_t* buf, uint64_t len,
                                uint32_t* error);
/* blocking-write-and-flush(contents): len <= 4096 as in the WIT, else trap. Blocking. */
int32_t wsd_output_stream_blocking_write_and_flush(wsd_host* h, uint32_t stream, const uint8_t* buf,
                                                   uint64_t len, uint32_t* error);
/* flush(): non-blocking; check-write reports 0 until every written byte is acknowledged. */
int32_t wsd_output_stream_flush(wsd_host* h, uint32_t stream, uint32_t* error);
/* blocking-flush(): blocking until every written byte reached the broker's kernel socket. */
int32_t wsd_output_stream_blocking_flush(wsd_host* h, uint32_t stream, uint32_t* error);
/* write-zeroes(len): as write with len zero bytes (traps beyond the permit). Non-blocking.
 * blocking-write-zeroes-and-flush(len): as blocking-write-and-flush (len <= 4096). Blocking. */
int32_t wsd_output_stream_write_zeroes(wsd_host* h, uint32_t stream, uint64_t len, uint32_t* error);
int32_t wsd_output_stream_blocking_write_zeroes_and_flush(wsd_host* h, uint32_t stream,
                                                          uint64_t len, uint32_t* error);
/* splice(src, len): moves up to min(len, check-write) bytes already delivered to `src` (an
 * input-stream of this host); `*n` moved. Non-blocking. blocking-splice waits for permit and for
 * at least one byte of input. */
int32_t wsd_output_stream_splice(wsd_host* h, uint32_t stream, uint32_t src, uint64_t len,
                                 uint64_t* n, uint32_t* error);
int32_t wsd_output_stream_blocking_splice(wsd_host* h, uint32_t stream, uint32_t src, uint64_t len,
                                          uint64_t* n, uint32_t* error);
/* Pollable (child of the stream): ready when check-write would report > 0, or closed/failed. */
int32_t wsd_output_stream_subscribe(wsd_host* h, uint32_t stream, uint32_t* pollable);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* WASI_SOCKETD_ADAPTER_H */
