// CONFORMANCE.md "TCP streams": end of input, shutdown effects on the streams, and the
// sample application (empty write, message, second client).
#include "wasi_guest/fixtures.h"

static void peer_shutdown_and_drop(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  EXPECT_OK(tcp_shutdown(p.client, SHUTDOWN_BOTH));
  input_drop(p.client_in);
  output_drop(p.client_out);
  tcp_drop(p.client);
  pollable in_ready = input_subscribe(p.server_in);
  EXPECT_TRUE(ready_within(in_ready, WAIT_LIMIT_NS),
              "input pollable not ready after the peer closed");
  pollable_drop(in_ready);
  bytes b = {0};
  EXPECT_STREAM(input_read(p.server_in, 10, &b), STREAM_CLOSED);
  EXPECT_STREAM(input_read(p.server_in, 0, &b), STREAM_CLOSED);
  input_drop(p.server_in);
  output_drop(p.server_out);
  tcp_drop(p.server);
  tcp_drop(p.listener);
}

static void shutdown_receive_with_unread_data(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  EXPECT_STREAM(write_all(p.client_out, "unread", 6), STREAM_OK);
  pollable in_ready = input_subscribe(p.server_in);
  EXPECT_TRUE(ready_within(in_ready, WAIT_LIMIT_NS), "data never became readable");
  pollable_drop(in_ready);
  EXPECT_OK(tcp_shutdown(p.server, SHUTDOWN_RECEIVE));
  bytes b = {0};
  EXPECT_STREAM(input_read(p.server_in, 10, &b), STREAM_CLOSED);
  EXPECT_STREAM(input_read(p.server_in, 0, &b), STREAM_CLOSED);
  tcp_pair_drop(&p);
}

static void shutdown_send_closes_output(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  uint64_t permit = 0;
  EXPECT_STREAM(output_check_write(p.client_out, &permit), STREAM_OK);
  EXPECT_TRUE(permit >= 3, "a fresh stream permits %llu bytes", (unsigned long long)permit);
  EXPECT_OK(tcp_shutdown(p.client, SHUTDOWN_SEND));
  // Within the permit from before the shutdown: closed, not a trap.
  EXPECT_STREAM(output_write(p.client_out, "Hi!", 3), STREAM_CLOSED);
  EXPECT_STREAM(output_write(p.client_out, "", 0), STREAM_CLOSED);
  EXPECT_STREAM(output_check_write(p.client_out, &permit), STREAM_CLOSED);
  EXPECT_STREAM(output_flush(p.client_out), STREAM_CLOSED);
  tcp_pair_drop(&p);
}

// Reads exactly `len` bytes with blocking-read (which may return less per call).
static void expect_message(input_stream in, const char* message) {
  uint32_t len = (uint32_t)strlen(message), got = 0;
  char buf[64] = {0};
  while (got < len) {
    bytes b = {0};
    EXPECT_STREAM(input_blocking_read(in, len - got, &b), STREAM_OK);
    EXPECT_TRUE(b.len > 0 && b.len <= len - got, "blocking-read returned %u bytes", b.len);
    memcpy(buf + got, b.data, b.len);
    got += b.len;
    bytes_free(&b);
  }
  EXPECT_TRUE(memcmp(buf, message, len) == 0, "received \"%s\"", buf);
}

static void sample_client(ip_family f, tcp_socket listener, sock_addr addr) {
  static const char message[] = "Hello, world!";
  tcp_socket client, server;
  input_stream client_in, server_in;
  output_stream client_out, server_out;
  EXPECT_OK(tcp_create(f, &client));
  EXPECT_OK(tcp_connect(client, test_network(), addr, &client_in, &client_out));
  EXPECT_STREAM(output_blocking_write_and_flush(client_out, "", 0), STREAM_OK);
  EXPECT_STREAM(output_blocking_write_and_flush(client_out, message, sizeof message - 1),
                STREAM_OK);
  EXPECT_OK(tcp_accept_blocking(listener, &server, &server_in, &server_out));
  bytes empty = {0};
  EXPECT_STREAM(input_read(server_in, 0, &empty), STREAM_OK);
  EXPECT_TRUE(empty.len == 0, "read(0) returned %u bytes", empty.len);
  bytes_free(&empty);
  expect_message(server_in, message);
  input_drop(server_in);
  output_drop(server_out);
  tcp_drop(server);
  input_drop(client_in);
  output_drop(client_out);
  tcp_drop(client);
}

