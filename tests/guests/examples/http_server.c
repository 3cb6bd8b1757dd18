// An HTTP/1.1 server as a WASI 0.2 command: one wasi:io/poll loop serves many connections at once
// over wasi:sockets (the loop is wasi_guest/http_serve.h, shared with the load suite's server).
// The example the demo (deploy/demo.sh) runs through the broker.
//
//   http_server [PORT [MAX_REQUESTS]]
//
// PORT 0 (the default) takes any free port. Prints "listening on 127.0.0.1:PORT" once it accepts.
// Answers every request with a short text/plain body; connections stay open for further requests
// unless the client says "Connection: close". Request bodies are not read (GET/HEAD only). With
// MAX_REQUESTS > 0 it stops accepting after that many requests and exits once its connections end.
#include <stdio.h>
#include <stdlib.h>

#include "wasi_guest/check.h"
#include "wasi_guest/http_serve.h"

static size_t body(char* out, size_t cap, unsigned long n, const char* method, const char* path) {
  return (size_t)snprintf(out, cap,
                          "Hello from a WebAssembly guest, served through wasi-socketd!\n"
                          "request #%lu: %s %s\n",
                          n, method, path);
}

int main(int argc, char** argv) {
  check_init();
  uint16_t port = argc > 1 ? (uint16_t)atoi(argv[1]) : 0;
  http_serve_options options = {.order = HTTP_CLOSE_POLLABLES_FIRST, .body = body};
  options.max_requests = argc > 2 ? strtoul(argv[2], NULL, 10) : 0;
  network net = instance_network();
  tcp_socket listener = http_listen_on_loopback(net, port, "http_server");
  printf("served %lu requests\n", http_serve(listener, &options));
  tcp_drop(listener);
  network_drop(net);
  return 0;
}
