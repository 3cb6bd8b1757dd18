// An HTTP/1.1 keep-alive server written the way an outside reviewer writes one from the WIT
// alone, sharing nothing with the project's own server loop (lib/http_serve.c): plain calls of
// wasi:sockets and wasi:io, one poll over every connection, pipelined requests answered in
// order, responses written in pieces as check-write permits (GET /big is larger than any permit,
// so a response always spans several writes and polls), flush after each response, a connection
// closed on end of stream, on any stream error, or after a "Connection: close" response.
//
//   keepalive_server [BIG_BYTES [MAX_CONNECTIONS]]     (defaults 3 MiB, 1024)
//
// MAX_CONNECTIONS bounds the connections held at once (the scale benchmark holds 10,000 idle ones,
// tests/bench/keepalive_bench_main.cpp); beyond it, new connections wait in the listen queue.
//
// Paths: / (a short body), /big (BIG_BYTES of a known pattern), /quit (answers, then closes every
// connection and exits 0 with "served N requests"). Prints "listening on 127.0.0.1:PORT".
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "wasi_guest/check.h"
#include "wasi_guest/tcp.h"

#define DEFAULT_MAX_CONNS 1024
#define IN_CAP 8192
#define MAX_PIECES 32  // 16 pipelined responses; more wait in the input buffer

typedef struct {
  bool used;
  tcp_socket sock;
  input_stream in;
  output_stream out;
  pollable in_ready, out_ready;
  char in_buf[IN_CAP];
  size_t in_len;
  bool peer_done;  // read said closed: answer what is buffered, then close
  // Responses not yet written, in order: pieces of static text (a header, a body), so a slow
  // reader of /big costs no copy. `at` bytes of the first piece are written.
  struct {
    const char* data;
    size_t len;
  } pieces[MAX_PIECES];
  unsigned first, count;
  size_t at;
  bool close_when_sent;
  bool flushing;  // flush() called, check-write > 0 means it completed
} conn;

static conn* conns;
static int max_conns = DEFAULT_MAX_CONNS;
static size_t big_bytes = 3u << 20;
static char* big_body;
static unsigned long served;
static const char kSmallBody[] = "hello from keepalive_server\n";
static bool quitting;

static void queue(conn* c, const char* data, size_t len) {
  unsigned slot = (c->first + c->count++) % MAX_PIECES;
  c->pieces[slot].data = data;
  c->pieces[slot].len = len;
}

static bool wants_output(const conn* c) { return c->flushing || c->count > 0; }

static void close_conn(conn* c) {
  pollable_drop(c->in_ready);
  pollable_drop(c->out_ready);
  input_drop(c->in);
  output_drop(c->out);
  tcp_drop(c->sock);
  memset(c, 0, sizeof *c);
}

static bool header_says_close(const char* head) {
  for (const char* p = head; (p = strstr(p, "\r\n")) != NULL; p += 2) {
    if (strncasecmp(p + 2, "connection:", 11) != 0) continue;
    const char* v = p + 13;
    while (*v == ' ') v++;
    return strncasecmp(v, "close", 5) == 0;
  }
  return false;
}

// Response heads, by [big][close]: every piece of output is static text.
static char heads[2][2][128];

// Answers the complete request heads in the input buffer, as many as the output queue takes.
static void answer_requests(conn* c) {
  while (c->count + 2 <= MAX_PIECES && !c->close_when_sent) {
    c->in_buf[c->in_len] = '\0';
    char* end = strstr(c->in_buf, "\r\n\r\n");
    if (end == NULL) return;
    end[2] = '\0';
    bool big = strncmp(c->in_buf, "GET /big ", 9) == 0;
    if (strncmp(c->in_buf, "GET /quit ", 10) == 0) quitting = true;
    bool close = header_says_close(c->in_buf) || quitting;
    const char* head = heads[big][close];
    queue(c, head, strlen(head));
    queue(c, big ? big_body : kSmallBody, big ? big_bytes : strlen(kSmallBody));
    served++;
    size_t used = (size_t)(end + 4 - c->in_buf);
    memmove(c->in_buf, c->in_buf + used, c->in_len - used);
    c->in_len -= used;
    if (close) {
      c->close_when_sent = true;
      c->in_len = 0;  // nothing after a "close" request is answered
    }
  }
}

// Reads what is there; false when the connection must be closed at once.
static bool on_input(conn* c) {
  if (c->in_len == IN_CAP - 1) return false;  // a request head larger than we take
  bytes got;
  stream_status st = input_read(c->in, IN_CAP - 1 - c->in_len, &got);
  if (st == STREAM_CLOSED) {
    c->peer_done = true;
    return c->count > 0;  // finish what was asked, if anything
  }
  if (st != STREAM_OK) return false;
  memcpy(c->in_buf + c->in_len, got.data, got.len);
  c->in_len += got.len;
  bytes_free(&got);
  answer_requests(c);
  return true;
}

