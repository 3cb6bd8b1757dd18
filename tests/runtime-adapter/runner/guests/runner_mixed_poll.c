// Test guest for a poll() that mixes preview2-shim's pollables (stdin) with the broker's (clock).
// It imports wasi:sockets, so wasi-socket-run serves wasi:io and the monotonic clock through the
// broker while stdin stays on preview2-shim; wasi-libc's poll() becomes the preview1 adapter's
// poll_oneoff, which polls the stdin stream's pollable and a monotonic-clock pollable together.
//
// Prints "first poll: ... after N ms" for a 200 ms poll on an idle stdin (preview2-shim reports its
// stdin pollable ready at once, so this returns early on both hosts), then "waiting for stdin",
// then "stdin: LINE" once the test writes a line.
#include <poll.h>
#include <stdio.h>
#include <unistd.h>

#include "wasi_guest/check.h"
#include "wasi_guest/io.h"
#include "wasi_guest/network.h"

static long elapsed_ms(uint64_t since_ns) {
  return (long)((clock_now_ns() - since_ns) / NS_PER_MS);
}

int main(void) {
  check_init();
  network_drop(instance_network());  // a wasi:sockets import: the run uses the broker

  struct pollfd in = {.fd = 0, .events = POLLIN};
  const uint64_t start = clock_now_ns();
  int n = poll(&in, 1, 200);
  printf("first poll: %s after %ld ms\n", n == 0 ? "timeout" : "stdin ready", elapsed_ms(start));

  printf("waiting for stdin\n");
  n = poll(&in, 1, 10000);
  char line[128] = "";
  if (n == 1 && fgets(line, sizeof line, stdin) != NULL) {
    printf("stdin: %s", line);
    return 0;
  }
  printf("unexpected: poll returned %d\n", n);
  return 1;
}
