// UDP datagrams from a guest to a native receiver, for the guest benchmark (issue 11):
//
//   udp_send_peer PORT COUNT SIZE
//
// Binds to 127.0.0.1, connects its datagram streams to 127.0.0.1:PORT (stream(remote)) and sends
// COUNT datagrams of SIZE bytes, as many per send() as check-send permits (at most 64), waiting on
// the outgoing stream's pollable when it permits none. Prints "sent=N elapsed_ns=T", timed with
// wasi:clocks from the first check-send to the last send.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_guest/check.h"
#include "wasi_guest/io.h"
#include "wasi_guest/udp.h"

#define BATCH 64
#define MAX_SIZE 65507

static uint8_t payload[MAX_SIZE];

int main(int argc, char** argv) {
  check_init();
  if (argc != 4) {
    fprintf(stderr, "usage: udp_send_peer PORT COUNT SIZE\n");
    return 2;
  }
  const uint16_t port = (uint16_t)strtoul(argv[1], NULL, 10);
  const uint64_t count = strtoull(argv[2], NULL, 10);
  const uint32_t size = (uint32_t)strtoul(argv[3], NULL, 10);
  if (size == 0 || size > MAX_SIZE) {
    fprintf(stderr, "udp_send_peer: SIZE must be 1..%d\n", MAX_SIZE);
    return 2;
  }
  memset(payload, 'u', size);

  network net = instance_network();
  udp_socket socket;
  outgoing_datagram_stream out;
  const sock_addr to = addr_loopback(FAMILY_IPV4, port);
  net_status st = udp_create(FAMILY_IPV4, &socket);
  if (st == NET_OK) st = udp_bind(socket, net, addr_loopback(FAMILY_IPV4, 0));
  if (st == NET_OK) st = udp_stream(socket, &to, NULL, &out);
  if (st != NET_OK) {
    fprintf(stderr, "udp_send_peer: set-up: %s\n", net_status_name(st));
    return 1;
  }
  out_datagram batch[BATCH];
  for (int i = 0; i < BATCH; i++) batch[i] = (out_datagram){payload, size, NULL};
  pollable writable = udp_outgoing_subscribe(out);
  uint64_t sent = 0;
  const uint64_t start = clock_now_ns();
  while (sent < count) {
    uint64_t permit = 0;
    if ((st = udp_check_send(out, &permit)) != NET_OK) break;
    if (permit == 0) {
      pollable_block(writable);
      continue;
    }
    uint64_t n = count - sent;
    if (n > permit) n = permit;
    if (n > BATCH) n = BATCH;
    uint64_t accepted = 0;
    if ((st = udp_send(out, batch, (uint32_t)n, &accepted)) != NET_OK) break;
    sent += accepted;
  }
  const uint64_t elapsed = clock_now_ns() - start;
  if (st != NET_OK) fprintf(stderr, "udp_send_peer: send: %s\n", net_status_name(st));
  printf("sent=%llu elapsed_ns=%llu\n", (unsigned long long)sent, (unsigned long long)elapsed);
  pollable_drop(writable);
  udp_outgoing_drop(out);
  udp_drop(socket);
  network_drop(net);
  return sent == count ? 0 : 1;
}
