// A stream failure hands the guest a live wasi:io/error (issue 9 item 1, the deterministic form of
// what outside_server.c meets under wrk): the peer resets the connection (it closes with bytes
// unread, so the kernel sends RST); the server's read ends (closed, or failed) and its writes then
// fail with last-operation-failed, and every such error's to-debug-string answers before the
// error is dropped.
// The addon used to hand out error handle 0 here: to-debug-string trapped with "unknown resource
// handle 0" and the real error resource leaked in the C host.
#include <stdlib.h>

#include "wasi_guest/check.h"
#include "wasi_guest/fixtures.h"

WASI_IMPORT(ERROR_MODULE, "[method]error.to-debug-string")
extern void wasi_io_error_to_debug_string_raw(uint32_t, void*);

// The stream-error at `at` of a failed call: last-operation-failed with an error that can say
// what it is. Returns false (case failed) otherwise.
static bool expect_live_error(const abi_ret_area* ret, uint32_t at, const char* call) {
  if (abi_load_u8(ret->bytes, 0) == 0) {
    check_fail(__FILE__, __LINE__, "%s succeeded after the peer's reset", call);
    return false;
  }
  if (abi_load_u8(ret->bytes, at) != 0) {
    check_fail(__FILE__, __LINE__, "%s: closed, expected last-operation-failed", call);
    return false;
  }
  uint32_t error = abi_load_u32(ret->bytes, at + 4);
  abi_ret_area text;
  wasi_io_error_to_debug_string_raw(error, text.bytes);  // traps on a dead or bogus handle
  uint32_t len = abi_load_u32(text.bytes, 4);
  free((void*)(uintptr_t)abi_load_u32(text.bytes, 0));
  wasi_io_error_drop_raw(error);
  if (len == 0) {
    check_fail(__FILE__, __LINE__, "%s: to-debug-string is empty", call);
    return false;
  }
  return true;
}

static void reset_then_read_and_write(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  // Bytes the client never reads: dropping it then resets the connection.
  EXPECT_STREAM(write_all(p.server_out, "unread", 6), STREAM_OK);
  pollable client_ready = input_subscribe(p.client_in);
  bool arrived = ready_within(client_ready, WAIT_LIMIT_NS);
  pollable_drop(client_ready);
  EXPECT_TRUE(arrived, "the server's bytes never reached the client");
  input_drop(p.client_in);
  output_drop(p.client_out);
  tcp_drop(p.client);

  pollable server_ready = input_subscribe(p.server_in);
  bool reset_seen = ready_within(server_ready, WAIT_LIMIT_NS);
  pollable_drop(server_ready);
  EXPECT_TRUE(reset_seen, "the reset never made the server's input ready");
  abi_ret_area ret;
  wasi_input_read_raw(p.server_in, 16, ret.bytes);
  // The read may report the reset as the end of the stream; a failure must carry a live error.
  bool read_ok = abi_load_u8(ret.bytes, 4) == 1 || expect_live_error(&ret, 4, "read");
  if (read_ok) {
    // Write until the reset shows (the first writes may still be accepted by the host).
    bool failed = false;
    for (int i = 0; i < 100 && !failed; i++) {
      wasi_output_blocking_write_and_flush_raw(p.server_out, (const uint8_t*)"x", 1, ret.bytes);
      if (abi_load_u8(ret.bytes, 0) != 0) {
        failed = true;
        expect_live_error(&ret, 4, "blocking-write-and-flush");
      }
    }
    if (!failed) check_fail(__FILE__, __LINE__, "writes kept succeeding after the reset");
  }
  input_drop(p.server_in);
  output_drop(p.server_out);
  tcp_drop(p.server);
  tcp_drop(p.listener);
}

int main(void) {
  check_init();
  RUN_BOTH_FAMILIES("streams.reset_error_is_live", reset_then_read_and_write);
  return check_finish();
}
