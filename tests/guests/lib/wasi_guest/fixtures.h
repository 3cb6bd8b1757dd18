// Set-up shared by conformance guests: the instance network, loopback listeners and connected
// pairs. Each helper reports its own failure through check_fail and returns false, so a case reads
//   if (!tcp_loopback_pair(f, &pair)) return;
#ifndef WASI_GUEST_FIXTURES_H
#define WASI_GUEST_FIXTURES_H

#include "check.h"
#include "tcp.h"
#include "udp.h"

// The instance network, fetched once per guest (the handle lives until exit).
static inline network test_network(void) {
  static bool have = false;
  static network net;
  if (!have) {
    net = instance_network();
    have = true;
  }
  return net;
}

#define SETUP_OK(expr)                                                              \
  do {                                                                              \
    net_status st_ = (expr);                                                        \
    if (st_ != NET_OK) {                                                            \
      check_fail(__FILE__, __LINE__, "set-up %s: %s", #expr, net_status_name(st_)); \
      return false;                                                                 \
    }                                                                               \
  } while (0)

// A loopback socket listening on an ephemeral port; *addr receives its local address.
static inline bool tcp_loopback_listener(ip_family f, tcp_socket* listener, sock_addr* addr) {
  SETUP_OK(tcp_create(f, listener));
  SETUP_OK(tcp_bind(*listener, test_network(), addr_loopback(f, 0)));
  SETUP_OK(tcp_listen(*listener));
  SETUP_OK(tcp_local_address(*listener, addr));
  return true;
}

typedef struct {
  tcp_socket listener, client, server;
  input_stream client_in, server_in;
  output_stream client_out, server_out;
} tcp_pair;

// A listener plus one connection to it over loopback, both ends with their streams.
static inline bool tcp_loopback_pair(ip_family f, tcp_pair* p) {
  sock_addr addr;
  if (!tcp_loopback_listener(f, &p->listener, &addr)) return false;
  SETUP_OK(tcp_create(f, &p->client));
  SETUP_OK(tcp_connect(p->client, test_network(), addr, &p->client_in, &p->client_out));
  SETUP_OK(tcp_accept_blocking(p->listener, &p->server, &p->server_in, &p->server_out));
  return true;
}

static inline void tcp_pair_drop(tcp_pair* p) {
  input_drop(p->client_in);
  output_drop(p->client_out);
  input_drop(p->server_in);
  output_drop(p->server_out);
  tcp_drop(p->client);
  tcp_drop(p->server);
  tcp_drop(p->listener);
}

// Writes all of `data`, honouring check-write (waits on the stream's pollable for a permit).
static inline stream_status write_all(output_stream out, const void* data, uint32_t len) {
  const uint8_t* bytes_left = (const uint8_t*)data;
  pollable p = output_subscribe(out);
  stream_status st = STREAM_OK;
  while (len > 0 && st == STREAM_OK) {
    uint64_t permit = 0;
    st = output_check_write(out, &permit);
    if (st != STREAM_OK) break;
    if (permit == 0) {
      pollable_block(p);
      continue;
    }
    uint32_t n = permit < len ? (uint32_t)permit : len;
    st = output_write(out, bytes_left, n);
    bytes_left += n;
    len -= n;
  }
  pollable_drop(p);
  return st == STREAM_OK ? output_blocking_flush(out) : st;
}

// A UDP socket bound to loopback on an ephemeral port; *addr receives its local address.
static inline bool udp_loopback_socket(ip_family f, udp_socket* s, sock_addr* addr) {
  SETUP_OK(udp_create(f, s));
  SETUP_OK(udp_bind(*s, test_network(), addr_loopback(f, 0)));
  SETUP_OK(udp_local_address(*s, addr));
  return true;
}

// Waits up to `limit_ns` for p; true when p became ready (not the timer).
static inline bool ready_within(pollable p, uint64_t limit_ns) {
  pollable ps[2] = {p, clock_subscribe_duration(limit_ns)};
  uint32_t ready[2];
  uint32_t n = poll_list(ps, 2, ready, 2);
  pollable_drop(ps[1]);
  for (uint32_t i = 0; i < n && i < 2; i++)
    if (ready[i] == 0) return true;
  return false;
}

#define WAIT_LIMIT_NS (5 * NS_PER_S)

// Sends one datagram once check-send permits it.
static inline net_status udp_send_one(outgoing_datagram_stream out, const void* data, uint32_t len,
                                      const sock_addr* remote) {
  pollable p = udp_outgoing_subscribe(out);
  uint64_t permit = 0;
  net_status st;
  while ((st = udp_check_send(out, &permit)) == NET_OK && permit == 0) pollable_block(p);
  pollable_drop(p);
  if (st != NET_OK) return st;
  out_datagram d = {data, len, remote};
  uint64_t sent = 0;
  st = udp_send(out, &d, 1, &sent);
  return st == NET_OK && sent != 1 ? ERR_UNKNOWN : st;
}

// Receives one datagram, waiting up to WAIT_LIMIT_NS; ERR_TIMEOUT when none arrived.
static inline net_status udp_receive_one(incoming_datagram_stream in, datagram* out) {
  pollable p = udp_incoming_subscribe(in);
  uint64_t deadline = clock_now_ns() + WAIT_LIMIT_NS;
  net_status st;
  for (;;) {
    datagram* list = NULL;
    uint32_t count = 0;
    st = udp_receive(in, 1, &list, &count);
    if (st == NET_OK && count == 1) {
      *out = list[0];
      free(list);
      break;
    }
    if (st == NET_OK) datagrams_free(list, count);
    uint64_t now = clock_now_ns();
    if (st != NET_OK) break;
    if (now >= deadline || !ready_within(p, deadline - now)) {
      st = ERR_TIMEOUT;
      break;
    }
  }
  pollable_drop(p);
  return st;
}

// A UDP socket bound to loopback with the streams of stream(remote); either stream pointer may
// be NULL (that stream is dropped at once).
static inline bool udp_connected_loopback(ip_family f, const sock_addr* remote, udp_socket* s,
                                          incoming_datagram_stream* in,
                                          outgoing_datagram_stream* out) {
  sock_addr local;
  if (!udp_loopback_socket(f, s, &local)) return false;
  SETUP_OK(udp_stream(*s, remote, in, out));
  return true;
}

// Sends `count` datagrams in one send once the stream's pollable is ready (would-block when
// check-send then permits fewer); *sent receives what send returned.
static inline net_status udp_send_batch(outgoing_datagram_stream out, const out_datagram* list,
                                        uint32_t count, uint64_t* sent) {
  pollable p = udp_outgoing_subscribe(out);
  pollable_block(p);
  pollable_drop(p);
  uint64_t permit = 0;
  net_status st = udp_check_send(out, &permit);
  if (st != NET_OK) return st;
  if (permit < count) return ERR_WOULD_BLOCK;
  return udp_send(out, list, count, sent);
}

#endif
