// Holds many idle TCP connections in one guest, for the scale benchmark (issue 12):
//
//   tcp_hold PORT N
//
// 1. Connects a control connection to 127.0.0.1:PORT and waits for one byte on it ("go"): the
//    benchmark measures the processes' memory before any connection exists.
// 2. Opens N more connections to the same port, up to 64 connects in flight, and prints
//    "connected=N elapsed_ns=T" (from the first start-connect to the last finish-connect).
// 3. Polls over all N+1 input streams at once. A byte arriving on a held connection is echoed back on
//    it (the benchmark times that: one wake among N idle connections); "q" on the control connection
//    ends the guest, which then drops everything.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_guest/check.h"
#include "wasi_guest/io.h"
#include "wasi_guest/tcp.h"

#define IN_FLIGHT 64

typedef struct {
  tcp_socket socket;
  input_stream in;
  output_stream out;
  pollable readable;
} connection;

static void die(const char* what, const char* why) {
  fprintf(stderr, "tcp_hold: %s: %s\n", what, why);
  exit(1);
}

// Starts a connect; the caller finishes it once the socket's pollable is ready.
static tcp_socket start(network net, uint16_t port) {
  tcp_socket socket = 0;
  net_status st = tcp_create(FAMILY_IPV4, &socket);
  if (st == NET_OK) st = tcp_start_connect(socket, net, addr_loopback(FAMILY_IPV4, port));
  if (st != NET_OK) die("connect", net_status_name(st));
  return socket;
}

static void finish(tcp_socket socket, pollable ready, connection* out) {
  net_status st;
  while ((st = tcp_finish_connect(socket, &out->in, &out->out)) == ERR_WOULD_BLOCK) {
    pollable_block(ready);
  }
  if (st != NET_OK) die("finish-connect", net_status_name(st));
  out->socket = socket;
  out->readable = input_subscribe(out->in);
}

// Connects `count` sockets with up to IN_FLIGHT connects outstanding at a time.
static void connect_all(network net, uint16_t port, connection* all, uint32_t count) {
  tcp_socket pending[IN_FLIGHT];
  pollable waits[IN_FLIGHT];
  uint32_t started = 0, done = 0;
  while (done < count) {
    uint32_t batch = 0;
    while (batch < IN_FLIGHT && started < count) {
      pending[batch] = start(net, port);
      waits[batch] = tcp_subscribe(pending[batch]);
      batch++;
      started++;
    }
    for (uint32_t i = 0; i < batch; i++) {
      finish(pending[i], waits[i], &all[done++]);
      pollable_drop(waits[i]);
    }
  }
}

// Reads what arrived on `c` and echoes it; returns true when it was the control's "q".
static bool serve(connection* c, bool control) {
  bytes data = {0};
  stream_status st = input_read(c->in, 64, &data);
  if (st != STREAM_OK) die("read", stream_status_name(st));
  bool quit = control && data.len > 0 && data.data[0] == 'q';
  if (!control && data.len > 0) {
    uint64_t permit = 0;
    if (output_check_write(c->out, &permit) != STREAM_OK || permit < data.len) {
      die("echo", "no write permit for a few bytes on an idle connection");
    }
    if (output_write(c->out, data.data, (uint32_t)data.len) != STREAM_OK) die("echo", "write");
    output_flush(c->out);
  }
  bytes_free(&data);
  return quit;
}

int main(int argc, char** argv) {
  check_init();
  if (argc != 3) {
    fprintf(stderr, "usage: tcp_hold PORT N\n");
    return 2;
  }
  const uint16_t port = (uint16_t)strtoul(argv[1], NULL, 10);
  const uint32_t count = (uint32_t)strtoul(argv[2], NULL, 10);
  network net = instance_network();

  connection* all = calloc(count + 1, sizeof(connection));  // [0] is the control connection
  connect_all(net, port, all, 1);
  bytes go = {0};
  if (input_blocking_read(all[0].in, 1, &go) != STREAM_OK) die("control", "closed before go");
  bytes_free(&go);

  const uint64_t begin = clock_now_ns();
  connect_all(net, port, all + 1, count);
  printf("connected=%u elapsed_ns=%llu\n", count, (unsigned long long)(clock_now_ns() - begin));
  fflush(stdout);

  pollable* watched = malloc((count + 1) * sizeof(pollable));
  uint32_t* ready = malloc((count + 1) * sizeof(uint32_t));
  for (uint32_t i = 0; i <= count; i++) watched[i] = all[i].readable;
  bool quit = false;
  while (!quit) {
    uint32_t n = poll_list(watched, count + 1, ready, count + 1);
    for (uint32_t i = 0; i < n && i <= count; i++) {
      quit = serve(&all[ready[i]], ready[i] == 0) || quit;
    }
  }

  for (uint32_t i = 0; i <= count; i++) {
    pollable_drop(all[i].readable);
    input_drop(all[i].in);
    output_drop(all[i].out);
    tcp_drop(all[i].socket);
  }
  network_drop(net);
  free(watched);
  free(ready);
  free(all);
  return 0;
}
