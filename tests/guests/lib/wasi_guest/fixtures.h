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

#endif
