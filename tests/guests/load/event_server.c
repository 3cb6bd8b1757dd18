// The load suite's HTTP/1.1 server guest (http_load_test.mjs), written from the WIT alone: the
// event loop of wasi_guest/http_serve.h with a choice of how connections end.
//
//   event_server [ORDER [FLUSH [WATCH]]]
//
// ORDER, every drop order the WIT allows: pollables-first (default: input pollable, output
// pollable, input stream, output stream, socket), per-stream (output pollable and stream, then
// input pollable and stream, then socket) or input-early (the input side as soon as a
// "Connection: close" request is read, the rest once the response is out).
// FLUSH: flush (default) or unflushed ("Connection: close" responses dropped right after write).
// WATCH: state (default: poll the pollable a connection waits on) or both (poll both of them).
//
// Listens on any free loopback port and prints "listening on 127.0.0.1:PORT". GET /quit answers,
// stops accepting, ends every connection and exits 0 with "served N requests": a run that ends so
// never trapped.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_guest/check.h"
#include "wasi_guest/http_serve.h"

static size_t body(char* out, size_t cap, unsigned long n, const char* method, const char* path) {
  (void)n, (void)method, (void)path;
  return (size_t)snprintf(out, cap, "event_server\n");
}

static http_close_order parse_order(const char* name) {
  if (strcmp(name, "pollables-first") == 0) return HTTP_CLOSE_POLLABLES_FIRST;
  if (strcmp(name, "per-stream") == 0) return HTTP_CLOSE_PER_STREAM;
  if (strcmp(name, "input-early") == 0) return HTTP_CLOSE_INPUT_EARLY;
  fprintf(stderr, "event_server: unknown close order %s\n", name);
  exit(2);
}

int main(int argc, char** argv) {
  check_init();
  http_serve_options options = {.order = HTTP_CLOSE_POLLABLES_FIRST, .quit_path = true, .body = body};
  if (argc > 1) options.order = parse_order(argv[1]);
  if (argc > 2) options.drop_unflushed = strcmp(argv[2], "unflushed") == 0;
  if (argc > 3) options.watch_both = strcmp(argv[3], "both") == 0;
  network net = instance_network();
  tcp_socket listener = http_listen_on_loopback(net, 0, "event_server");
  printf("served %lu requests\n", http_serve(listener, &options));
  tcp_drop(listener);
  network_drop(net);
  return 0;
}
