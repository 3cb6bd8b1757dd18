// An HTTP/1.1 server as a WASI 0.2 command: one wasi:io/poll loop serves many connections at once
// over wasi:sockets. The example the demo (deploy/demo.sh) runs through the broker.
//
//   http_server [PORT [MAX_REQUESTS]]
//
// PORT 0 (the default) takes any free port. Prints "listening on 127.0.0.1:PORT" once it accepts.
// Answers every request with a short text/plain body; connections stay open for further requests
// unless the client says "Connection: close". Request bodies are not read (GET/HEAD only). With
// MAX_REQUESTS > 0 it stops accepting after that many requests and exits once its connections end.
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wasi_guest/check.h"
#include "wasi_guest/tcp.h"

#define MAX_CONNECTIONS 64
#define REQUEST_MAX 8192
#define RESPONSE_MAX 1024

typedef enum { CONN_FREE, CONN_READING, CONN_WRITING, CONN_FLUSHING } conn_state;

typedef struct {
  conn_state state;
  tcp_socket socket;
  input_stream in;
  output_stream out;
  pollable in_ready;   // ready: bytes, end of stream or an error to read
  pollable out_ready;  // ready: check-write > 0 (also: a flush completed)
  char request[REQUEST_MAX];
  size_t request_len;
  char response[RESPONSE_MAX];
  size_t response_len;
  size_t response_sent;
  bool close_after;
} connection;

static connection connections[MAX_CONNECTIONS];
static unsigned long requests_served;
static unsigned long max_requests;

static bool accepting(void) { return max_requests == 0 || requests_served < max_requests; }

// Children before parents, as the WIT requires: pollables, then streams, then the socket.
static void connection_close(connection* c) {
  pollable_drop(c->in_ready);
  pollable_drop(c->out_ready);
  input_drop(c->in);
  output_drop(c->out);
  tcp_drop(c->socket);
  c->state = CONN_FREE;
}

static connection* free_slot(void) {
  for (int i = 0; i < MAX_CONNECTIONS; i++)
    if (connections[i].state == CONN_FREE) return &connections[i];
  return NULL;
}

// Accepts every pending connection (until would-block or no free slot).
static void accept_pending(tcp_socket listener) {
  connection* c;
  while (accepting() && (c = free_slot()) != NULL) {
    net_status st = tcp_accept(listener, &c->socket, &c->in, &c->out);
    if (st == ERR_WOULD_BLOCK) return;
    if (st != NET_OK) {
      fprintf(stderr, "accept: %s\n", net_status_name(st));
      return;
    }
    c->in_ready = input_subscribe(c->in);
    c->out_ready = output_subscribe(c->out);
    c->request_len = 0;
    c->state = CONN_READING;
  }
}

static bool header_says_close(const char* headers) {
  for (const char* line = strstr(headers, "\r\n"); line; line = strstr(line + 2, "\r\n")) {
    static const char name[] = "\r\nconnection:";
    size_t i = 0;
    while (name[i] && tolower((unsigned char)line[i]) == name[i]) i++;
    if (name[i] != '\0') continue;
    const char* value = line + i;
    while (*value == ' ') value++;
    return strncasecmp(value, "close", 5) == 0;
  }
  return false;
}

// If a complete request head is buffered: consume it, prepare the response, start writing.
static void handle_request(connection* c) {
  c->request[c->request_len] = '\0';
  char* end = strstr(c->request, "\r\n\r\n");
  if (end == NULL) {
    if (c->request_len == REQUEST_MAX - 1) connection_close(c);  // head too large
    return;
  }
  end[2] = '\0';
  char method[16] = "?", path[256] = "?";
  sscanf(c->request, "%15s %255s", method, path);
  c->close_after = header_says_close(c->request);
  requests_served++;

  char body[512];
  int body_len = snprintf(body, sizeof body,
                          "Hello from a WebAssembly guest, served through wasi-socketd!\n"
                          "request #%lu: %s %s\n",
                          requests_served, method, path);
  c->response_len = (size_t)snprintf(c->response, sizeof c->response,
                                     "HTTP/1.1 200 OK\r\n"
                                     "Content-Type: text/plain\r\n"
                                     "Content-Length: %d\r\n"
                                     "Connection: %s\r\n\r\n%s",
                                     body_len, c->close_after ? "close" : "keep-alive",
                                     strcmp(method, "HEAD") == 0 ? "" : body);
  c->response_sent = 0;
  size_t consumed = (size_t)(end + 4 - c->request);
  memmove(c->request, c->request + consumed, c->request_len - consumed);
  c->request_len -= consumed;
  c->state = CONN_WRITING;
}

