// An HTTP/1.1 server guest written straight from the WIT (wasi:sockets, wasi:io 0.2.12) with its
// own canonical-ABI declarations, none of tests/guests/lib's wrappers: the kind of guest an
// outside examiner brings. It waits the way wasi-libc's poll() emulation does: every wait
// subscribes afresh to what each connection waits for, polls the whole list, and drops every
// pollable again, so pollables are created and dropped at the request rate.
//
//   poll_churn_server [PORT]   listens on 127.0.0.1:PORT (0 or absent: any free port), prints
//                     "listening on 127.0.0.1:PORT"; GET /big answers 256 KiB (more than a write
//                     permit); GET /quit answers and exits 0 with "served N requests".
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(module, name) __attribute__((import_module(module), import_name(name)))
#define TCP "wasi:sockets/tcp@0.2.12"
#define IO_POLL "wasi:io/poll@0.2.12"
#define IO_STREAMS "wasi:io/streams@0.2.12"

IMPORT("wasi:sockets/instance-network@0.2.12", "instance-network") int32_t wit_instance_network(void);
IMPORT("wasi:sockets/tcp-create-socket@0.2.12", "create-tcp-socket")
void wit_create_tcp_socket(int32_t family, void* ret);
IMPORT(TCP, "[method]tcp-socket.start-bind")
void wit_start_bind(int32_t self, int32_t network, int32_t disc, int32_t port, int32_t a0,
                    int32_t a1, int32_t a2, int32_t a3, int32_t p6, int32_t p7, int32_t p8,
                    int32_t p9, int32_t p10, int32_t p11, void* ret);
IMPORT(TCP, "[method]tcp-socket.finish-bind") void wit_finish_bind(int32_t self, void* ret);
IMPORT(TCP, "[method]tcp-socket.start-listen") void wit_start_listen(int32_t self, void* ret);
IMPORT(TCP, "[method]tcp-socket.finish-listen") void wit_finish_listen(int32_t self, void* ret);
IMPORT(TCP, "[method]tcp-socket.accept") void wit_accept(int32_t self, void* ret);
IMPORT(TCP, "[method]tcp-socket.local-address") void wit_local_address(int32_t self, void* ret);
IMPORT(TCP, "[method]tcp-socket.subscribe") int32_t wit_tcp_subscribe(int32_t self);
IMPORT(TCP, "[resource-drop]tcp-socket") void wit_drop_tcp_socket(int32_t self);
IMPORT(IO_POLL, "poll") void wit_poll(const int32_t* list, int32_t len, void* ret);
IMPORT(IO_POLL, "[resource-drop]pollable") void wit_drop_pollable(int32_t self);
IMPORT(IO_STREAMS, "[method]input-stream.read")
void wit_read(int32_t self, int64_t len, void* ret);
IMPORT(IO_STREAMS, "[method]input-stream.subscribe") int32_t wit_input_subscribe(int32_t self);
IMPORT(IO_STREAMS, "[resource-drop]input-stream") void wit_drop_input(int32_t self);
IMPORT(IO_STREAMS, "[method]output-stream.check-write") void wit_check_write(int32_t self, void* ret);
IMPORT(IO_STREAMS, "[method]output-stream.write")
void wit_write(int32_t self, const void* data, int32_t len, void* ret);
IMPORT(IO_STREAMS, "[method]output-stream.flush") void wit_flush(int32_t self, void* ret);
IMPORT(IO_STREAMS, "[method]output-stream.subscribe") int32_t wit_output_subscribe(int32_t self);
IMPORT(IO_STREAMS, "[resource-drop]output-stream") void wit_drop_output(int32_t self);
IMPORT("wasi:io/error@0.2.12", "[resource-drop]error") void wit_drop_error(int32_t self);

enum { kIpv4 = 0, kErrorWouldBlock = 8, kMaxConnections = 1024, kBigBody = 256 * 1024 };

