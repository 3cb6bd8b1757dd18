// wasi-socketd:sockets-ext from a guest, built against the package's C header. One argument says
// what the host should answer:
//   granted      the broker under policies/sockets-ext-granted.toml: every call works, with its
//                effect checked where a guest can see it (a dual-stack listener, a multicast
//                datagram received by a second socket, bytes-available after a peer's write)
//   denied       the broker under the conformance policy (no [tenant.extensions]): access-denied
//   unsupported  wasi-socket-run --no-broker: not-supported
//   hold PORT    connects to 127.0.0.1:PORT, turns no-delay off, cork on and the traffic class to
//                0x20, prints "options set" and waits for stdin to end, so that a test can read
//                the options on the daemon's socket from outside (tests/runtime-adapter/runner)
#include <stdlib.h>
#include <string.h>

#include "wasi_guest/fixtures.h"
#include "wasi_socketd/sockets_ext.h"

#define EXT(expr) ((net_status)(expr))

static net_status expected_refusal;  // denied / unsupported: what every call answers

static sockets_ext_group group_of(ip_family f, uint8_t last) {
  sockets_ext_group g = {.ipv6 = f == FAMILY_IPV6};
  if (f == FAMILY_IPV4) {
    g.v4[0] = 239, g.v4[1] = 255, g.v4[2] = 77, g.v4[3] = last;
  } else {
    g.v6[0] = 0xff05, g.v6[6] = 0x77, g.v6[7] = last;  // ff05::77:LAST
  }
  return g;
}

static sock_addr group_address(ip_family f, uint8_t last, uint16_t port) {
  const sockets_ext_group g = group_of(f, last);
  return f == FAMILY_IPV4 ? addr_v4(g.v4[0], g.v4[1], g.v4[2], g.v4[3], port)
                          : addr_v6(g.v6[0], 0, 0, 0, 0, 0, g.v6[6], g.v6[7], port);
}

// ---- granted ----

static void tcp_options(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  bool flag = false;
  EXPECT_OK(EXT(sockets_ext_tcp_no_delay(p.client, &flag)));
  EXPECT_TRUE(flag, "a connected broker socket starts with no-delay");
  EXPECT_OK(EXT(sockets_ext_tcp_set_no_delay(p.client, false)));
  EXPECT_OK(EXT(sockets_ext_tcp_no_delay(p.client, &flag)));
  EXPECT_TRUE(!flag, "no-delay still set");
  EXPECT_OK(EXT(sockets_ext_tcp_set_cork(p.client, true)));
  EXPECT_OK(EXT(sockets_ext_tcp_cork(p.client, &flag)));
  EXPECT_TRUE(flag, "cork not set");
  EXPECT_OK(EXT(sockets_ext_tcp_set_cork(p.client, false)));
  uint8_t tclass = 0;
  EXPECT_OK(EXT(sockets_ext_tcp_set_traffic_class(p.client, 0x20)));
  EXPECT_OK(EXT(sockets_ext_tcp_traffic_class(p.client, &tclass)));
  EXPECT_TRUE(tclass == 0x20, "traffic-class %u", tclass);
  bool present = true;
  uint64_t ns = 1;
  EXPECT_OK(EXT(sockets_ext_tcp_linger(p.client, &present, &ns)));
  EXPECT_TRUE(!present, "linger starts as none");
  EXPECT_OK(EXT(sockets_ext_tcp_set_linger(p.client, true, 0)));
  EXPECT_OK(EXT(sockets_ext_tcp_linger(p.client, &present, &ns)));
  EXPECT_TRUE(present && ns == 0, "linger is not some(0)");
  EXPECT_OK(EXT(sockets_ext_tcp_set_linger(p.client, true, NS_PER_S / 2)));
  EXPECT_OK(EXT(sockets_ext_tcp_linger(p.client, &present, &ns)));
  EXPECT_TRUE(present && ns == NS_PER_S, "linger 0.5 s kept as %llu ns (not whole seconds)",
              (unsigned long long)ns);
  EXPECT_OK(EXT(sockets_ext_tcp_set_linger(p.client, false, 0)));
  EXPECT_NET(EXT(sockets_ext_tcp_set_ipv6_only(p.client, false)),
             f == FAMILY_IPV4 ? ERR_NOT_SUPPORTED : ERR_INVALID_STATE);
  tcp_pair_drop(&p);
}

