// An event-loop HTTP/1.1 server guest written the way guests from outside the project are: no
// pollable caching, the socket's own pollable watched too, logging through wasi:cli/stdout on
// every request and close, errors inspected before they are dropped. The load suite runs it
// under wrk (http_load_test.mjs); each STYLE switch is a way such a guest differs from
// event_server.c.
//
//   outside_server [STYLE[,STYLE...]]
//
//   resubscribe  every pollable subscribed afresh each loop iteration and dropped after poll
//                (default: subscribed once per connection, dropped when it closes)
//   socket       the connection socket's pollable (tcp-socket.subscribe) is watched as well
//   stdout       one log line per request and per close, written by get-stdout +
//                blocking-write-and-flush, the stdout handle dropped after each line
//                (preview2-shim objects in the same jco tables as the broker's streams)
//   stdout-poll  stdout's pollable (a preview2-shim pollable) in every poll list
//   dup          the listener's pollable twice in every poll list
//   blocking     responses sent with blocking-write-and-flush instead of check-write/write/flush
//   errors       a last-operation-failed error is asked for its to-debug-string before it is
//                dropped
//   shutdown     shutdown(both) before the resources of a connection are dropped
//
// Prints "listening on 127.0.0.1:PORT"; GET /quit answers, ends every connection and exits 0
// with "served N requests": a run that ends so never trapped.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_guest/check.h"
#include "wasi_guest/cli.h"
#include "wasi_guest/http_serve.h"

#define MAX_CONNECTIONS 1024
#define REQUEST_MAX 4096

WASI_IMPORT(ERROR_MODULE, "[method]error.to-debug-string")
extern void wasi_io_error_to_debug_string_raw(uint32_t, void*);

static struct {
  bool resubscribe, socket, stdout_log, stdout_poll, dup, blocking, errors, shutdown;
} style;

typedef struct {
  bool open;
  tcp_socket socket;
  input_stream in;
  output_stream out;
  pollable in_ready, out_ready, socket_ready;  // cached ones (not with resubscribe)
  char request[REQUEST_MAX];
  size_t request_len;
  const char* pending;  // response bytes not yet written
  size_t pending_len;
  bool close_after;
} connection;

static connection connections[MAX_CONNECTIONS];
static unsigned long served;
static bool quitting;

static void log_line(const char* text) {
  if (!style.stdout_log) return;
  output_stream out = cli_stdout();
  output_blocking_write_and_flush(out, text, (uint32_t)strlen(text));
  output_drop(out);
}

// Like stream_error_at, but asks the error what it is before dropping it.
static stream_status inspect_error(const abi_ret_area* ret, uint32_t at) {
  if (abi_load_u8(ret->bytes, at) == 1) return STREAM_CLOSED;
  uint32_t error = abi_load_u32(ret->bytes, at + 4);
  if (style.errors) {
    abi_ret_area text;
    wasi_io_error_to_debug_string_raw(error, text.bytes);
    free((void*)(uintptr_t)abi_load_u32(text.bytes, 0));
    log_line("stream error\n");
  }
  wasi_io_error_drop_raw(error);
  return STREAM_FAILED;
}

static void close_connection(connection* c) {
  if (style.shutdown) tcp_shutdown(c->socket, SHUTDOWN_BOTH);
  if (!style.resubscribe) {
    pollable_drop(c->in_ready);
    pollable_drop(c->out_ready);
    if (style.socket) pollable_drop(c->socket_ready);
  }
  input_drop(c->in);
  output_drop(c->out);
  tcp_drop(c->socket);
  c->open = false;
  log_line("closed\n");
}

// Accepts until would-block: many connections in one round.
static void accept_all(tcp_socket listener) {
  for (int i = 0; i < MAX_CONNECTIONS && !quitting; i++) {
    connection* c = &connections[i];
    if (c->open) continue;
    if (tcp_accept(listener, &c->socket, &c->in, &c->out) != NET_OK) return;
    c->open = true;
    c->request_len = 0;
    c->pending_len = 0;
    if (!style.resubscribe) {
      c->in_ready = input_subscribe(c->in);
      c->out_ready = output_subscribe(c->out);
      if (style.socket) c->socket_ready = tcp_subscribe(c->socket);
    }
  }
}

static const char kKeepAlive[] =
    "HTTP/1.1 200 OK\r\nContent-Length: 15\r\nConnection: keep-alive\r\n\r\noutside_server\n";
static const char kClose[] =
    "HTTP/1.1 200 OK\r\nContent-Length: 15\r\nConnection: close\r\n\r\noutside_server\n";

// Sends what is pending; returns false when the connection failed.
static bool send_pending(connection* c) {
  abi_ret_area ret;
  if (style.blocking) {
    wasi_output_blocking_write_and_flush_raw(c->out, (const uint8_t*)c->pending,
                                              (uint32_t)c->pending_len, ret.bytes);
    if (abi_load_u8(ret.bytes, 0) != 0) return inspect_error(&ret, 4) == STREAM_OK;
    c->pending_len = 0;
    return true;
  }
  wasi_output_check_write_raw(c->out, ret.bytes);
  if (abi_load_u8(ret.bytes, 0) != 0) return inspect_error(&ret, 8) == STREAM_OK;
  uint64_t permit = abi_load_u64(ret.bytes, 8);
  size_t n = c->pending_len < permit ? c->pending_len : (size_t)permit;
  if (n == 0) return true;
  wasi_output_write_raw(c->out, (const uint8_t*)c->pending, (uint32_t)n, ret.bytes);
  if (abi_load_u8(ret.bytes, 0) != 0) return inspect_error(&ret, 4) == STREAM_OK;
  c->pending += n;
  c->pending_len -= n;
  if (c->pending_len > 0) return true;
  wasi_output_flush_raw(c->out, ret.bytes);
  if (abi_load_u8(ret.bytes, 0) != 0) return inspect_error(&ret, 4) == STREAM_OK;
  return true;
}

