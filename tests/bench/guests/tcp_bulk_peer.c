// Bulk TCP between a guest and a native loopback peer, for the guest benchmark
//
//   tcp_bulk_peer send PORT MIB [CHUNK]  connect to 127.0.0.1:PORT, write MIB MiB, flush, shut down
//   tcp_bulk_peer recv PORT MIB [CHUNK]  connect to 127.0.0.1:PORT, read until MIB MiB arrived
//
// CHUNK (default and at most 65536) is the most bytes one write or read moves.
//
// Uses the non-blocking pattern a well-behaved guest uses: subscribe, poll, check-write/read as
// much as allowed. Prints "bytes=N elapsed_ns=T", timed with wasi:clocks from the established
// connection to the last byte (send: until the final flush completed).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_guest/check.h"
#include "wasi_guest/io.h"
#include "wasi_guest/tcp.h"

#define CHUNK (64 * 1024)

static uint8_t chunk[CHUNK];
static uint64_t chunk_size = CHUNK;

static bool send_bytes(output_stream out, uint64_t total) {
  pollable writable = output_subscribe(out);
  for (uint64_t sent = 0; sent < total;) {
    uint64_t permit = 0;
    if (output_check_write(out, &permit) != STREAM_OK) return false;
    if (permit == 0) {
      pollable_block(writable);
      continue;
    }
    uint64_t n = total - sent;
    if (n > permit) n = permit;
    if (n > chunk_size) n = chunk_size;
    if (output_write(out, chunk, (uint32_t)n) != STREAM_OK) return false;
    sent += n;
  }
  pollable_drop(writable);
  return output_blocking_flush(out) == STREAM_OK;
}

static uint64_t receive_bytes(input_stream in, uint64_t total) {
  pollable readable = input_subscribe(in);
  uint64_t got = 0;
  while (got < total) {
    bytes data = {0};
    stream_status st = input_read(in, chunk_size, &data);
    if (st != STREAM_OK) break;
    if (data.len == 0) pollable_block(readable);
    got += data.len;
    bytes_free(&data);
  }
  pollable_drop(readable);
  return got;
}

int main(int argc, char** argv) {
  check_init();
  if (argc < 4 || argc > 5 || (strcmp(argv[1], "send") != 0 && strcmp(argv[1], "recv") != 0)) {
    fprintf(stderr, "usage: tcp_bulk_peer send|recv PORT MIB [CHUNK]\n");
    return 2;
  }
  if (argc == 5) chunk_size = strtoull(argv[4], NULL, 10);
  if (chunk_size == 0 || chunk_size > CHUNK) {
    fprintf(stderr, "tcp_bulk_peer: CHUNK must be 1..%d\n", CHUNK);
    return 2;
  }
  bool sending = strcmp(argv[1], "send") == 0;
  uint64_t total = (uint64_t)atoll(argv[3]) << 20;
  memset(chunk, 'x', sizeof chunk);

  network net = instance_network();
  tcp_socket socket;
  input_stream in;
  output_stream out;
  net_status st = tcp_create(FAMILY_IPV4, &socket);
  if (st == NET_OK) {
    st = tcp_connect(socket, net, addr_v4(127, 0, 0, 1, (uint16_t)atoi(argv[2])), &in, &out);
  }
  if (st != NET_OK) {
    fprintf(stderr, "tcp_bulk_peer: connect: %s\n", net_status_name(st));
    return 1;
  }
  uint64_t start = clock_now_ns();
  uint64_t moved = 0;
  if (sending) {
    if (send_bytes(out, total)) moved = total;
    tcp_shutdown(socket, SHUTDOWN_SEND);
  } else {
    moved = receive_bytes(in, total);
  }
  uint64_t elapsed = clock_now_ns() - start;
  printf("bytes=%llu elapsed_ns=%llu\n", (unsigned long long)moved, (unsigned long long)elapsed);
  input_drop(in);
  output_drop(out);
  tcp_drop(socket);
  network_drop(net);
  return moved == total ? 0 : 1;
}