// A positive linger: the client writes and drops; its peer still gets every byte, then the end
// of the stream (a graceful close, not a reset), and the drop itself does not wait.
static void tcp_linger_drop(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  EXPECT_OK(EXT(sockets_ext_tcp_set_linger(p.client, true, 2 * NS_PER_S)));
  static char sent[64 * 1024];
  for (uint32_t i = 0; i < sizeof sent; ++i) sent[i] = (char)('a' + i % 23);
  EXPECT_STREAM(write_all(p.client_out, sent, sizeof sent), STREAM_OK);
  input_drop(p.client_in);
  output_drop(p.client_out);
  tcp_drop(p.client);
  uint32_t received = 0;
  bool same = true;
  stream_status st = STREAM_OK;
  while (st == STREAM_OK) {
    bytes got = {0};
    st = input_blocking_read(p.server_in, 16384, &got);
    for (uint32_t i = 0; i < got.len; ++i) {
      same = same && received + i < sizeof sent && got.data[i] == (uint8_t)sent[received + i];
    }
    received += got.len;
    bytes_free(&got);
  }
  EXPECT_STREAM(st, STREAM_CLOSED);
  EXPECT_TRUE(received == sizeof sent && same, "the peer got %u of %u bytes%s", received,
              (unsigned)sizeof sent, same ? "" : ", changed");
  input_drop(p.server_in);
  output_drop(p.server_out);
  tcp_drop(p.server);
  tcp_drop(p.listener);
}

static void tcp_bytes_available(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  uint64_t available = 99;
  EXPECT_OK(EXT(sockets_ext_tcp_bytes_available(p.server, &available)));
  EXPECT_TRUE(available == 0, "bytes-available %llu before any write",
              (unsigned long long)available);
  EXPECT_STREAM(write_all(p.client_out, "hello", 5), STREAM_OK);
  pollable readable = input_subscribe(p.server_in);
  EXPECT_TRUE(ready_within(readable, WAIT_LIMIT_NS), "the peer's bytes never arrived");
  pollable_drop(readable);
  EXPECT_OK(EXT(sockets_ext_tcp_bytes_available(p.server, &available)));
  EXPECT_TRUE(available == 5, "bytes-available %llu after a 5-byte write",
              (unsigned long long)available);
  bytes got = {0};
  EXPECT_STREAM(input_blocking_read(p.server_in, 5, &got), STREAM_OK);
  bytes_free(&got);
  EXPECT_OK(EXT(sockets_ext_tcp_bytes_available(p.server, &available)));
  EXPECT_TRUE(available == 0, "bytes-available %llu after reading", (unsigned long long)available);
  tcp_pair_drop(&p);
}

// ipv6-only = false before bind: an IPv4 client reaches the IPv6 wildcard listener.
static void tcp_dual_stack_listener(ip_family f) {
  tcp_socket listener;
  EXPECT_OK(tcp_create(FAMILY_IPV6, &listener));
  bool flag = false;
  EXPECT_OK(EXT(sockets_ext_tcp_ipv6_only(listener, &flag)));
  EXPECT_TRUE(flag, "an IPv6 socket starts ipv6-only (0.2's fixed value)");
  EXPECT_OK(EXT(sockets_ext_tcp_set_ipv6_only(listener, false)));
  EXPECT_OK(tcp_bind(listener, test_network(), addr_unspecified(FAMILY_IPV6, 0)));
  EXPECT_NET(EXT(sockets_ext_tcp_set_ipv6_only(listener, true)), ERR_INVALID_STATE);
  EXPECT_OK(tcp_listen(listener));
  sock_addr local;
  EXPECT_OK(tcp_local_address(listener, &local));
  tcp_socket client;
  input_stream in;
  output_stream out;
  EXPECT_OK(tcp_create(f, &client));
  EXPECT_OK(tcp_connect(client, test_network(), addr_loopback(f, local.port), &in, &out));
  input_drop(in);
  output_drop(out);
  tcp_drop(client);
  tcp_drop(listener);
  tcp_socket v4;
  EXPECT_OK(tcp_create(FAMILY_IPV4, &v4));
  EXPECT_NET(EXT(sockets_ext_tcp_ipv6_only(v4, &flag)), ERR_NOT_SUPPORTED);
  tcp_drop(v4);
}