static void on_readable(connection* c) {
  abi_ret_area ret;
  wasi_input_read_raw(c->in, (int64_t)(REQUEST_MAX - 1 - c->request_len), ret.bytes);
  if (abi_load_u8(ret.bytes, 0) != 0) {
    inspect_error(&ret, 4);
    close_connection(c);
    return;
  }
  uint8_t* data = (uint8_t*)(uintptr_t)abi_load_u32(ret.bytes, 4);
  uint32_t len = abi_load_u32(ret.bytes, 8);
  memcpy(c->request + c->request_len, data, len);
  c->request_len += len;
  free(data);
  c->request[c->request_len] = '\0';
  char* end = strstr(c->request, "\r\n\r\n");
  if (end == NULL) {
    if (c->request_len == REQUEST_MAX - 1) close_connection(c);
    return;
  }
  end[2] = '\0';
  c->close_after = http_says_close(c->request);
  if (strncmp(c->request, "GET /quit ", 10) == 0) c->close_after = quitting = true;
  size_t consumed = (size_t)(end + 4 - c->request);
  memmove(c->request, c->request + consumed, c->request_len - consumed);
  c->request_len -= consumed;
  c->pending = c->close_after ? kClose : kKeepAlive;
  c->pending_len = strlen(c->pending);
  served++;
  log_line("request\n");
  if (!send_pending(c)) close_connection(c);
}

static void on_writable(connection* c) {
  if (!send_pending(c)) {
    close_connection(c);
  } else if (c->pending_len == 0 && c->close_after) {
    close_connection(c);
  }
}

typedef enum { W_LISTENER, W_INPUT, W_OUTPUT, W_SOCKET, W_OTHER } watch_kind;

int main(int argc, char** argv) {
  check_init();
  if (argc > 1) {
    char* styles = argv[1];
    for (char* s = strtok(styles, ","); s; s = strtok(NULL, ",")) {
      if (strcmp(s, "resubscribe") == 0) style.resubscribe = true;
      else if (strcmp(s, "socket") == 0) style.socket = true;
      else if (strcmp(s, "stdout") == 0) style.stdout_log = true;
      else if (strcmp(s, "stdout-poll") == 0) style.stdout_poll = true;
      else if (strcmp(s, "dup") == 0) style.dup = true;
      else if (strcmp(s, "blocking") == 0) style.blocking = true;
      else if (strcmp(s, "errors") == 0) style.errors = true;
      else if (strcmp(s, "shutdown") == 0) style.shutdown = true;
      else if (strcmp(s, "plain") != 0) {
        fprintf(stderr, "outside_server: unknown style %s\n", s);
        return 2;
      }
    }
  }
  network net = instance_network();
  tcp_socket listener = http_listen_on_loopback(net, 0, "outside_server");
  pollable listener_cached = style.resubscribe ? 0 : tcp_subscribe(listener);
  output_stream out = cli_stdout();
  static pollable list[4 + 3 * MAX_CONNECTIONS];
  static watch_kind kinds[4 + 3 * MAX_CONNECTIONS];
  static connection* owners[4 + 3 * MAX_CONNECTIONS];
  static bool fresh[4 + 3 * MAX_CONNECTIONS];  // subscribed for this round: drop after poll
  static uint32_t ready[4 + 3 * MAX_CONNECTIONS];
  for (;;) {
    uint32_t n = 0;
#define WATCH(p, kind, owner, is_fresh) \
  (list[n] = (p), kinds[n] = (kind), owners[n] = (owner), fresh[n] = (is_fresh), n++)
    if (!quitting) {
      pollable lp = style.resubscribe ? tcp_subscribe(listener) : listener_cached;
      WATCH(lp, W_LISTENER, NULL, style.resubscribe);
      if (style.dup) WATCH(lp, W_LISTENER, NULL, false);
    }
    for (int i = 0; i < MAX_CONNECTIONS; i++) {
      connection* c = &connections[i];
      if (!c->open) continue;
      if (quitting && c->pending_len == 0 && c->request_len == 0) {
        close_connection(c);
        continue;
      }
      bool writing = c->pending_len > 0;
      bool r = style.resubscribe;
      if (writing) WATCH(r ? output_subscribe(c->out) : c->out_ready, W_OUTPUT, c, r);
      else WATCH(r ? input_subscribe(c->in) : c->in_ready, W_INPUT, c, r);
      if (style.socket) WATCH(r ? tcp_subscribe(c->socket) : c->socket_ready, W_SOCKET, c, r);
    }
    if (n == 0) break;
    if (style.stdout_poll) WATCH(output_subscribe(out), W_OTHER, NULL, true);
#undef WATCH
    uint32_t n_ready = poll_list(list, n, ready, n);
    // Pollables are children of their streams and sockets: drop this round's before any closes.
    for (uint32_t i = 0; i < n; i++)
      if (fresh[i]) pollable_drop(list[i]);
    for (uint32_t i = 0; i < n_ready; i++) {
      uint32_t at = ready[i];
      connection* c = owners[at];
      if (kinds[at] == W_LISTENER) accept_all(listener);
      else if (kinds[at] == W_INPUT && c->open && c->pending_len == 0) on_readable(c);
      else if (kinds[at] == W_OUTPUT && c->open && c->pending_len > 0) on_writable(c);
    }
  }
  if (!style.resubscribe) pollable_drop(listener_cached);
  output_drop(out);
  printf("served %lu requests\n", served);
  tcp_drop(listener);
  network_drop(net);
  return 0;
}
