// An HTTP/1.1 client as a WASI 0.2 command: resolves the host with wasi:sockets/ip-name-lookup,
// connects with wasi:sockets/tcp and fetches a path COUNT times (one connection each). The example
// the demo (deploy/demo.sh) runs against http_server through the broker.
//
//   http_client HOST PORT [PATH [COUNT]]
//
// Prints the first response in full and one line per later response; exits 0 when every response
// was "200 OK".
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_guest/check.h"
#include "wasi_guest/ip_name_lookup.h"
#include "wasi_guest/tcp.h"

#define RESPONSE_MAX 65536
#define WRITE_CHUNK 4096  // blocking-write-and-flush takes at most 4096 bytes per call

static char response[RESPONSE_MAX + 1];

static bool resolve(network net, const char* host, uint16_t port, sock_addr* out) {
  uint32_t count = 0;
  net_status st = resolve_all(net, host, out, 1, &count);
  if (st != NET_OK || count == 0) {
    fprintf(stderr, "http_client: cannot resolve %s: %s\n", host,
            st != NET_OK ? net_status_name(st) : "no address");
    return false;
  }
  out->port = port;
  return true;
}

static bool send_all(output_stream out, const char* data, size_t len) {
  for (size_t sent = 0; sent < len;) {
    size_t n = len - sent < WRITE_CHUNK ? len - sent : WRITE_CHUNK;
    if (output_blocking_write_and_flush(out, data + sent, (uint32_t)n) != STREAM_OK) return false;
    sent += n;
  }
  return true;
}

// Reads until the server closes the connection; returns the bytes kept (at most RESPONSE_MAX).
static size_t receive_all(input_stream in) {
  size_t len = 0;
  for (;;) {
    bytes data = {0};
    if (input_blocking_read(in, 16384, &data) != STREAM_OK) break;  // closed: response complete
    size_t keep = data.len < RESPONSE_MAX - len ? data.len : RESPONSE_MAX - len;
    memcpy(response + len, data.data, keep);
    len += keep;
    bytes_free(&data);
  }
  response[len] = '\0';
  return len;
}

// One request on a fresh connection; returns false unless the answer was 200 OK.
static bool fetch(network net, const sock_addr* server, const char* host, const char* path,
                  int index) {
  tcp_socket socket;
  input_stream in;
  output_stream out;
  net_status st = tcp_create(server->family, &socket);
  if (st == NET_OK) st = tcp_connect(socket, net, *server, &in, &out);
  if (st != NET_OK) {
    fprintf(stderr, "http_client: connect to %s:%u: %s\n", host, server->port, net_status_name(st));
    return false;
  }
  char request[512];
  int request_len = snprintf(request, sizeof request,
                             "GET %s HTTP/1.1\r\nHost: %s:%u\r\nUser-Agent: wasi-socketd-demo\r\n"
                             "Connection: close\r\n\r\n",
                             path, host, server->port);
  bool ok = send_all(out, request, (size_t)request_len);
  size_t len = ok ? receive_all(in) : 0;
  input_drop(in);
  output_drop(out);
  tcp_drop(socket);

  char* line_end = strstr(response, "\r\n");
  if (line_end) *line_end = '\0';
  ok = ok && strncmp(response, "HTTP/1.1 200 ", 13) == 0;
  if (index == 1) {
    char* body = line_end ? strstr(line_end + 1, "\r\n\r\n") : NULL;
    printf("GET http://%s:%u%s -> %s (%zu bytes)\n%s", host, server->port, path,
           len ? response : "(no response)", len, body ? body + 4 : "");
  } else {
    printf("request %d -> %s\n", index, len ? response : "(no response)");
  }
  return ok;
}

int main(int argc, char** argv) {
  check_init();
  if (argc < 3) {
    fprintf(stderr, "usage: http_client HOST PORT [PATH [COUNT]]\n");
    return 2;
  }
  const char* host = argv[1];
  const char* path = argc > 3 ? argv[3] : "/";
  int count = argc > 4 ? atoi(argv[4]) : 1;
  network net = instance_network();
  sock_addr server;
  if (!resolve(net, host, (uint16_t)atoi(argv[2]), &server)) return 1;
  int good = 0;
  for (int i = 1; i <= count; i++) good += fetch(net, &server, host, path, i);
  network_drop(net);
  printf("%d of %d requests answered 200 OK\n", good, count);
  return good == count ? 0 : 1;
}
