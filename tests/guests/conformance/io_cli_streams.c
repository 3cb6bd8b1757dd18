// wasi:io/poll on the streams of wasi:cli (stdin, stdout), which the runtime's host serves while
// the broker serves poll: the reference host's pollable and stream-pollable checks.
#include "wasi_guest/check.h"
#include "wasi_guest/cli.h"

// stdin, fetched once: the reference JS host cannot hand stdin out again once a handle was dropped.
static input_stream shared_stdin(void) {
  static bool have = false;
  static input_stream in;
  if (!have) {
    in = cli_stdin();
    have = true;
  }
  return in;
}

// One stream's pollable listed twice, next to a second pollable of the same stream: poll returns
// ready indices only, at least one (stdin is at its end or has data: ready).
static void same_stream_pollables(ip_family f) {
  (void)f;
  input_stream in = shared_stdin();
  pollable p1 = input_subscribe(in), p2 = input_subscribe(in);
  pollable list[4] = {p1, p2, p1, p2};
  uint32_t ready[8];
  uint32_t n = poll_list(list, 4, ready, 8);
  EXPECT_TRUE(n >= 1 && n <= 4, "poll reported %u indices", n);
  for (uint32_t i = 0; i < n && i < 8; i++)
    EXPECT_TRUE(ready[i] < 4, "index %u reported", ready[i]);
  pollable_drop(p2);
  pollable_drop(p1);
}

// block() returns once ready and ready() then says true; a pollable serves many rounds. Drops
// stdin (after its pollable) as the reference host's check does.
static void block_then_ready(ip_family f) {
  (void)f;
  input_stream in = shared_stdin();
  pollable in_ready = input_subscribe(in);
  pollable_block(in_ready);
  EXPECT_TRUE(pollable_ready(in_ready), "stdin: ready() false after block()");
  pollable_drop(in_ready);
  input_drop(in);
  output_stream out = cli_stdout();
  pollable out_ready = output_subscribe(out);
  static const char line[] = "# stdout pollable round\n";
  for (int round = 0; round < 9; round++) {
    pollable_block(out_ready);
    EXPECT_TRUE(pollable_ready(out_ready), "stdout: ready() false after block() (round %d)", round);
    uint64_t permit = 0;
    EXPECT_STREAM(output_check_write(out, &permit), STREAM_OK);
    EXPECT_TRUE(permit >= sizeof line - 1, "stdout permits %llu bytes", (unsigned long long)permit);
    EXPECT_STREAM(output_write(out, line, sizeof line - 1), STREAM_OK);
  }
  EXPECT_STREAM(output_blocking_flush(out), STREAM_OK);
  pollable_drop(out_ready);
  output_drop(out);
}

int main(void) {
  check_init();
  RUN_FAMILY("io_cli_streams.same_stream_pollables", same_stream_pollables, FAMILY_IPV4);
  RUN_FAMILY("io_cli_streams.block_then_ready", block_then_ready, FAMILY_IPV4);
  return check_finish();
}