static void udp_options(ip_family f) {
  udp_socket s;
  EXPECT_OK(udp_create(f, &s));
  bool flag = false;
  EXPECT_OK(EXT(sockets_ext_udp_set_reuse_address(s, true)));
  EXPECT_OK(EXT(sockets_ext_udp_reuse_address(s, &flag)));
  EXPECT_TRUE(flag, "reuse-address not set");
  EXPECT_OK(EXT(sockets_ext_udp_set_reuse_port(s, true)));
  EXPECT_OK(EXT(sockets_ext_udp_reuse_port(s, &flag)));
  EXPECT_TRUE(flag, "reuse-port not set");
  EXPECT_NET(EXT(sockets_ext_udp_ipv6_only(s, &flag)),
             f == FAMILY_IPV4 ? ERR_NOT_SUPPORTED : NET_OK);
  EXPECT_OK(udp_bind(s, test_network(), addr_loopback(f, 0)));
  EXPECT_NET(EXT(sockets_ext_udp_set_reuse_port(s, false)), ERR_INVALID_STATE);
  EXPECT_NET(EXT(sockets_ext_udp_set_reuse_address(s, false)), ERR_INVALID_STATE);
  EXPECT_OK(EXT(sockets_ext_udp_set_broadcast(s, true)));
  EXPECT_OK(EXT(sockets_ext_udp_broadcast(s, &flag)));
  EXPECT_TRUE(flag, "broadcast not set");
  uint8_t value = 0;
  EXPECT_OK(EXT(sockets_ext_udp_set_traffic_class(s, 0x48)));
  EXPECT_OK(EXT(sockets_ext_udp_traffic_class(s, &value)));
  EXPECT_TRUE(value == 0x48, "traffic-class %u", value);
  EXPECT_OK(EXT(sockets_ext_udp_set_multicast_hop_limit(s, 3)));
  EXPECT_OK(EXT(sockets_ext_udp_multicast_hop_limit(s, &value)));
  EXPECT_TRUE(value == 3, "multicast-hop-limit %u", value);
  EXPECT_NET(EXT(sockets_ext_udp_set_multicast_hop_limit(s, 0)), ERR_INVALID_ARGUMENT);
  EXPECT_OK(EXT(sockets_ext_udp_multicast_loopback(s, &flag)));
  EXPECT_TRUE(flag, "multicast-loopback starts true");
  EXPECT_OK(EXT(sockets_ext_udp_set_multicast_loopback(s, false)));
  EXPECT_OK(EXT(sockets_ext_udp_multicast_loopback(s, &flag)));
  EXPECT_TRUE(!flag, "multicast-loopback still set");
  udp_drop(s);
}