static void sample_application(ip_family f) {
  tcp_socket listener;
  EXPECT_OK(tcp_create(f, &listener));
  EXPECT_OK(tcp_set_listen_backlog_size(listener, 32));
  EXPECT_OK(tcp_bind(listener, test_network(), addr_loopback(f, 0)));
  EXPECT_OK(tcp_listen(listener));
  sock_addr addr;
  EXPECT_OK(tcp_local_address(listener, &addr));
  sample_client(f, listener, addr);
  if (check_failed()) return;
  sample_client(f, listener, addr);  // a second client is served too
  tcp_drop(listener);
}

// The peer's shutdown(send) arrives after every byte written before it: data, then closed.
static void fin_after_data(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  EXPECT_STREAM(write_all(p.client_out, "last words", 10), STREAM_OK);
  EXPECT_OK(tcp_shutdown(p.client, SHUTDOWN_SEND));
  expect_message(p.server_in, "last words");
  if (check_failed()) return;
  bytes b = {0};
  EXPECT_STREAM(input_blocking_read(p.server_in, 10, &b), STREAM_CLOSED);
  tcp_pair_drop(&p);
}

// read(len) returns at most len bytes, and some when data is waiting.
static void read_at_most_len(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  char hundred[100];
  memset(hundred, 'h', sizeof hundred);
  EXPECT_STREAM(write_all(p.client_out, hundred, sizeof hundred), STREAM_OK);
  pollable in = input_subscribe(p.server_in);
  EXPECT_TRUE(ready_within(in, WAIT_LIMIT_NS), "data never became readable");
  pollable_drop(in);
  bytes b = {0};
  EXPECT_STREAM(input_read(p.server_in, 10, &b), STREAM_OK);
  EXPECT_TRUE(b.len > 0 && b.len <= 10, "read(10) returned %u bytes", b.len);
  bytes_free(&b);
  tcp_pair_drop(&p);
}

// 32 clients connect at once (start-connect on all, then one poll loop), each sends its number;
// the server accepts all and reads every number: readiness for many sockets at a time.
static void many_clients(ip_family f) {
  enum { CLIENTS = 32 };
  tcp_socket listener;
  sock_addr addr;
  EXPECT_OK(tcp_create(f, &listener));
  EXPECT_OK(tcp_set_listen_backlog_size(listener, 64));
  EXPECT_OK(tcp_bind(listener, test_network(), addr_loopback(f, 0)));
  EXPECT_OK(tcp_listen(listener));
  EXPECT_OK(tcp_local_address(listener, &addr));
  tcp_socket clients[CLIENTS];
  pollable waits[CLIENTS];
  bool connected[CLIENTS] = {false};
  for (int i = 0; i < CLIENTS; i++) {
    EXPECT_OK(tcp_create(f, &clients[i]));
    EXPECT_OK(tcp_start_connect(clients[i], test_network(), addr));
    waits[i] = tcp_subscribe(clients[i]);
  }
  int done = 0;
  uint64_t deadline = clock_now_ns() + 10 * NS_PER_S;
  while (done < CLIENTS && clock_now_ns() < deadline) {
    uint32_t ready[CLIENTS];
    uint32_t n = poll_list(waits, CLIENTS, ready, CLIENTS);
    for (uint32_t r = 0; r < n && r < CLIENTS; r++) {
      uint32_t i = ready[r];
      if (connected[i]) continue;
      input_stream in;
      output_stream out;
      EXPECT_OK(tcp_finish_connect(clients[i], &in, &out));
      connected[i] = true;
      done++;
      uint8_t number = (uint8_t)i;
      EXPECT_STREAM(output_blocking_write_and_flush(out, &number, 1), STREAM_OK);
      input_drop(in);
      output_drop(out);
    }
  }
  EXPECT_TRUE(done == CLIENTS, "%d of %d connects finished in 10 s", done, CLIENTS);
  bool seen[CLIENTS] = {false};
  for (int i = 0; i < CLIENTS; i++) {
    tcp_socket server;
    input_stream in;
    EXPECT_OK(tcp_accept_blocking(listener, &server, &in, NULL));
    bytes b = {0};
    EXPECT_STREAM(input_blocking_read(in, 1, &b), STREAM_OK);
    EXPECT_TRUE(b.len == 1 && b.data[0] < CLIENTS && !seen[b.data[0]],
                "bad or repeated client number");
    seen[b.data[0]] = true;
    bytes_free(&b);
    input_drop(in);
    tcp_drop(server);
  }
  for (int i = 0; i < CLIENTS; i++) {
    pollable_drop(waits[i]);
    tcp_drop(clients[i]);
  }
  tcp_drop(listener);
}