typedef struct {
  int32_t socket, in, out;
  char request[8192];
  size_t request_len;
  char* response;  // owned; NULL when nothing is pending
  size_t response_len, response_off;
  int close_after;
} connection;

static connection* connections[kMaxConnections];
static unsigned long served;
static int quitting;

static void fail(const char* what, int code) {
  fprintf(stderr, "poll_churn_server: %s failed (%d)\n", what, code);
  exit(1);
}

// result<_, error-code>: discriminant at 0, the code at 1.
static void expect_ok(const char* what, const uint8_t* ret) {
  if (ret[0] != 0) fail(what, ret[1]);
}

static void close_connection(int index) {
  connection* c = connections[index];
  wit_drop_input(c->in);
  wit_drop_output(c->out);
  wit_drop_tcp_socket(c->socket);
  free(c->response);
  free(c);
  connections[index] = NULL;
}

// stream-error payload at `at`: 0 last-operation-failed(error) with the handle 4 bytes on, 1 closed.
static void drop_stream_error(const uint8_t* at) {
  if (at[0] == 0) wit_drop_error(*(const int32_t*)(at + 4));
}

static void queue_response(connection* c, const char* path, int close_after) {
  size_t body_len = strcmp(path, "/big") == 0 ? kBigBody : 12;
  char head[160];
  int head_len = snprintf(head, sizeof head,
                          "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\nContent-Type: text/plain\r\n%s\r\n",
                          body_len, close_after ? "Connection: close\r\n" : "");
  c->response = malloc((size_t)head_len + body_len);
  memcpy(c->response, head, (size_t)head_len);
  if (body_len == 12) memcpy(c->response + head_len, "poll_churn ok\n", 12);
  else memset(c->response + head_len, 'b', body_len);
  c->response_len = (size_t)head_len + body_len;
  c->response_off = 0;
  c->close_after = close_after;
}

// Takes one complete request off the buffer, if there is one, and queues its response.
static void take_request(connection* c) {
  c->request[c->request_len] = 0;
  char* end = strstr(c->request, "\r\n\r\n");
  if (!end) return;
  char path[256] = "/";
  sscanf(c->request, "%*s %255s", path);
  int close_after = strstr(c->request, "Connection: close") != NULL ||
                    strstr(c->request, "connection: close") != NULL;
  if (strcmp(path, "/quit") == 0) quitting = close_after = 1;
  size_t used = (size_t)(end + 4 - c->request);
  memmove(c->request, c->request + used, c->request_len - used);
  c->request_len -= used;
  served++;
  queue_response(c, path, close_after);
}

// Writes what the permit allows; returns 0 when the connection is done with.
static int pump_output(connection* c) {
  _Alignas(8) uint8_t ret[16];
  wit_check_write(c->out, ret);
  if (ret[0] != 0) return drop_stream_error(ret + 8), 0;
  uint64_t permit = *(uint64_t*)(ret + 8);
  size_t left = c->response_len - c->response_off;
  size_t n = permit < left ? (size_t)permit : left;
  if (n == 0) return 1;
  wit_write(c->out, c->response + c->response_off, (int32_t)n, ret);
  if (ret[0] != 0) return drop_stream_error(ret + 4), 0;
  c->response_off += n;
  wit_flush(c->out, ret);
  if (ret[0] != 0) return drop_stream_error(ret + 4), 0;
  if (c->response_off < c->response_len) return 1;
  free(c->response);
  c->response = NULL;
  if (c->close_after) return 0;
  take_request(c);  // a pipelined request already read
  return 1;
}