static void udp_bytes_available(ip_family f) {
  udp_socket receiver, sender;
  sock_addr to;
  incoming_datagram_stream in;
  outgoing_datagram_stream out;
  if (!udp_loopback_socket(f, &receiver, &to)) return;
  EXPECT_OK(udp_stream(receiver, NULL, &in, NULL));
  uint64_t available = 99;
  EXPECT_OK(EXT(sockets_ext_udp_bytes_available(receiver, &available)));
  EXPECT_TRUE(available == 0, "bytes-available %llu with nothing waiting",
              (unsigned long long)available);
  EXPECT_OK(udp_create(f, &sender));
  EXPECT_OK(udp_bind(sender, test_network(), addr_loopback(f, 0)));
  EXPECT_OK(udp_stream(sender, NULL, NULL, &out));
  char payload[123];
  memset(payload, 'd', sizeof payload);
  EXPECT_OK(udp_send_one(out, payload, sizeof payload, &to));
  pollable p = udp_incoming_subscribe(in);
  EXPECT_TRUE(ready_within(p, WAIT_LIMIT_NS), "the datagram never arrived");
  pollable_drop(p);
  EXPECT_OK(EXT(sockets_ext_udp_bytes_available(receiver, &available)));
  EXPECT_TRUE(available == sizeof payload, "bytes-available %llu for a 123-byte datagram",
              (unsigned long long)available);
  udp_outgoing_drop(out);
  udp_incoming_drop(in);
  udp_drop(sender);
  udp_drop(receiver);
}

// A datagram sent to a joined group arrives at the member (multicast loopback); a group outside
// the grant cannot be joined; a granted group the udp.send rules do not name cannot be sent to.
static void udp_multicast(ip_family f) {
  udp_socket member, sender;
  incoming_datagram_stream in;
  outgoing_datagram_stream out;
  EXPECT_OK(udp_create(f, &member));
  EXPECT_OK(udp_bind(member, test_network(), addr_unspecified(f, 0)));
  sock_addr local;
  EXPECT_OK(udp_local_address(member, &local));
  const sockets_ext_group group = group_of(f, 7);
  EXPECT_OK(EXT(sockets_ext_udp_join_multicast_group(member, &group, 0)));
  EXPECT_NET(EXT(sockets_ext_udp_join_multicast_group(member, &group, 0)), ERR_ADDRESS_IN_USE);
  sockets_ext_group outside = group_of(f, 7);
  if (f == FAMILY_IPV4)
    outside.v4[1] = 254;  // 239.254.77.7, outside 239.255.0.0/16
  else
    outside.v6[0] = 0xff08;  // ff08::77:7, outside ff05::/16
  EXPECT_NET(EXT(sockets_ext_udp_join_multicast_group(member, &outside, 0)), ERR_ACCESS_DENIED);
  EXPECT_OK(udp_stream(member, NULL, &in, NULL));

  EXPECT_OK(udp_create(f, &sender));
  EXPECT_OK(udp_bind(sender, test_network(), addr_unspecified(f, 0)));
  EXPECT_OK(udp_stream(sender, NULL, NULL, &out));
  const sock_addr to = group_address(f, 7, local.port);
  net_status sent = udp_send_one(out, "to the group", 12, &to);
  if (sent == ERR_REMOTE_UNREACHABLE) SKIP_NOW("no multicast route on this host");
  EXPECT_OK(sent);
  datagram d;
  EXPECT_OK(udp_receive_one(in, &d));
  EXPECT_TRUE(d.data.len == 12 && memcmp(d.data.data, "to the group", 12) == 0,
              "wrong datagram from the group");
  datagrams_free(&d, 1);
  sock_addr ungranted_send = group_address(f, 8, local.port);  // in the grant, not in udp.send
  if (f == FAMILY_IPV4)
    ungranted_send.v4[2] = 88;
  else
    ungranted_send.v6[6] = 0x88;
  EXPECT_NET(udp_send_one(out, "x", 1, &ungranted_send), ERR_ACCESS_DENIED);
  EXPECT_OK(EXT(sockets_ext_udp_leave_multicast_group(member, &group, 0)));
  EXPECT_NET(EXT(sockets_ext_udp_leave_multicast_group(member, &group, 0)), ERR_INVALID_ARGUMENT);
  udp_outgoing_drop(out);
  udp_incoming_drop(in);
  udp_drop(sender);
  udp_drop(member);
}