static uint8_t pattern_byte(uint32_t i) { return (uint8_t)(i * 7u + (i >> 11)); }

// 1 MiB each way at once, driven by one poll loop (neither side may wait for the other to read),
// byte-exact on arrival: the data path keeps order and loses nothing under back-pressure.
static void bulk_transfer_intact(ip_family f) {
  enum { TOTAL = 1 << 20 };
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  output_stream outs[2] = {p.client_out, p.server_out};
  input_stream ins[2] = {p.server_in, p.client_in};  // ins[i] receives what outs[i] sends
  uint32_t sent[2] = {0, 0}, received[2] = {0, 0};
  pollable ps[4] = {output_subscribe(outs[0]), output_subscribe(outs[1]), input_subscribe(ins[0]),
                    input_subscribe(ins[1])};
  static uint8_t chunk[65536];
  uint64_t deadline = clock_now_ns() + 30 * NS_PER_S;
  while ((received[0] < TOTAL || received[1] < TOTAL) && clock_now_ns() < deadline) {
    uint32_t ready[4], n_ready;
    pollable active[4];
    uint32_t map[4], n = 0;
    for (uint32_t i = 0; i < 2; i++)
      if (sent[i] < TOTAL) active[n] = ps[i], map[n++] = i;
    for (uint32_t i = 0; i < 2; i++)
      if (received[i] < TOTAL) active[n] = ps[2 + i], map[n++] = 2 + i;
    n_ready = poll_list(active, n, ready, 4);
    for (uint32_t r = 0; r < n_ready && r < 4; r++) {
      uint32_t which = map[ready[r]];
      if (which < 2) {
        uint64_t permit = 0;
        EXPECT_STREAM(output_check_write(outs[which], &permit), STREAM_OK);
        uint32_t len = TOTAL - sent[which];
        if (permit < len) len = (uint32_t)permit;
        if (len > sizeof chunk) len = sizeof chunk;
        for (uint32_t i = 0; i < len; i++) chunk[i] = pattern_byte(sent[which] + i);
        EXPECT_STREAM(output_write(outs[which], chunk, len), STREAM_OK);
        sent[which] += len;
        if (sent[which] == TOTAL) EXPECT_STREAM(output_flush(outs[which]), STREAM_OK);
      } else {
        uint32_t side = which - 2;
        bytes b = {0};
        EXPECT_STREAM(input_read(ins[side], sizeof chunk, &b), STREAM_OK);
        for (uint32_t i = 0; i < b.len; i++) {
          EXPECT_TRUE(b.data[i] == pattern_byte(received[side] + i),
                      "byte %u of direction %u differs", received[side] + i, side);
        }
        received[side] += b.len;
        bytes_free(&b);
      }
    }
  }
  EXPECT_TRUE(received[0] == TOTAL && received[1] == TOTAL,
              "received %u and %u of %u bytes in 30 s", received[0], received[1], (uint32_t)TOTAL);
  for (int i = 0; i < 4; i++) pollable_drop(ps[i]);
  tcp_pair_drop(&p);
}

// Reads until the stream says closed; returns the byte count, or -1 on another error or after
// 30 s.
static int64_t read_to_end(input_stream in) {
  int64_t total = 0;
  uint64_t deadline = clock_now_ns() + 30 * NS_PER_S;
  pollable p = input_subscribe(in);
  for (;;) {
    bytes b = {0};
    stream_status st = input_read(in, 1 << 20, &b);
    if (st == STREAM_CLOSED) break;
    if (st != STREAM_OK || clock_now_ns() > deadline) {
      total = -1;
      break;
    }
    total += b.len;
    bytes_free(&b);
    if (b.len == 0 && !ready_within(p, deadline - clock_now_ns())) {
      total = -1;
      break;
    }
  }
  pollable_drop(p);
  return total;
}

