// Per-call cost of single wasi:sockets and wasi:io calls, for the guest benchmark (issue 11):
//
//   tcp_calls CALLS CONNECTS
//
// Sets up a loopback listener and one connected pair inside the guest, then times, per call:
//   control calls   local-address, set-keep-alive-enabled, set-receive-buffer-size (CALLS each,
//                   on the connected client socket), connect (start-connect to a successful
//                   finish-connect, waiting on the socket's pollable) and accept (subscribe, wait,
//                   accept, drop the pollable), CONNECTS each;
//   local calls     check-write, pollable.ready (input, nothing arrived), read with nothing
//                   buffered, subscribe+drop of an input pollable (CALLS each).
// Each op runs in ROUNDS rounds; the line "op=NAME ns=T" gives the median round's ns per call,
// timed with wasi:clocks. Between rounds (untimed) the guest makes one call that needs the
// broker (create-tcp-socket), which waits for setters still pipelined: each round starts with
// an empty pipeline, so with CALLS below the adapter's pipeline bound (1024) a round measures
// what the guest waits for, not the broker's pace for a backlog. Exits 1 if any call fails.
#include <stdio.h>
#include <stdlib.h>

#include "wasi_guest/check.h"
#include "wasi_guest/io.h"
#include "wasi_guest/tcp.h"

#define ROUNDS 5

static void die(const char* what, const char* why) {
  fprintf(stderr, "tcp_calls: %s: %s\n", what, why);
  exit(1);
}

static void must(net_status st, const char* what) {
  if (st != NET_OK) die(what, net_status_name(st));
}

static int by_value(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return x < y ? -1 : x > y;
}

// Median over ROUNDS of the ns per call a round measured.
static double median_of(double rounds[ROUNDS]) {
  qsort(rounds, ROUNDS, sizeof rounds[0], by_value);
  return rounds[ROUNDS / 2];
}

static void report(const char* op, double rounds[ROUNDS]) {
  printf("op=%s ns=%.0f\n", op, median_of(rounds));
  fflush(stdout);
}

// Times `calls` runs of STATEMENT per round (i is the call's index) and reports them as `op`.
#define TIME_OP(op, calls, STATEMENT)                                    \
  do {                                                                   \
    double rounds[ROUNDS];                                               \
    for (int r = 0; r < ROUNDS; r++) {                                   \
      drain_pipeline();                                                  \
      uint64_t start = clock_now_ns();                                   \
      for (uint32_t i = 0; i < (calls); i++) {                           \
        STATEMENT;                                                       \
      }                                                                  \
      rounds[r] = (double)(clock_now_ns() - start) / (double)(calls);    \
    }                                                                    \
    report(op, rounds);                                                  \
  } while (0)

// A call that needs the broker, so it comes after every setter pipelined before it.
static void drain_pipeline(void) {
  tcp_socket s;
  must(tcp_create(FAMILY_IPV4, &s), "create");
  tcp_drop(s);
}

typedef struct {
  tcp_socket socket;
  input_stream in;
  output_stream out;
} connection;

static void drop_connection(connection* c) {
  input_drop(c->in);
  output_drop(c->out);
  tcp_drop(c->socket);
}

// One connect and its accept, timed separately: ns_connect, ns_accept.
static void connect_and_accept(network net, tcp_socket listener, sock_addr to, double* ns_connect,
                               double* ns_accept) {
  connection client, server;
  must(tcp_create(FAMILY_IPV4, &client.socket), "create");
  uint64_t start = clock_now_ns();
  must(tcp_connect(client.socket, net, to, &client.in, &client.out), "connect");
  uint64_t connected = clock_now_ns();
  must(tcp_accept_blocking(listener, &server.socket, &server.in, &server.out), "accept");
  *ns_connect += (double)(connected - start);
  *ns_accept += (double)(clock_now_ns() - connected);
  drop_connection(&client);
  drop_connection(&server);
}

int main(int argc, char** argv) {
  check_init();
  if (argc != 3) {
    fprintf(stderr, "usage: tcp_calls CALLS CONNECTS\n");
    return 2;
  }
  const uint32_t calls = (uint32_t)strtoul(argv[1], NULL, 10);
  const uint32_t connects = (uint32_t)strtoul(argv[2], NULL, 10);
  if (calls == 0 || connects == 0) die("arguments", "CALLS and CONNECTS must be positive");

  network net = instance_network();
  tcp_socket listener;
  must(tcp_create(FAMILY_IPV4, &listener), "create listener");
  must(tcp_bind(listener, net, addr_loopback(FAMILY_IPV4, 0)), "bind");
  must(tcp_listen(listener), "listen");
  sock_addr to;
  must(tcp_local_address(listener, &to), "listener address");

  connection client, server;
  must(tcp_create(FAMILY_IPV4, &client.socket), "create");
  must(tcp_connect(client.socket, net, to, &client.in, &client.out), "connect");
  must(tcp_accept_blocking(listener, &server.socket, &server.in, &server.out), "accept");

  // Control calls: what the WIT answers without the kernel, or with one setsockopt.
  sock_addr local;
  TIME_OP("local_address", calls, must(tcp_local_address(client.socket, &local), "local-address"));
  TIME_OP("set_keep_alive_enabled", calls,
          must(tcp_set_keep_alive_enabled(client.socket, (i & 1) != 0), "set-keep-alive"));
  TIME_OP("set_receive_buffer_size", calls,
          must(tcp_set_receive_buffer_size(client.socket, (i & 1) ? 65536 : 131072),
               "set-receive-buffer-size"));
  double connect_rounds[ROUNDS], accept_rounds[ROUNDS];
  for (int r = 0; r < ROUNDS; r++) {
    double ns_connect = 0, ns_accept = 0;
    for (uint32_t i = 0; i < connects; i++) {
      connect_and_accept(net, listener, to, &ns_connect, &ns_accept);
    }
    connect_rounds[r] = ns_connect / connects;
    accept_rounds[r] = ns_accept / connects;
  }
  report("connect", connect_rounds);
  report("accept", accept_rounds);

  // Local calls: nothing is in flight on the pair, so none of them has anything to wait for.
  uint64_t permit = 0;
  pollable readable = input_subscribe(client.in);
  TIME_OP("check_write", calls,
          if (output_check_write(client.out, &permit) != STREAM_OK) die("check-write", "failed"));
  // Not asserted false: preview2-shim reports an idle socket's input pollable ready.
  uint32_t ready_count = 0;
  TIME_OP("pollable_ready", calls, ready_count += pollable_ready(readable));
  TIME_OP("empty_read", calls, {
    bytes data = {0};
    if (input_read(client.in, 64, &data) != STREAM_OK || data.len != 0) die("read", "not empty");
    bytes_free(&data);
  });
  TIME_OP("subscribe_drop", calls, pollable_drop(input_subscribe(client.in)));
  pollable_drop(readable);
  printf("idle_input_ready=%u of %u\n", ready_count, ROUNDS * calls);

  drop_connection(&client);
  drop_connection(&server);
  tcp_drop(listener);
  network_drop(net);
  return 0;
}
