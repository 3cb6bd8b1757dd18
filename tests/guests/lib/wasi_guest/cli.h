// wasi:cli/stdin and wasi:cli/stdout: the process's own byte streams, served by the runtime's
// host rather than the broker, yet polled through the same wasi:io/poll.
#ifndef WASI_GUEST_CLI_H
#define WASI_GUEST_CLI_H

#include "io.h"

WASI_IMPORT("wasi:cli/stdin@" WASI_GUEST_VERSION, "get-stdin")
extern uint32_t wasi_get_stdin_raw(void);
WASI_IMPORT("wasi:cli/stdout@" WASI_GUEST_VERSION, "get-stdout")
extern uint32_t wasi_get_stdout_raw(void);

static inline input_stream cli_stdin(void) { return wasi_get_stdin_raw(); }
static inline output_stream cli_stdout(void) { return wasi_get_stdout_raw(); }

#endif
