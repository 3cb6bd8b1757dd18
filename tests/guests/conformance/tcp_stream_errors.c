// TCP streams after the peer resets or closes the connection (wasi:io/streams stream-error, with
// wasi:sockets/network.network-error-code). The WIT: a failed read or write is
// last-operation-failed with an error "more information is available in", and "after this, the
// stream will be closed. All future operations return stream-error::closed". The reference host
// (wasmtime) reports a reset on read as last-operation-failed whose network-error-code is
// connection-reset, and a clean end of stream as closed.
//
// A reset needs bytes the resetting end never read still in its kernel: the server writes more
// than the broker's read-ahead (1 MiB) plus the client's kernel buffer can take; the client never
// reads, then drops its socket.
#include <string.h>

#include "wasi_guest/check.h"
#include "wasi_guest/fixtures.h"

// What a stream call returned; a failure's error resource has been asked for its
// network-error-code and dropped.
typedef struct {
  stream_status status;
  net_status code;  // NET_OK when ok, closed, or the error carries no error-code
} outcome;

// The stream-error stored at `at` of a result whose tag is at 0.
static outcome outcome_at(const abi_ret_area* ret, uint32_t at) {
  outcome o = {STREAM_OK, NET_OK};
  if (abi_load_u8(ret->bytes, 0) == 0) return o;
  if (abi_load_u8(ret->bytes, at) == 1) {
    o.status = STREAM_CLOSED;
    return o;
  }
  uint32_t error = abi_load_u32(ret->bytes, at + 4);
  o.status = STREAM_FAILED;
  o.code = network_error_code(error);
  wasi_io_error_drop_raw(error);
  return o;
}

static outcome do_read(input_stream in, uint64_t len) {
  abi_ret_area ret;
  wasi_input_read_raw(in, (int64_t)len, ret.bytes);
  if (abi_load_u8(ret.bytes, 0) == 0) free((void*)(uintptr_t)abi_load_u32(ret.bytes, 4));
  return outcome_at(&ret, 4);
}

static outcome do_check_write(output_stream out) {
  abi_ret_area ret;
  wasi_output_check_write_raw(out, ret.bytes);
  return outcome_at(&ret, 8);
}

static outcome do_write(output_stream out, const void* data, uint32_t len) {
  abi_ret_area ret;
  wasi_output_write_raw(out, (const uint8_t*)data, len, ret.bytes);
  return outcome_at(&ret, 4);
}

static outcome do_flush(output_stream out) {
  abi_ret_area ret;
  wasi_output_flush_raw(out, ret.bytes);
  return outcome_at(&ret, 4);
}

static outcome do_blocking_write_and_flush(output_stream out, const void* data, uint32_t len) {
  abi_ret_area ret;
  wasi_output_blocking_write_and_flush_raw(out, (const uint8_t*)data, len, ret.bytes);
  return outcome_at(&ret, 4);
}

static const char* outcome_name(outcome o) {
  static char text[64];
  if (o.status != STREAM_FAILED) return stream_status_name(o.status);
  snprintf(text, sizeof text, "last-operation-failed(%s)", net_status_name(o.code));
  return text;
}

