// wasi:io/streams as TCP sockets use them, beyond read and write: skip, write-zeroes, splice,
// flush, and the pollables of closed streams (WIT streams.wit).
#include "wasi_guest/fixtures.h"

// Reads exactly `len` bytes into buf within WAIT_LIMIT_NS (a lost byte must fail the case, not
// hang it); STREAM_FAILED on timeout.
static stream_status read_exactly(input_stream in, uint8_t* buf, uint32_t len) {
  uint32_t got = 0;
  uint64_t deadline = clock_now_ns() + WAIT_LIMIT_NS;
  pollable p = input_subscribe(in);
  stream_status st = STREAM_OK;
  while (got < len && st == STREAM_OK) {
    uint64_t now = clock_now_ns();
    if (now >= deadline || !ready_within(p, deadline - now)) {
      st = STREAM_FAILED;
      break;
    }
    bytes b = {0};
    st = input_read(in, len - got, &b);
    if (st == STREAM_OK) memcpy(buf + got, b.data, b.len);
    got += b.len;
    bytes_free(&b);
  }
  pollable_drop(p);
  return st;
}

// skip(n) consumes at most n bytes and returns how many; reading continues after them.
static void skip_then_read(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  EXPECT_STREAM(write_all(p.client_out, "0123456789", 10), STREAM_OK);
  uint64_t skipped = 0;
  EXPECT_STREAM(input_blocking_skip(p.server_in, 4, &skipped), STREAM_OK);
  EXPECT_TRUE(skipped > 0 && skipped <= 4, "blocking-skip(4) skipped %llu",
              (unsigned long long)skipped);
  uint64_t more = 0;
  if (skipped < 4) EXPECT_STREAM(input_skip(p.server_in, 4 - skipped, &more), STREAM_OK);
  uint8_t rest[16] = {0};
  uint32_t rest_len = (uint32_t)(10 - skipped - more);
  EXPECT_STREAM(read_exactly(p.server_in, rest, rest_len), STREAM_OK);
  static const char digits[] = "0123456789";
  EXPECT_TRUE(memcmp(rest, digits + (10 - rest_len), rest_len) == 0,
              "read after skip returned other bytes");
  tcp_pair_drop(&p);
}

// After the peer's FIN and the data, skip and blocking-skip say closed.
static void skip_at_end_closed(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  EXPECT_OK(tcp_shutdown(p.client, SHUTDOWN_SEND));
  uint64_t skipped = 0;
  EXPECT_STREAM(input_blocking_skip(p.server_in, 10, &skipped), STREAM_CLOSED);
  EXPECT_STREAM(input_skip(p.server_in, 10, &skipped), STREAM_CLOSED);
  tcp_pair_drop(&p);
}

// write-zeroes within the permit and blocking-write-zeroes-and-flush both deliver zero bytes.
static void zeroes_arrive(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  pollable out = output_subscribe(p.client_out);
  pollable_block(out);
  pollable_drop(out);
  uint64_t permit = 0;
  EXPECT_STREAM(output_check_write(p.client_out, &permit), STREAM_OK);
  EXPECT_TRUE(permit >= 100, "check-write permits %llu", (unsigned long long)permit);
  EXPECT_STREAM(output_write_zeroes(p.client_out, 100), STREAM_OK);
  EXPECT_STREAM(output_blocking_flush(p.client_out), STREAM_OK);
  EXPECT_STREAM(output_blocking_write_zeroes_and_flush(p.client_out, 10), STREAM_OK);
  EXPECT_STREAM(output_blocking_write_and_flush(p.client_out, "!", 1), STREAM_OK);
  uint8_t buf[111];
  memset(buf, 0xff, sizeof buf);
  EXPECT_STREAM(read_exactly(p.server_in, buf, sizeof buf), STREAM_OK);
  for (uint32_t i = 0; i < 110; i++) EXPECT_TRUE(buf[i] == 0, "byte %u is %u", i, buf[i]);
  EXPECT_TRUE(buf[110] == '!', "the byte after the zeroes is %u", buf[110]);
  tcp_pair_drop(&p);
}