// Writes as much as check-write permits, one check-write per write (a permit is for the next
// write only), then flushes once the queue is empty; false when the connection must be closed.
static bool on_output(conn* c) {
  bool wrote = false;
  for (;;) {
    uint64_t permit = 0;
    if (output_check_write(c->out, &permit) != STREAM_OK) return false;
    if (c->flushing) {
      if (permit == 0) return true;  // the flush is still in progress
      c->flushing = false;
    }
    if (c->count == 0 || permit == 0) break;
    const char* data = c->pieces[c->first].data + c->at;
    size_t left = c->pieces[c->first].len - c->at;
    size_t n = left < permit ? left : (size_t)permit;
    if (output_write(c->out, data, (uint32_t)n) != STREAM_OK) return false;
    wrote = true;
    c->at += n;
    if (c->at == c->pieces[c->first].len) {
      c->first = (c->first + 1) % MAX_PIECES;
      c->count--;
      c->at = 0;
    }
  }
  if (c->count == 0 && wrote) {
    if (output_flush(c->out) != STREAM_OK) return false;
    c->flushing = true;
  }
  return true;
}

static void accept_all(tcp_socket listener) {
  for (int i = 0; i < max_conns; i++) {
    conn* c = &conns[i];
    if (c->used) continue;
    if (tcp_accept(listener, &c->sock, &c->in, &c->out) != NET_OK) return;
    c->used = true;
    c->in_ready = input_subscribe(c->in);
    c->out_ready = output_subscribe(c->out);
  }
}

int main(int argc, char** argv) {
  check_init();
  if (argc > 1) big_bytes = strtoul(argv[1], NULL, 10);
  if (argc > 2) max_conns = atoi(argv[2]);
  if (max_conns <= 0) {
    fprintf(stderr, "keepalive_server: MAX_CONNECTIONS must be positive\n");
    return 2;
  }
  conns = calloc((size_t)max_conns, sizeof *conns);
  big_body = malloc(big_bytes + 1);
  for (size_t i = 0; i < big_bytes; i++) big_body[i] = (char)('a' + i % 26);
  for (int big = 0; big < 2; big++)
    for (int close = 0; close < 2; close++)
      snprintf(heads[big][close], sizeof heads[big][close],
               "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\nConnection: %s\r\n\r\n",
               big ? big_bytes : strlen(kSmallBody), close ? "close" : "keep-alive");

  network net = instance_network();
  tcp_socket listener;
  net_status st = tcp_create(FAMILY_IPV4, &listener);
  if (st == NET_OK) st = tcp_set_listen_backlog_size(listener, 1024);
  if (st == NET_OK) st = tcp_bind(listener, net, addr_loopback(FAMILY_IPV4, 0));
  if (st == NET_OK) st = tcp_listen(listener);
  sock_addr local;
  if (st == NET_OK) st = tcp_local_address(listener, &local);
  if (st != NET_OK) {
    fprintf(stderr, "keepalive_server: cannot listen: %s\n", net_status_name(st));
    return 1;
  }
  printf("listening on 127.0.0.1:%u\n", local.port);
  pollable listener_ready = tcp_subscribe(listener);

  pollable* list = calloc(1 + (size_t)max_conns, sizeof *list);
  conn** owner = calloc(1 + (size_t)max_conns, sizeof *owner);
  uint32_t* ready = calloc(1 + (size_t)max_conns, sizeof *ready);
  if (conns == NULL || list == NULL || owner == NULL || ready == NULL) {
    fprintf(stderr, "keepalive_server: out of memory for %d connections\n", max_conns);
    return 1;
  }
  for (;;) {
    uint32_t n = 0;
    if (!quitting) {
      list[n] = listener_ready;
      owner[n++] = NULL;
    }
    for (int i = 0; i < max_conns; i++) {
      conn* c = &conns[i];
      if (!c->used) continue;
      if (quitting && !wants_output(c)) {
        close_conn(c);
        continue;
      }
      // Waiting on the output while a response is out, on the input otherwise.
      list[n] = wants_output(c) ? c->out_ready : c->in_ready;
      owner[n++] = c;
    }
    if (n == 0) break;
    uint32_t n_ready = poll_list(list, n, ready, n);
    for (uint32_t i = 0; i < n_ready && i < n; i++) {
      conn* c = owner[ready[i]];
      if (c == NULL) {
        accept_all(listener);
        continue;
      }
      if (!c->used) continue;
      bool writing = wants_output(c);
      bool keep = writing ? on_output(c) : on_input(c);
      if (keep && writing) answer_requests(c);  // requests held back by a full queue
      if (keep && !writing && wants_output(c)) keep = on_output(c);  // start the response now
      if (!keep || (!wants_output(c) && (c->peer_done || c->close_when_sent))) close_conn(c);
    }
  }
  pollable_drop(listener_ready);
  tcp_drop(listener);
  network_drop(net);
  free(list);
  free(owner);
  free(ready);
  free(conns);
  printf("served %lu requests\n", served);
  return 0;
}
