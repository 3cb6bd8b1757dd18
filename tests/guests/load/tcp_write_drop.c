// Bytes written and then dropped at once are all delivered (issue 9, item 4, as a guest sees it).
//
//   tcp_write_drop [MiB]
//
// One loopback connection inside the guest. The client writes MiB (default 4) of a known pattern
// within check-write's permits, never flushing, while the server side reads; right after the last
// write the client drops its pollables, streams and socket. The server must then read every byte,
// in order (checksum), and see the end of the stream within 5 s.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_guest/check.h"
#include "wasi_guest/fixtures.h"

#define CHUNK 65536
#define EOF_LIMIT_NS (5 * NS_PER_S)

static uint64_t total_bytes = 4u << 20;

static uint8_t pattern_at(uint64_t offset) { return (uint8_t)(offset * 131 + (offset >> 16)); }

typedef struct {
  uint64_t received;
  uint64_t mismatch_at;  // first offset whose byte differs, or UINT64_MAX
  bool ended;
} reader;

// Reads what is there; false on a stream failure.
static bool read_available(input_stream in, reader* r) {
  for (;;) {
    bytes data = {0};
    stream_status st = input_read(in, CHUNK, &data);
    if (st == STREAM_CLOSED) {
      r->ended = true;
      return true;
    }
    if (st != STREAM_OK) return false;
    for (uint32_t i = 0; i < data.len; i++) {
      if (r->mismatch_at == UINT64_MAX && data.data[i] != pattern_at(r->received + i))
        r->mismatch_at = r->received + i;
    }
    r->received += data.len;
    uint32_t len = data.len;
    bytes_free(&data);
    if (len == 0) return true;
  }
}

static void write_then_drop(ip_family f) {
  tcp_pair p;
  if (!tcp_loopback_pair(f, &p)) return;
  pollable out_ready = output_subscribe(p.client_out);
  pollable in_ready = input_subscribe(p.server_in);
  reader r = {0, UINT64_MAX, false};
  static uint8_t chunk[CHUNK];
  uint64_t written = 0;
  while (written < total_bytes) {
    uint64_t permit = 0;
    if (output_check_write(p.client_out, &permit) != STREAM_OK) FAIL_NOW("check-write failed");
    if (permit == 0) {
      pollable both[2] = {out_ready, in_ready};
      uint32_t ready[2];
      poll_list(both, 2, ready, 2);
      if (!read_available(p.server_in, &r)) FAIL_NOW("server read failed");
      continue;
    }
    uint64_t n = total_bytes - written;
    if (n > permit) n = permit;
    if (n > CHUNK) n = CHUNK;
    for (uint64_t i = 0; i < n; i++) chunk[i] = pattern_at(written + i);
    if (output_write(p.client_out, chunk, (uint32_t)n) != STREAM_OK) FAIL_NOW("write failed");
    written += n;
  }
  // At once: no flush, no wait for the bytes in flight.
  pollable_drop(out_ready);
  output_drop(p.client_out);
  input_drop(p.client_in);
  tcp_drop(p.client);

  uint64_t deadline = clock_now_ns() + EOF_LIMIT_NS;
  while (!r.ended) {
    uint64_t now = clock_now_ns();
    if (now >= deadline) break;
    ready_within(in_ready, deadline - now);
    if (!read_available(p.server_in, &r)) FAIL_NOW("server read failed after the drop");
  }
  pollable_drop(in_ready);
  input_drop(p.server_in);
  output_drop(p.server_out);
  tcp_drop(p.server);
  tcp_drop(p.listener);
  EXPECT_TRUE(r.received == total_bytes, "%llu of %llu bytes arrived",
              (unsigned long long)r.received, (unsigned long long)total_bytes);
  EXPECT_TRUE(r.mismatch_at == UINT64_MAX, "byte %llu differs", (unsigned long long)r.mismatch_at);
  EXPECT_TRUE(r.ended, "no end of stream within 5 s of the drop");
}

int main(int argc, char** argv) {
  check_init();
  if (argc > 1) total_bytes = strtoull(argv[1], NULL, 10) << 20;
  RUN_BOTH_FAMILIES("tcp_write_drop.all_bytes_arrive", write_then_drop);
  return check_finish();
}