// splice and blocking-splice move bytes from one connection's input to another's output; once
// the source has ended, splice says closed.
static void splice_between_connections(ip_family f) {
  tcp_pair a, b;
  if (!tcp_loopback_pair(f, &a) || !tcp_loopback_pair(f, &b)) return;
  EXPECT_STREAM(write_all(a.client_out, "spliced!", 8), STREAM_OK);
  uint64_t moved = 0, total = 0;
  EXPECT_STREAM(output_blocking_splice(b.client_out, a.server_in, 8, &moved), STREAM_OK);
  EXPECT_TRUE(moved > 0 && moved <= 8, "blocking-splice moved %llu", (unsigned long long)moved);
  total = moved;
  pollable in = input_subscribe(a.server_in);
  while (total < 8 && ready_within(in, WAIT_LIMIT_NS)) {
    EXPECT_STREAM(output_splice(b.client_out, a.server_in, 8 - total, &moved), STREAM_OK);
    total += moved;
  }
  pollable_drop(in);
  EXPECT_TRUE(total == 8, "splice moved %llu of 8 bytes", (unsigned long long)total);
  EXPECT_STREAM(output_blocking_flush(b.client_out), STREAM_OK);
  uint8_t buf[8];
  EXPECT_STREAM(read_exactly(b.server_in, buf, sizeof buf), STREAM_OK);
  EXPECT_TRUE(memcmp(buf, "spliced!", 8) == 0, "the spliced bytes differ");
  EXPECT_OK(tcp_shutdown(a.client, SHUTDOWN_SEND));
  EXPECT_STREAM(output_blocking_splice(b.client_out, a.server_in, 8, &moved), STREAM_CLOSED);
  tcp_pair_drop(&b);
  tcp_pair_drop(&a);
}

// flush: the written bytes go out; the pollable becomes ready once the flush completed and
// check-write then permits more.
static void flush_then_ready(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  uint64_t permit = 0;
  EXPECT_STREAM(output_check_write(p.client_out, &permit), STREAM_OK);
  EXPECT_STREAM(output_write(p.client_out, "flushed", 7), STREAM_OK);
  EXPECT_STREAM(output_flush(p.client_out), STREAM_OK);
  pollable out = output_subscribe(p.client_out);
  EXPECT_TRUE(ready_within(out, WAIT_LIMIT_NS), "output pollable not ready after flush");
  pollable_drop(out);
  EXPECT_STREAM(output_check_write(p.client_out, &permit), STREAM_OK);
  EXPECT_TRUE(permit > 0, "check-write permits 0 after the flush completed");
  uint8_t buf[7];
  EXPECT_STREAM(read_exactly(p.server_in, buf, sizeof buf), STREAM_OK);
  EXPECT_TRUE(memcmp(buf, "flushed", 7) == 0, "the flushed bytes differ");
  tcp_pair_drop(&p);
}

// No false trap: the permit is for the next write, and what is not a write leaves it where the
// reference host leaves it: an empty write, flush (a write within the permit still goes out while
// the flush is in progress), and blocking-flush, which ends with the stream ready for writing.
static void permit_kept_by_non_writes(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  uint64_t permit = 0;
  EXPECT_STREAM(output_check_write(p.client_out, &permit), STREAM_OK);
  EXPECT_TRUE(permit >= 2, "check-write permits %llu", (unsigned long long)permit);
  EXPECT_STREAM(output_write(p.client_out, "", 0), STREAM_OK);
  EXPECT_STREAM(output_flush(p.client_out), STREAM_OK);
  EXPECT_STREAM(output_write(p.client_out, "a", 1), STREAM_OK);
  EXPECT_STREAM(output_blocking_flush(p.client_out), STREAM_OK);
  EXPECT_STREAM(output_write(p.client_out, "b", 1), STREAM_OK);
  EXPECT_STREAM(output_blocking_flush(p.client_out), STREAM_OK);
  uint8_t buf[2];
  EXPECT_STREAM(read_exactly(p.server_in, buf, sizeof buf), STREAM_OK);
  EXPECT_TRUE(memcmp(buf, "ab", 2) == 0, "the bytes written differ");
  tcp_pair_drop(&p);
}

// "If the stream is closed, this pollable is always ready immediately" (output), and an input
// stream's pollable is ready once the stream is closed.
static void closed_streams_pollables_ready(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  EXPECT_OK(tcp_shutdown(p.client, SHUTDOWN_BOTH));
  pollable out = output_subscribe(p.client_out), in = input_subscribe(p.client_in);
  EXPECT_TRUE(pollable_ready(out), "output pollable not ready after shutdown(send)");
  EXPECT_TRUE(pollable_ready(in), "input pollable not ready after shutdown(receive)");
  pollable_drop(in);
  pollable_drop(out);
  bytes b = {0};
  EXPECT_STREAM(input_read(p.client_in, 1, &b), STREAM_CLOSED);
  tcp_pair_drop(&p);
}