static void on_readable(connection* c) {
  bytes data = {0};
  stream_status st = input_read(c->in, REQUEST_MAX - 1 - c->request_len, &data);
  if (st != STREAM_OK) {  // the client closed (or the connection failed)
    connection_close(c);
    return;
  }
  memcpy(c->request + c->request_len, data.data, data.len);
  c->request_len += data.len;
  bytes_free(&data);
  handle_request(c);
}

static void on_writable(connection* c) {
  uint64_t permit = 0;
  if (output_check_write(c->out, &permit) != STREAM_OK) {
    connection_close(c);
    return;
  }
  if (permit == 0) return;          // spurious wake-up or flush still running
  if (c->state == CONN_FLUSHING) {  // flush finished: the response is on its way
    if (c->close_after) {
      tcp_shutdown(c->socket, SHUTDOWN_BOTH);
      connection_close(c);
      return;
    }
    c->state = CONN_READING;
    handle_request(c);  // a pipelined request may already be buffered
    return;
  }
  size_t n = c->response_len - c->response_sent;
  if (n > permit) n = (size_t)permit;
  if (output_write(c->out, c->response + c->response_sent, (uint32_t)n) != STREAM_OK) {
    connection_close(c);
    return;
  }
  c->response_sent += n;
  if (c->response_sent == c->response_len) {
    if (output_flush(c->out) != STREAM_OK) {
      connection_close(c);
      return;
    }
    c->state = CONN_FLUSHING;
  }
}

static tcp_socket listen_on_loopback(network net, uint16_t port) {
  tcp_socket listener;
  net_status st = tcp_create(FAMILY_IPV4, &listener);
  if (st == NET_OK) st = tcp_bind(listener, net, addr_loopback(FAMILY_IPV4, port));
  if (st == NET_OK) st = tcp_listen(listener);
  if (st != NET_OK) {
    fprintf(stderr, "http_server: cannot listen on 127.0.0.1:%u: %s\n", port, net_status_name(st));
    exit(1);
  }
  sock_addr local;
  tcp_local_address(listener, &local);
  printf("listening on 127.0.0.1:%u\n", local.port);
  return listener;
}

int main(int argc, char** argv) {
  check_init();
  uint16_t port = argc > 1 ? (uint16_t)atoi(argv[1]) : 0;
  max_requests = argc > 2 ? strtoul(argv[2], NULL, 10) : 0;
  network net = instance_network();
  tcp_socket listener = listen_on_loopback(net, port);
  pollable listener_ready = tcp_subscribe(listener);

  pollable watched[1 + MAX_CONNECTIONS];
  connection* owner[1 + MAX_CONNECTIONS];
  uint32_t ready[1 + MAX_CONNECTIONS];
  for (;;) {
    uint32_t count = 0;
    if (accepting() && free_slot() != NULL) {
      owner[count] = NULL;
      watched[count++] = listener_ready;
    }
    for (int i = 0; i < MAX_CONNECTIONS; i++) {
      connection* c = &connections[i];
      if (c->state == CONN_FREE) continue;
      owner[count] = c;
      watched[count++] = c->state == CONN_READING ? c->in_ready : c->out_ready;
    }
    if (count == 0) break;  // done: MAX_REQUESTS served and every connection ended
    uint32_t n_ready = poll_list(watched, count, ready, count);
    for (uint32_t i = 0; i < n_ready && i < count; i++) {
      connection* c = owner[ready[i]];
      if (c == NULL)
        accept_pending(listener);
      else if (c->state == CONN_READING)
        on_readable(c);
      else if (c->state != CONN_FREE)
        on_writable(c);
    }
  }
  printf("served %lu requests\n", requests_served);
  pollable_drop(listener_ready);
  tcp_drop(listener);
  network_drop(net);
  return 0;
}
