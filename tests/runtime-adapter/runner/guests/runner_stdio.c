// Test guest for wasi-socket-run's pass-through of arguments, stdio and exit status. Imports no
// wasi:sockets interface, so it runs without a broker.
//
//   runner_stdio [exit=N | trap | ARG...]
//
// Prints every argument, then the first line of stdin, then a line to stderr. "exit=N" returns N
// from main (the 0.2.12 preview1 adapter reports every non-zero status as wasi:cli/exit err, i.e.
// 1); "trap" executes `unreachable`.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char** argv) {
  setvbuf(stdout, NULL, _IONBF, 0);  // the 0.2.12 adapter loses the first buffered line otherwise
  int status = 0;
  for (int i = 0; i < argc; i++) {
    printf("argv[%d]=%s\n", i, argv[i]);
    if (strncmp(argv[i], "exit=", 5) == 0) status = atoi(argv[i] + 5);
    if (strcmp(argv[i], "trap") == 0) __builtin_trap();
  }
  char line[256];
  if (fgets(line, sizeof line, stdin) != NULL) printf("stdin: %s", line);
  fprintf(stderr, "runner_stdio: to stderr\n");
  return status;
}