#define EXPECT_OUTCOME(expr, want_status, want_code)                              \
  do {                                                                            \
    outcome got_ = (expr);                                                        \
    if (got_.status != (want_status) || got_.code != (want_code)) {               \
      outcome want_ = {(want_status), (want_code)};                               \
      char want_text_[64];                                                        \
      snprintf(want_text_, sizeof want_text_, "%s", outcome_name(want_));         \
      FAIL_NOW("%s: expected %s, got %s", #expr, want_text_, outcome_name(got_)); \
    }                                                                             \
  } while (0)

#define EXPECT_CLOSED(expr) EXPECT_OUTCOME(expr, STREAM_CLOSED, NET_OK)
#define EXPECT_RESET(expr) EXPECT_OUTCOME(expr, STREAM_FAILED, ERR_CONNECTION_RESET)

static void sleep_ms(uint64_t ms) {
  pollable t = clock_subscribe_duration(ms * NS_PER_MS);
  pollable_block(t);
  pollable_drop(t);
}

static uint8_t chunk[65536];

// Writes until the output stays without permit for `quiet_ms`: the broker's read-ahead and both
// kernels' buffers are full. Returns false (case failed) on a stream error or past `cap` bytes.
static bool fill_until_stuck(output_stream out, uint64_t cap, uint64_t quiet_ms) {
  pollable ready = output_subscribe(out);
  uint64_t total = 0;
  bool ok = true;
  while (total < cap) {
    uint64_t permit = 0;
    stream_status st = output_check_write(out, &permit);
    if (st != STREAM_OK) {
      check_fail(__FILE__, __LINE__, "check-write while filling: %s", stream_status_name(st));
      ok = false;
      break;
    }
    if (permit == 0) {
      if (!ready_within(ready, quiet_ms * NS_PER_MS)) break;
      continue;
    }
    uint32_t n = permit < sizeof chunk ? (uint32_t)permit : (uint32_t)sizeof chunk;
    st = output_write(out, chunk, n);
    if (st != STREAM_OK) {
      check_fail(__FILE__, __LINE__, "write while filling: %s", stream_status_name(st));
      ok = false;
      break;
    }
    total += n;
  }
  pollable_drop(ready);
  if (ok && total >= cap) {
    check_fail(__FILE__, __LINE__, "the output never filled up within %llu bytes",
               (unsigned long long)cap);
    ok = false;
  }
  return ok;
}

// Sends the client more than the broker reads ahead for it (1 MiB), all flushed, and lets it
// reach the client's kernel: bytes the client never reads, with nothing left to send.
static bool leave_unread(tcp_pair* p) {
  uint32_t left = (1u << 20) + (64u << 10);
  while (left > 0) {
    uint32_t n = left < sizeof chunk ? left : (uint32_t)sizeof chunk;
    stream_status st = write_all(p->server_out, chunk, n);
    if (st != STREAM_OK) {
      check_fail(__FILE__, __LINE__, "writing the unread bytes: %s", stream_status_name(st));
      return false;
    }
    left -= n;
  }
  sleep_ms(200);
  return true;
}

static void drop_client(tcp_pair* p) {
  input_drop(p->client_in);
  output_drop(p->client_out);
  tcp_drop(p->client);
}

static void drop_server(tcp_pair* p) {
  input_drop(p->server_in);
  output_drop(p->server_out);
  tcp_drop(p->server);
  tcp_drop(p->listener);
}

static bool wait_input(input_stream in) {
  pollable p = input_subscribe(in);
  bool ready = ready_within(p, WAIT_LIMIT_NS);
  pollable_drop(p);
  return ready;
}

// The peer resets while the server's output is idle (everything written reached the kernel):
// read fails once with connection-reset, then the input is closed, also for read(0).
static void reset_read_fails_then_closed(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  if (!leave_unread(&p)) return;
  drop_client(&p);
  EXPECT_TRUE(wait_input(p.server_in), "the reset never made the server's input ready");
  EXPECT_RESET(do_read(p.server_in, 16));
  EXPECT_CLOSED(do_read(p.server_in, 16));
  EXPECT_CLOSED(do_read(p.server_in, 0));
  drop_server(&p);
}

// After the reset, the output fails too: its first failing call is last-operation-failed with
// connection-reset or closed (the host may have reported the reset on the input alone); after a
// failure every call is closed.
static void reset_then_output_ends(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  if (!leave_unread(&p)) return;
  drop_client(&p);
  EXPECT_TRUE(wait_input(p.server_in), "the reset never made the server's input ready");
  outcome first = {STREAM_OK, NET_OK};
  for (int i = 0; i < 50 && first.status == STREAM_OK; i++) {
    first = do_check_write(p.server_out);
    if (first.status == STREAM_OK) first = do_blocking_write_and_flush(p.server_out, "x", 1);
    if (first.status == STREAM_OK) sleep_ms(20);
  }
  EXPECT_TRUE(first.status != STREAM_OK, "the output kept working after the peer's reset");
  EXPECT_TRUE(first.status == STREAM_CLOSED || first.code == ERR_CONNECTION_RESET,
              "first output failure: expected closed or last-operation-failed(connection-reset), "
              "got %s",
              outcome_name(first));
  EXPECT_CLOSED(do_check_write(p.server_out));
  EXPECT_CLOSED(do_write(p.server_out, "x", 0));
  EXPECT_CLOSED(do_flush(p.server_out));
  EXPECT_CLOSED(do_blocking_write_and_flush(p.server_out, "x", 1));
  drop_server(&p);
}

// The peer closed cleanly (nothing unread): the input is closed, never failed. Writes then make
// the peer's kernel answer with a reset: a write fails with last-operation-failed
// (connection-reset), and every later call on the output is closed.
static void peer_closed_then_write_fails_once(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  drop_client(&p);
  EXPECT_TRUE(wait_input(p.server_in), "the peer's close never made the server's input ready");
  EXPECT_CLOSED(do_read(p.server_in, 16));
  EXPECT_CLOSED(do_read(p.server_in, 0));
  outcome failed = {STREAM_OK, NET_OK};
  int attempts = 0;
  while (attempts++ < 50 && failed.status == STREAM_OK) {
    failed = do_blocking_write_and_flush(p.server_out, "x", 1);
    if (failed.status == STREAM_OK) failed = do_check_write(p.server_out);
    if (failed.status == STREAM_OK) sleep_ms(20);
  }
  EXPECT_RESET(failed);
  EXPECT_CLOSED(do_check_write(p.server_out));
  EXPECT_CLOSED(do_write(p.server_out, "x", 0));
  EXPECT_CLOSED(do_flush(p.server_out));
  EXPECT_CLOSED(do_blocking_write_and_flush(p.server_out, "x", 1));
  drop_server(&p);
}

// The reset comes while the server still has bytes waiting to go out: the read still reports the
// reset (the failed write must not swallow it into a clean end of stream).
static void reset_with_pending_output_read_fails(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  // Until no permit comes for 300 ms: bytes wait in the host when the reset arrives.
  if (!fill_until_stuck(p.server_out, 64u << 20, 300)) return;
  drop_client(&p);
  EXPECT_TRUE(wait_input(p.server_in), "the reset never made the server's input ready");
  EXPECT_RESET(do_read(p.server_in, 16));
  EXPECT_CLOSED(do_read(p.server_in, 16));
  drop_server(&p);
}

WASI_IMPORT(ERROR_MODULE, "[method]error.to-debug-string")
extern void wasi_io_error_to_debug_string_raw(uint32_t, void*);

// An error is a resource of its own, not a child of the stream that failed (wasi:io/error names
// no parent; wasmtime pushes it without one): it stays usable after the stream and the socket are
// dropped, and dropping them first does not trap.
static void error_outlives_its_stream(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  if (!leave_unread(&p)) return;
  drop_client(&p);
  EXPECT_TRUE(wait_input(p.server_in), "the reset never made the server's input ready");
  abi_ret_area ret;
  wasi_input_read_raw(p.server_in, 16, ret.bytes);
  EXPECT_TRUE(abi_load_u8(ret.bytes, 0) == 1 && abi_load_u8(ret.bytes, 4) == 0,
              "read after the reset did not fail with last-operation-failed");
  uint32_t error = abi_load_u32(ret.bytes, 8);
  drop_server(&p);
  EXPECT_NET(network_error_code(error), ERR_CONNECTION_RESET);
  abi_ret_area text;
  wasi_io_error_to_debug_string_raw(error, text.bytes);
  uint32_t len = abi_load_u32(text.bytes, 4);
  free((void*)(uintptr_t)abi_load_u32(text.bytes, 0));
  wasi_io_error_drop_raw(error);
  EXPECT_TRUE(len > 0, "to-debug-string is empty");
}

int main(void) {
  check_init();
  memset(chunk, 'z', sizeof chunk);
  RUN_BOTH_FAMILIES("tcp_stream_errors.reset_read_fails_then_closed", reset_read_fails_then_closed);
  RUN_BOTH_FAMILIES("tcp_stream_errors.reset_then_output_ends", reset_then_output_ends);
  RUN_BOTH_FAMILIES("tcp_stream_errors.peer_closed_then_write_fails_once",
                    peer_closed_then_write_fails_once);
  RUN_BOTH_FAMILIES("tcp_stream_errors.reset_with_pending_output_read_fails",
                    reset_with_pending_output_read_fails);
  RUN_BOTH_FAMILIES("tcp_stream_errors.error_outlives_its_stream", error_outlives_its_stream);
  return check_finish();
}