// shutdown(send) right after a write far larger than the (shrunk) send buffer: the write still
// reaches the peer in full before the end of stream.
static void shutdown_send_keeps_pending_write(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  EXPECT_OK(tcp_set_send_buffer_size(p.client, 1024));
  uint64_t small = 0, permit = 0;
  EXPECT_OK(tcp_send_buffer_size(p.client, &small));
  EXPECT_STREAM(output_check_write(p.client_out, &permit), STREAM_OK);
  uint64_t big = permit < 100 * small ? permit : 100 * small;
  EXPECT_TRUE(big > small, "check-write permits %llu, send buffer is %llu",
              (unsigned long long)permit, (unsigned long long)small);
  uint8_t* data = calloc(1, (size_t)big);
  EXPECT_STREAM(output_write(p.client_out, data, (uint32_t)big), STREAM_OK);
  free(data);
  EXPECT_OK(tcp_shutdown(p.client, SHUTDOWN_SEND));
  int64_t received = read_to_end(p.server_in);
  EXPECT_TRUE(received == (int64_t)big, "peer received %lld of %llu bytes", (long long)received,
              (unsigned long long)big);
  tcp_pair_drop(&p);
}

// The client writes, flushes and drops everything before the server accepts: the data is still
// delivered, read(0) on it is an empty success (not closed), then the message arrives.
static void client_gone_before_accept(ip_family f) {
  static const char message[] = "Hello, world!";
  tcp_socket listener, client, server;
  sock_addr addr;
  input_stream client_in, server_in;
  output_stream client_out, server_out;
  if (!tcp_loopback_listener(f, &listener, &addr)) return;
  EXPECT_OK(tcp_create(f, &client));
  EXPECT_OK(tcp_connect(client, test_network(), addr, &client_in, &client_out));
  EXPECT_STREAM(write_all(client_out, message, sizeof message - 1), STREAM_OK);
  output_drop(client_out);
  input_drop(client_in);
  tcp_drop(client);
  EXPECT_OK(tcp_accept_blocking(listener, &server, &server_in, &server_out));
  bytes b = {0};
  EXPECT_STREAM(input_read(server_in, 0, &b), STREAM_OK);
  EXPECT_TRUE(b.len == 0, "read(0) returned %u bytes", b.len);
  bytes_free(&b);
  EXPECT_STREAM(input_blocking_read(server_in, sizeof message - 1, &b), STREAM_OK);
  EXPECT_TRUE(b.len == sizeof message - 1 && memcmp(b.data, message, b.len) == 0,
              "blocking-read returned %u bytes", b.len);
  bytes_free(&b);
  EXPECT_STREAM(input_blocking_read(server_in, 1, &b), STREAM_CLOSED);
  output_drop(server_out);
  input_drop(server_in);
  tcp_drop(server);
  tcp_drop(listener);
}

int main(void) {
  check_init();
  RUN_BOTH_FAMILIES("tcp_streams.peer_shutdown_and_drop_closed", peer_shutdown_and_drop);
  RUN_BOTH_FAMILIES("tcp_streams.shutdown_receive_unread_closed",
                    shutdown_receive_with_unread_data);
  RUN_BOTH_FAMILIES("tcp_streams.shutdown_send_output_closed", shutdown_send_closes_output);
  RUN_BOTH_FAMILIES("tcp_streams.fin_after_data", fin_after_data);
  RUN_BOTH_FAMILIES("tcp_streams.read_at_most_len", read_at_most_len);
  RUN_BOTH_FAMILIES("tcp_sample_app.many_clients_at_once", many_clients);
  RUN_BOTH_FAMILIES("tcp_streams.bulk_transfer_intact", bulk_transfer_intact);
  RUN_BOTH_FAMILIES("tcp_sample_app.hello_two_clients", sample_application);
  RUN_BOTH_FAMILIES("tcp_streams.shutdown_send_keeps_pending_write",
                    shutdown_send_keeps_pending_write);
  RUN_BOTH_FAMILIES("tcp_sample_app.client_gone_before_accept", client_gone_before_accept);
  return check_finish();
}