// multicast-interface: a member joined on `lo` only hears the sender once the sender's datagrams
// leave by `lo` (the default route would take them out by another interface). Linux numbers the
// loopback interface 1 in every network namespace. IPv6 has no multicast route on `lo`, so there
// only the value is checked.
#define LOOPBACK_INTERFACE 1u
static void udp_multicast_interface(ip_family f) {
  udp_socket member, sender;
  incoming_datagram_stream in;
  outgoing_datagram_stream out;
  EXPECT_OK(udp_create(f, &sender));
  uint32_t index = 99;
  EXPECT_OK(EXT(sockets_ext_udp_multicast_interface(sender, &index)));
  EXPECT_TRUE(index == 0, "multicast-interface starts as %u, not 0", index);
  EXPECT_OK(EXT(sockets_ext_udp_set_multicast_interface(sender, LOOPBACK_INTERFACE)));
  EXPECT_OK(EXT(sockets_ext_udp_multicast_interface(sender, &index)));
  EXPECT_TRUE(index == LOOPBACK_INTERFACE, "multicast-interface reads %u", index);
  EXPECT_NET(EXT(sockets_ext_udp_set_multicast_interface(sender, 0x7fffffff)),
             ERR_INVALID_ARGUMENT);
  if (f == FAMILY_IPV6) {
    udp_drop(sender);
    return;
  }
  EXPECT_OK(udp_create(f, &member));
  EXPECT_OK(udp_bind(member, test_network(), addr_unspecified(f, 0)));
  sock_addr local;
  EXPECT_OK(udp_local_address(member, &local));
  const sockets_ext_group group = group_of(f, 9);
  EXPECT_OK(EXT(sockets_ext_udp_join_multicast_group(member, &group, LOOPBACK_INTERFACE)));
  EXPECT_OK(udp_stream(member, NULL, &in, NULL));
  EXPECT_OK(udp_bind(sender, test_network(), addr_unspecified(f, 0)));
  EXPECT_OK(udp_stream(sender, NULL, NULL, &out));
  const sock_addr to = group_address(f, 9, local.port);
  EXPECT_OK(udp_send_one(out, "by lo", 5, &to));
  datagram d;
  EXPECT_OK(udp_receive_one(in, &d));
  EXPECT_TRUE(d.data.len == 5 && memcmp(d.data.data, "by lo", 5) == 0,
              "wrong datagram from the group on lo");
  datagrams_free(&d, 1);
  udp_outgoing_drop(out);
  udp_incoming_drop(in);
  udp_drop(sender);
  udp_drop(member);
}

// ---- denied / unsupported: every function answers the same refusal ----

#define REFUSED(expr) EXPECT_NET(EXT(expr), expected_refusal)

static void every_call_refused(ip_family f) {
  tcp_socket t;
  udp_socket u;
  EXPECT_OK(tcp_create(f, &t));
  EXPECT_OK(udp_create(f, &u));
  bool flag;
  uint8_t byte;
  uint64_t n;
  REFUSED(sockets_ext_tcp_no_delay(t, &flag));
  REFUSED(sockets_ext_tcp_set_no_delay(t, true));
  REFUSED(sockets_ext_tcp_ipv6_only(t, &flag));
  REFUSED(sockets_ext_tcp_set_ipv6_only(t, false));
  REFUSED(sockets_ext_tcp_linger(t, &flag, &n));
  REFUSED(sockets_ext_tcp_set_linger(t, true, 0));
  REFUSED(sockets_ext_tcp_traffic_class(t, &byte));
  REFUSED(sockets_ext_tcp_set_traffic_class(t, 0x20));
  REFUSED(sockets_ext_tcp_cork(t, &flag));
  REFUSED(sockets_ext_tcp_set_cork(t, true));
  REFUSED(sockets_ext_tcp_bytes_available(t, &n));
  REFUSED(sockets_ext_udp_ipv6_only(u, &flag));
  REFUSED(sockets_ext_udp_set_ipv6_only(u, false));
  REFUSED(sockets_ext_udp_broadcast(u, &flag));
  REFUSED(sockets_ext_udp_set_broadcast(u, true));
  REFUSED(sockets_ext_udp_traffic_class(u, &byte));
  REFUSED(sockets_ext_udp_set_traffic_class(u, 0x20));
  REFUSED(sockets_ext_udp_reuse_address(u, &flag));
  REFUSED(sockets_ext_udp_set_reuse_address(u, true));
  REFUSED(sockets_ext_udp_reuse_port(u, &flag));
  REFUSED(sockets_ext_udp_set_reuse_port(u, true));
  const sockets_ext_group group = group_of(f, 7);
  REFUSED(sockets_ext_udp_join_multicast_group(u, &group, 0));
  REFUSED(sockets_ext_udp_leave_multicast_group(u, &group, 0));
  REFUSED(sockets_ext_udp_multicast_hop_limit(u, &byte));
  REFUSED(sockets_ext_udp_set_multicast_hop_limit(u, 3));
  REFUSED(sockets_ext_udp_multicast_loopback(u, &flag));
  REFUSED(sockets_ext_udp_set_multicast_loopback(u, false));
  REFUSED(sockets_ext_udp_bytes_available(u, &n));
  uint32_t index;
  REFUSED(sockets_ext_udp_multicast_interface(u, &index));
  REFUSED(sockets_ext_udp_set_multicast_interface(u, 1));
  udp_drop(u);
  tcp_drop(t);
}