// Reads what is there; returns 0 when the peer is gone.
static int pump_input(connection* c) {
  _Alignas(8) uint8_t ret[16];
  size_t room = sizeof c->request - 1 - c->request_len;
  if (room == 0) return 0;  // a request larger than the buffer: give up on it
  wit_read(c->in, (int64_t)room, ret);
  if (ret[0] != 0) return drop_stream_error(ret + 4), 0;
  uint8_t* data = *(uint8_t**)(ret + 4);
  size_t len = *(uint32_t*)(ret + 8);
  memcpy(c->request + c->request_len, data, len);
  c->request_len += len;
  free(data);
  if (!c->response) take_request(c);
  return 1;
}

static void accept_all(int32_t listener) {
  _Alignas(8) uint8_t ret[16];
  for (;;) {
    wit_accept(listener, ret);
    if (ret[0] != 0) {
      if (ret[4] != kErrorWouldBlock) fprintf(stderr, "poll_churn_server: accept: error %d\n", ret[4]);
      return;
    }
    const int32_t* handles = (const int32_t*)(ret + 4);
    int slot = 0;
    while (slot < kMaxConnections && connections[slot]) slot++;
    if (slot == kMaxConnections) {  // no room: refuse by closing at once
      wit_drop_input(handles[1]);
      wit_drop_output(handles[2]);
      wit_drop_tcp_socket(handles[0]);
      continue;
    }
    connection* c = calloc(1, sizeof *c);
    c->socket = handles[0], c->in = handles[1], c->out = handles[2];
    connections[slot] = c;
  }
}

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int port = argc > 1 ? atoi(argv[1]) : 0;
  _Alignas(8) uint8_t ret[32];
  int32_t network = wit_instance_network();
  wit_create_tcp_socket(kIpv4, ret);
  expect_ok("create-tcp-socket", ret);
  int32_t listener = *(int32_t*)(ret + 4);
  wit_start_bind(listener, network, kIpv4, port, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, ret);
  expect_ok("start-bind", ret);
  wit_finish_bind(listener, ret);
  expect_ok("finish-bind", ret);
  wit_start_listen(listener, ret);
  expect_ok("start-listen", ret);
  wit_finish_listen(listener, ret);
  expect_ok("finish-listen", ret);
  wit_local_address(listener, ret);
  expect_ok("local-address", ret);
  printf("listening on 127.0.0.1:%u\n", *(uint16_t*)(ret + 8));

  static int32_t pollables[kMaxConnections + 1];
  static int owner[kMaxConnections + 1];
  while (!quitting) {
    int count = 0;
    pollables[count] = wit_tcp_subscribe(listener), owner[count++] = -1;
    for (int i = 0; i < kMaxConnections; i++) {
      connection* c = connections[i];
      if (!c) continue;
      pollables[count] = c->response ? wit_output_subscribe(c->out) : wit_input_subscribe(c->in);
      owner[count++] = i;
    }
    wit_poll(pollables, count, ret);
    uint32_t* ready = *(uint32_t**)ret;
    uint32_t ready_len = *(uint32_t*)(ret + 4);
    for (int i = 0; i < count; i++) wit_drop_pollable(pollables[i]);
    for (uint32_t r = 0; r < ready_len; r++) {
      int index = owner[ready[r]];
      if (index < 0) {
        accept_all(listener);
        continue;
      }
      connection* c = connections[index];
      if (!c) continue;
      int alive = c->response ? pump_output(c) : pump_input(c);
      if (alive && c->response) alive = pump_output(c);  // answer at once when the permit allows
      if (!alive) close_connection(index);
    }
    free(ready);
  }
  // Finish the /quit answer (and anything else pending), then end every connection.
  for (int i = 0; i < kMaxConnections; i++) {
    connection* c = connections[i];
    if (!c) continue;
    while (c->response) {
      int32_t p = wit_output_subscribe(c->out);
      wit_poll(&p, 1, ret);
      free(*(uint32_t**)ret);
      wit_drop_pollable(p);
      if (!pump_output(c)) break;
    }
    close_connection(i);
  }
  wit_drop_tcp_socket(listener);
  printf("served %lu requests\n", served);
  return 0;
}
