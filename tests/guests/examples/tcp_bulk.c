// Bulk TCP throughput as a WASI 0.2 guest: one guest connects to its own loopback listener and
// streams MEGABYTES through the connection, writing within the check-write permit and reading
// whatever arrived, from one poll loop. Prints "connected" once the connection is up, then the
// rate, to compare hosts:
//
//   wasi-socket-run [--broker PATH | --no-broker] tcp_bulk.wasm [MEGABYTES [CHUNK_BYTES]]
//
// Defaults: 64 MiB in writes of up to 64 KiB. Exits 1 if the bytes received differ from those sent.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_guest/check.h"
#include "wasi_guest/tcp.h"

#define READ_MAX 65536

// The byte at stream offset o is o % PERIOD: a window of `pattern` starting at o % PERIOD holds the
// next bytes, so writing and checking are plain memory operations.
#define PERIOD 251
static uint8_t* pattern;
static const uint8_t* pattern_at(uint64_t offset) { return pattern + offset % PERIOD; }

static void die(const char* what, const char* why) {
  fprintf(stderr, "tcp_bulk: %s: %s\n", what, why);
  exit(1);
}

int main(int argc, char** argv) {
  check_init();
  const uint64_t total = (argc > 1 ? strtoull(argv[1], NULL, 10) : 64) << 20;
  const uint64_t chunk = argc > 2 ? strtoull(argv[2], NULL, 10) : 65536;
  pattern = malloc((chunk > READ_MAX ? chunk : READ_MAX) + PERIOD);
  for (uint64_t i = 0; i < (chunk > READ_MAX ? chunk : READ_MAX) + PERIOD; i++)
    pattern[i] = i % PERIOD;
  network net = instance_network();

  tcp_socket listener = 0, client = 0, server = 0;
  input_stream client_in = 0, server_in = 0;
  output_stream client_out = 0, server_out = 0;
  net_status st = tcp_create(FAMILY_IPV4, &listener);
  if (st == NET_OK) st = tcp_bind(listener, net, addr_loopback(FAMILY_IPV4, 0));
  if (st == NET_OK) st = tcp_listen(listener);
  sock_addr address;
  if (st == NET_OK) st = tcp_local_address(listener, &address);
  if (st == NET_OK) st = tcp_create(FAMILY_IPV4, &client);
  if (st == NET_OK) st = tcp_connect(client, net, address, &client_in, &client_out);
  if (st == NET_OK) st = tcp_accept_blocking(listener, &server, &server_in, &server_out);
  if (st != NET_OK) die("set-up", net_status_name(st));
  // Tells a watching test that the transfer is under way (stdout is a pipe: flushed by hand).
  printf("connected: sending %llu MiB\n", (unsigned long long)(total >> 20));
  fflush(stdout);

  pollable writable = output_subscribe(client_out);
  pollable readable = input_subscribe(server_in);
  uint64_t sent = 0, received = 0;
  bool send_closed = false, intact = true;
  const uint64_t start = clock_now_ns();
  while (received < total) {
    pollable watched[2] = {readable, writable};
    uint32_t ready[2];
    poll_list(watched, send_closed ? 1 : 2, ready, 2);

    uint64_t permit = 0;
    if (!send_closed && output_check_write(client_out, &permit) != STREAM_OK)
      die("write", "closed");
    if (permit > 0) {
      uint64_t n = total - sent < chunk ? total - sent : chunk;
      if (n > permit) n = permit;
      if (output_write(client_out, pattern_at(sent), (uint32_t)n) != STREAM_OK)
        die("write", "failed");
      sent += n;
      if (sent == total) {
        output_flush(client_out);
        send_closed = true;
      }
    }
    bytes data = {0};
    stream_status rs = input_read(server_in, READ_MAX, &data);
    if (rs != STREAM_OK) die("read", stream_status_name(rs));
    intact = intact && memcmp(data.data, pattern_at(received), data.len) == 0;
    received += data.len;
    bytes_free(&data);
  }
  const double seconds = (double)(clock_now_ns() - start) / 1e9;
  printf("transferred %llu MiB in %.3f s: %.1f MiB/s%s\n", (unsigned long long)(total >> 20),
         seconds, (double)(total >> 20) / seconds, intact ? "" : " (DATA CORRUPTED)");

  pollable_drop(writable);
  pollable_drop(readable);
  input_drop(client_in);
  output_drop(client_out);
  input_drop(server_in);
  output_drop(server_out);
  tcp_drop(client);
  tcp_drop(server);
  tcp_drop(listener);
  network_drop(net);
  free(pattern);
  return intact ? 0 : 1;
}
