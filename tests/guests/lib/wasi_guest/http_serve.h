// The event loop of an HTTP/1.1 server guest over wasi:sockets, written from the WIT alone and
// shared by the demo's server (examples/http_server.c) and the load suite's (load/event_server.c).
//
// One wasi:io/poll loop over the listener's pollable and, per connection, an input-stream and an
// output-stream pollable (both subscribed at accept, kept until the connection ends). Answers GET
// and HEAD (request bodies are not read); keeps connections open unless the client says
// "Connection: close"; serves pipelined requests in order.
#ifndef WASI_GUEST_HTTP_SERVE_H
#define WASI_GUEST_HTTP_SERVE_H

#include <stdbool.h>
#include <stddef.h>

#include "tcp.h"

// How a connection is closed: every order the WIT allows (children before parents).
typedef enum {
  // input pollable, output pollable, input stream, output stream, socket
  HTTP_CLOSE_POLLABLES_FIRST,
  // output pollable, output stream, input pollable, input stream, socket
  HTTP_CLOSE_PER_STREAM,
  // the input side (pollable, stream) as soon as a "Connection: close" request head is read,
  // the output side and the socket once the response is out
  HTTP_CLOSE_INPUT_EARLY,
} http_close_order;

typedef struct {
  http_close_order order;
  // "Connection: close" responses: drop right after the last write, without waiting for the flush
  // (the bytes are still in flight; the WIT says they are delivered). Otherwise flush, then
  // shutdown(both), then drop.
  bool drop_unflushed;
  // Put both pollables of every connection in each poll (else only the one it waits on), so one
  // round often reports a connection twice, the second time after it was closed.
  bool watch_both;
  // Stop accepting after this many requests (0: never) and return once every connection ended.
  unsigned long max_requests;
  // GET /quit stops accepting and closes idle connections, as reaching max_requests does.
  bool quit_path;
  // Writes the response body for request number `n` (1-based) into `body`; returns its length.
  size_t (*body)(char* body, size_t cap, unsigned long n, const char* method, const char* path);
} http_serve_options;

// Listens on 127.0.0.1:port (0: any free port), prints "listening on 127.0.0.1:PORT"; exits 1 if
// it cannot.
// True when a request head (NUL-terminated, lines ending in CRLF) says "Connection: close".
bool http_says_close(const char* head);

tcp_socket http_listen_on_loopback(network net, uint16_t port, const char* who);

// Serves until the end condition of `options`; returns the number of requests served. Drops every
// connection's resources; the listener stays the caller's.
unsigned long http_serve(tcp_socket listener, const http_serve_options* options);

#endif
