// The HTTP/1.1 server loop of http_serve.h.
#include "wasi_guest/http_serve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_CONNECTIONS 1024
#define REQUEST_MAX 4096
#define RESPONSE_MAX 1024

typedef enum { CONN_FREE, CONN_READING, CONN_WRITING, CONN_FLUSHING } conn_state;

typedef struct {
  conn_state state;
  tcp_socket socket;
  input_stream in;
  output_stream out;
  pollable in_ready;   // ready: bytes, end of stream or an error to read
  pollable out_ready;  // ready: check-write > 0 (also: a flush completed)
  bool input_open;     // input stream and its pollable not dropped yet
  char request[REQUEST_MAX];
  size_t request_len;
  char response[RESPONSE_MAX];
  size_t response_len;
  size_t response_sent;
  bool close_after;
} connection;

static connection connections[MAX_CONNECTIONS];
static const http_serve_options* opts;
static unsigned long requests_served;
static bool quitting;

static bool accepting(void) {
  return !quitting && (opts->max_requests == 0 || requests_served < opts->max_requests);
}

static void drop_input(connection* c) {
  if (!c->input_open) return;
  pollable_drop(c->in_ready);
  input_drop(c->in);
  c->input_open = false;
}

static void connection_close(connection* c) {
  if (opts->order == HTTP_CLOSE_POLLABLES_FIRST) {
    if (c->input_open) pollable_drop(c->in_ready);
    pollable_drop(c->out_ready);
    if (c->input_open) input_drop(c->in);
    output_drop(c->out);
    c->input_open = false;
  } else {
    pollable_drop(c->out_ready);
    output_drop(c->out);
    drop_input(c);
  }
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
      fprintf(stderr, "http_serve: accept: %s\n", net_status_name(st));
      return;
    }
    c->in_ready = input_subscribe(c->in);
    c->out_ready = output_subscribe(c->out);
    c->input_open = true;
    c->request_len = 0;
    c->state = CONN_READING;
  }
}

bool http_says_close(const char* head) {
  for (const char* line = strstr(head, "\r\n"); line; line = strstr(line + 2, "\r\n")) {
    if (strncasecmp(line + 2, "connection:", 11) != 0) continue;
    const char* value = line + 13;
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
  c->close_after = http_says_close(c->request);
  if (opts->quit_path && strcmp(path, "/quit") == 0) {
    quitting = true;
    c->close_after = true;
  }
  requests_served++;
  char body[512];
  size_t body_len = opts->body(body, sizeof body, requests_served, method, path);
  c->response_len = (size_t)snprintf(c->response, sizeof c->response,
                                     "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                                     "Content-Length: %zu\r\nConnection: %s\r\n\r\n%.*s",
                                     body_len, c->close_after ? "close" : "keep-alive",
                                     strcmp(method, "HEAD") == 0 ? 0 : (int)body_len, body);
  c->response_sent = 0;
  size_t consumed = (size_t)(end + 4 - c->request);
  memmove(c->request, c->request + consumed, c->request_len - consumed);
  c->request_len -= consumed;
  c->state = CONN_WRITING;
  if (c->close_after && opts->order == HTTP_CLOSE_INPUT_EARLY) drop_input(c);
}

static void on_readable(connection* c) {
  bytes data = {0};
  stream_status st = input_read(c->in, REQUEST_MAX - 1 - c->request_len, &data);
  if (st != STREAM_OK) {  // the client closed, vanished, or the connection failed
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
  if (c->response_sent < c->response_len) return;
  if (c->close_after && opts->drop_unflushed) {
    connection_close(c);
    return;
  }
  if (output_flush(c->out) != STREAM_OK) {
    connection_close(c);
    return;
  }
  c->state = CONN_FLUSHING;
}

tcp_socket http_listen_on_loopback(network net, uint16_t port, const char* who) {
  tcp_socket listener;
  net_status st = tcp_create(FAMILY_IPV4, &listener);
  if (st == NET_OK) st = tcp_set_listen_backlog_size(listener, MAX_CONNECTIONS);
  if (st == NET_OK) st = tcp_bind(listener, net, addr_loopback(FAMILY_IPV4, port));
  if (st == NET_OK) st = tcp_listen(listener);
  if (st != NET_OK) {
    fprintf(stderr, "%s: cannot listen on 127.0.0.1:%u: %s\n", who, port, net_status_name(st));
    exit(1);
  }
  sock_addr local;
  tcp_local_address(listener, &local);
  printf("listening on 127.0.0.1:%u\n", local.port);
  return listener;
}

// One entry of the poll list: the listener (owner NULL) or one pollable of a connection.
typedef struct {
  connection* owner;
  bool input;
} watch;

static uint32_t add_watch(pollable* list, watch* watches, uint32_t count, pollable p,
                          connection* owner, bool input) {
  list[count] = p;
  watches[count] = (watch){owner, input};
  return count + 1;
}

unsigned long http_serve(tcp_socket listener, const http_serve_options* options) {
  opts = options;
  pollable listener_ready = tcp_subscribe(listener);
  static pollable list[1 + 2 * MAX_CONNECTIONS];
  static watch watches[1 + 2 * MAX_CONNECTIONS];
  static uint32_t ready[1 + 2 * MAX_CONNECTIONS];
  for (;;) {
    uint32_t count = 0;
    if (accepting() && free_slot() != NULL)
      count = add_watch(list, watches, count, listener_ready, NULL, false);
    for (int i = 0; i < MAX_CONNECTIONS; i++) {
      connection* c = &connections[i];
      if (c->state == CONN_FREE) continue;
      if (quitting && c->state == CONN_READING && c->request_len == 0) {
        connection_close(c);  // GET /quit: idle keep-alive connections end now
        continue;
      }
      bool reading = c->state == CONN_READING;
      if (c->input_open && (reading || opts->watch_both))
        count = add_watch(list, watches, count, c->in_ready, c, true);
      if (!reading || opts->watch_both)
        count = add_watch(list, watches, count, c->out_ready, c, false);
    }
    if (count == 0) break;  // every connection ended and no more accepting
    uint32_t n_ready = poll_list(list, count, ready, count);
    for (uint32_t i = 0; i < n_ready && i < count; i++) {
      const watch* w = &watches[ready[i]];
      connection* c = w->owner;
      if (c == NULL)
        accept_pending(listener);
      else if (c->state == CONN_READING && w->input)
        on_readable(c);
      else if (c->state != CONN_FREE && c->state != CONN_READING && !w->input)
        on_writable(c);
    }
  }
  pollable_drop(listener_ready);
  return requests_served;
}