// `hold PORT`: exit status 0 once stdin ends, 1 if a call failed.
static int hold_options(const char* port_text) {
  tcp_socket s;
  input_stream in;
  output_stream out;
  const uint16_t port = (uint16_t)atoi(port_text);
  net_status st = tcp_create(FAMILY_IPV4, &s);
  if (st == NET_OK)
    st = tcp_connect(s, test_network(), addr_loopback(FAMILY_IPV4, port), &in, &out);
  if (st == NET_OK) st = EXT(sockets_ext_tcp_set_no_delay(s, false));
  if (st == NET_OK) st = EXT(sockets_ext_tcp_set_cork(s, true));
  if (st == NET_OK) st = EXT(sockets_ext_tcp_set_traffic_class(s, 0x20));
  if (st != NET_OK) {
    printf("failed: %s\n", net_status_name(st));
    return 1;
  }
  printf("options set\n");
  while (getchar() != EOF) {
  }
  return 0;
}

int main(int argc, char** argv) {
  check_init();
  const char* mode = argc > 1 ? argv[1] : "";
  if (strcmp(mode, "hold") == 0 && argc > 2) return hold_options(argv[2]);
  if (strcmp(mode, "granted") == 0) {
    RUN_BOTH_FAMILIES("sockets_ext.tcp_options", tcp_options);
    RUN_BOTH_FAMILIES("sockets_ext.tcp_linger_drop", tcp_linger_drop);
    RUN_BOTH_FAMILIES("sockets_ext.tcp_bytes_available", tcp_bytes_available);
    RUN_BOTH_FAMILIES("sockets_ext.tcp_dual_stack_listener", tcp_dual_stack_listener);
    RUN_BOTH_FAMILIES("sockets_ext.udp_options", udp_options);
    RUN_BOTH_FAMILIES("sockets_ext.udp_bytes_available", udp_bytes_available);
    RUN_BOTH_FAMILIES("sockets_ext.udp_multicast", udp_multicast);
    RUN_BOTH_FAMILIES("sockets_ext.udp_multicast_interface", udp_multicast_interface);
  } else if (strcmp(mode, "denied") == 0 || strcmp(mode, "unsupported") == 0) {
    expected_refusal = mode[0] == 'd' ? ERR_ACCESS_DENIED : ERR_NOT_SUPPORTED;
    RUN_BOTH_FAMILIES(mode[0] == 'd' ? "sockets_ext.denied" : "sockets_ext.unsupported",
                      every_call_refused);
  } else {
    printf("usage: sockets_ext granted|denied|unsupported|hold PORT\n");
    return 2;
  }
  return check_finish();
}