// Lengths far beyond anything available (u64 max) are clamped to what there is: no trap, no
// huge allocation.
static void huge_lengths_clamped(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  EXPECT_STREAM(write_all(p.client_out, "0123456789", 10), STREAM_OK);
  pollable in = input_subscribe(p.server_in);
  EXPECT_TRUE(ready_within(in, WAIT_LIMIT_NS), "data never became readable");
  pollable_drop(in);
  bytes b = {0};
  EXPECT_STREAM(input_read(p.server_in, UINT64_MAX, &b), STREAM_OK);
  EXPECT_TRUE(b.len > 0 && b.len <= 10, "read(u64 max) returned %u bytes", b.len);
  uint32_t got = b.len;
  bytes_free(&b);
  if (got < 10) {
    uint64_t skipped = 0;
    EXPECT_STREAM(input_blocking_skip(p.server_in, UINT64_MAX, &skipped), STREAM_OK);
    EXPECT_TRUE(skipped > 0 && skipped <= 10 - got, "skip(u64 max) skipped %llu",
                (unsigned long long)skipped);
  }
  tcp_pair_drop(&p);
}

// The peer is gone (closed with its streams): writing soon fails (closed or last-operation-failed)
// and the output pollable is ready for it; check-write then fails too and reading ends. Nothing
// hangs.
static void peer_gone_write_fails(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  input_drop(p.server_in);
  output_drop(p.server_out);
  tcp_drop(p.server);
  static uint8_t chunk[4096];
  pollable out = output_subscribe(p.client_out);
  stream_status st = STREAM_OK;
  uint64_t deadline = clock_now_ns() + WAIT_LIMIT_NS;
  while (st == STREAM_OK && clock_now_ns() < deadline) {
    if (!ready_within(out, deadline - clock_now_ns())) break;
    uint64_t permit = 0;
    st = output_check_write(p.client_out, &permit);
    if (st == STREAM_OK && permit > 0)
      st = output_write(p.client_out, chunk,
                        permit < sizeof chunk ? (uint32_t)permit : sizeof chunk);
    if (st == STREAM_OK) st = output_flush(p.client_out);
  }
  pollable_drop(out);
  EXPECT_TRUE(st != STREAM_OK, "writes to a closed peer kept succeeding for 5 s");
  uint64_t permit = 0;
  EXPECT_TRUE(output_check_write(p.client_out, &permit) != STREAM_OK,
              "check-write succeeds after the stream failed");
  pollable in = input_subscribe(p.client_in);
  bool in_ready = ready_within(in, WAIT_LIMIT_NS);
  pollable_drop(in);
  EXPECT_TRUE(in_ready, "the input of a dead connection never became ready");
  bytes b = {0};
  stream_status rd = input_read(p.client_in, 10, &b);
  bytes_free(&b);
  EXPECT_TRUE(rd != STREAM_OK, "reading a dead connection returned data");
  input_drop(p.client_in);
  output_drop(p.client_out);
  tcp_drop(p.client);
  tcp_drop(p.listener);
}

// After shutdown(receive) the input stays closed, even when the peer keeps sending afterwards
// (POSIX would hand later data to recv after SHUT_RD on Linux).
static void input_stays_closed_after_shutdown_receive(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  EXPECT_OK(tcp_shutdown(p.server, SHUTDOWN_RECEIVE));
  bytes b = {0};
  EXPECT_STREAM(input_read(p.server_in, 10, &b), STREAM_CLOSED);
  stream_status st = write_all(p.client_out, "late data", 9);
  EXPECT_TRUE(st == STREAM_OK || st == STREAM_FAILED, "the peer's write ended %s",
              stream_status_name(st));
  pollable in = input_subscribe(p.server_in);
  ready_within(in, 200 * NS_PER_MS);  // give the late data time to arrive
  EXPECT_TRUE(pollable_ready(in), "a closed input's pollable is not ready");
  pollable_drop(in);
  EXPECT_STREAM(input_read(p.server_in, 10, &b), STREAM_CLOSED);
  EXPECT_STREAM(input_blocking_read(p.server_in, 10, &b), STREAM_CLOSED);
  tcp_pair_drop(&p);
}

int main(void) {
  check_init();
  RUN_BOTH_FAMILIES("io_streams.skip_then_read", skip_then_read);
  RUN_BOTH_FAMILIES("io_streams.skip_at_end_closed", skip_at_end_closed);
  RUN_BOTH_FAMILIES("io_streams.zeroes_arrive", zeroes_arrive);
  RUN_BOTH_FAMILIES("io_streams.splice_between_connections", splice_between_connections);
  RUN_BOTH_FAMILIES("io_streams.flush_then_ready", flush_then_ready);
  RUN_BOTH_FAMILIES("io_streams.permit_kept_by_non_writes", permit_kept_by_non_writes);
  RUN_BOTH_FAMILIES("io_streams.closed_streams_pollables_ready", closed_streams_pollables_ready);
  RUN_BOTH_FAMILIES("io_streams.huge_lengths_clamped", huge_lengths_clamped);
  RUN_BOTH_FAMILIES("io_streams.peer_gone_write_fails", peer_gone_write_fails);
  RUN_BOTH_FAMILIES("io_streams.input_stays_closed_after_shutdown_receive",
                    input_stays_closed_after_shutdown_receive);
  return check_finish();
}
