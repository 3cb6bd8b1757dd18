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
  tcp_pair_drop(&p);
}

static void shutdown_send_closes_output(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  EXPECT_OK(tcp_shutdown(p.client, SHUTDOWN_SEND));
  uint64_t permit;
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

int main(void) {
  check_init();
  RUN_BOTH_FAMILIES("tcp_streams.peer_shutdown_and_drop_closed", peer_shutdown_and_drop);
  RUN_BOTH_FAMILIES("tcp_streams.shutdown_receive_unread_closed",
                    shutdown_receive_with_unread_data);
  RUN_BOTH_FAMILIES("tcp_streams.shutdown_send_output_closed", shutdown_send_closes_output);
  RUN_BOTH_FAMILIES("tcp_sample_app.hello_two_clients", sample_application);
  return check_finish();
}
