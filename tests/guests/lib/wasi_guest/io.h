// wasi:io/poll, wasi:io/streams and wasi:io/error as sockets use them, plus
// wasi:clocks/monotonic-clock (clock pollables meet socket pollables in one poll). The package
// version is WASI_GUEST_VERSION (abi.h).
#ifndef WASI_GUEST_IO_H
#define WASI_GUEST_IO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "abi.h"

#define POLL_MODULE "wasi:io/poll@" WASI_GUEST_VERSION
#define STREAMS_MODULE "wasi:io/streams@" WASI_GUEST_VERSION
#define ERROR_MODULE "wasi:io/error@" WASI_GUEST_VERSION
#define CLOCK_MODULE "wasi:clocks/monotonic-clock@" WASI_GUEST_VERSION

typedef uint32_t pollable;
typedef uint32_t input_stream;
typedef uint32_t output_stream;

WASI_IMPORT(POLL_MODULE, "[method]pollable.ready") extern int32_t wasi_pollable_ready_raw(uint32_t);
WASI_IMPORT(POLL_MODULE, "[method]pollable.block") extern void wasi_pollable_block_raw(uint32_t);
WASI_IMPORT(POLL_MODULE, "[resource-drop]pollable") extern void wasi_pollable_drop_raw(uint32_t);
WASI_IMPORT(POLL_MODULE, "poll") extern void wasi_poll_raw(const uint32_t*, uint32_t, void* ret);

static inline bool pollable_ready(pollable p) { return wasi_pollable_ready_raw(p) != 0; }
static inline void pollable_block(pollable p) { wasi_pollable_block_raw(p); }
static inline void pollable_drop(pollable p) { wasi_pollable_drop_raw(p); }

// poll(list<borrow<pollable>>) -> list<u32>. Stores up to `cap` ready indices, returns how many
// the host reported (which may exceed cap; the rest are dropped).
static inline uint32_t poll_list(const pollable* in, uint32_t count, uint32_t* ready,
                                 uint32_t cap) {
  abi_ret_area ret;
  wasi_poll_raw(in, count, ret.bytes);
  uint32_t* list = (uint32_t*)(uintptr_t)abi_load_u32(ret.bytes, 0);
  uint32_t len = abi_load_u32(ret.bytes, 4);
  for (uint32_t i = 0; i < len && i < cap; i++) ready[i] = list[i];
  free(list);
  return len;
}

// stream-error, reduced to what tests look at. A last-operation-failed error resource is dropped.
typedef enum { STREAM_OK = 0, STREAM_CLOSED, STREAM_FAILED } stream_status;

static inline const char* stream_status_name(stream_status s) {
  return s == STREAM_OK ? "ok" : s == STREAM_CLOSED ? "closed" : "last-operation-failed";
}

WASI_IMPORT(ERROR_MODULE, "[resource-drop]error") extern void wasi_io_error_drop_raw(uint32_t);

// Decodes a stream-error stored at `at` (tag u8, error handle u32 at at+4).
static inline stream_status stream_error_at(const void* ret, uint32_t at) {
  if (abi_load_u8(ret, at) == 1) return STREAM_CLOSED;
  wasi_io_error_drop_raw(abi_load_u32(ret, at + 4));
  return STREAM_FAILED;
}

WASI_IMPORT(STREAMS_MODULE, "[method]input-stream.read")
extern void wasi_input_read_raw(uint32_t, int64_t, void*);
WASI_IMPORT(STREAMS_MODULE, "[method]input-stream.blocking-read")
extern void wasi_input_blocking_read_raw(uint32_t, int64_t, void*);
WASI_IMPORT(STREAMS_MODULE, "[method]input-stream.subscribe")
extern uint32_t wasi_input_subscribe_raw(uint32_t);
WASI_IMPORT(STREAMS_MODULE, "[resource-drop]input-stream")
extern void wasi_input_drop_raw(uint32_t);

// A byte list returned by the host; release with bytes_free.
typedef struct {
  uint8_t* data;
  uint32_t len;
} bytes;

static inline void bytes_free(bytes* b) {
  free(b->data);
  b->data = NULL;
  b->len = 0;
}

static inline stream_status read_result(const abi_ret_area* ret, bytes* out) {
  if (abi_load_u8(ret->bytes, 0) != 0) return stream_error_at(ret->bytes, 4);
  out->data = (uint8_t*)(uintptr_t)abi_load_u32(ret->bytes, 4);
  out->len = abi_load_u32(ret->bytes, 8);
  return STREAM_OK;
}
static inline stream_status input_read(input_stream s, uint64_t len, bytes* out) {
  abi_ret_area ret;
  wasi_input_read_raw(s, (int64_t)len, ret.bytes);
  return read_result(&ret, out);
}
static inline stream_status input_blocking_read(input_stream s, uint64_t len, bytes* out) {
  abi_ret_area ret;
  wasi_input_blocking_read_raw(s, (int64_t)len, ret.bytes);
  return read_result(&ret, out);
}
WASI_IMPORT(STREAMS_MODULE, "[method]input-stream.skip")
extern void wasi_input_skip_raw(uint32_t, int64_t, void*);
WASI_IMPORT(STREAMS_MODULE, "[method]input-stream.blocking-skip")
extern void wasi_input_blocking_skip_raw(uint32_t, int64_t, void*);

// result<u64, stream-error>: tag @0, the u64 or the stream-error @8.
static inline stream_status u64_stream_result(const abi_ret_area* ret, uint64_t* out) {
  if (abi_load_u8(ret->bytes, 0) != 0) return stream_error_at(ret->bytes, 8);
  *out = abi_load_u64(ret->bytes, 8);
  return STREAM_OK;
}
static inline stream_status input_skip(input_stream s, uint64_t len, uint64_t* skipped) {
  abi_ret_area ret;
  wasi_input_skip_raw(s, (int64_t)len, ret.bytes);
  return u64_stream_result(&ret, skipped);
}
static inline stream_status input_blocking_skip(input_stream s, uint64_t len, uint64_t* skipped) {
  abi_ret_area ret;
  wasi_input_blocking_skip_raw(s, (int64_t)len, ret.bytes);
  return u64_stream_result(&ret, skipped);
}
static inline pollable input_subscribe(input_stream s) { return wasi_input_subscribe_raw(s); }
static inline void input_drop(input_stream s) { wasi_input_drop_raw(s); }

WASI_IMPORT(STREAMS_MODULE, "[method]output-stream.check-write")
extern void wasi_output_check_write_raw(uint32_t, void*);
WASI_IMPORT(STREAMS_MODULE, "[method]output-stream.write")
extern void wasi_output_write_raw(uint32_t, const uint8_t*, uint32_t, void*);
WASI_IMPORT(STREAMS_MODULE, "[method]output-stream.blocking-write-and-flush")
extern void wasi_output_blocking_write_and_flush_raw(uint32_t, const uint8_t*, uint32_t, void*);
WASI_IMPORT(STREAMS_MODULE, "[method]output-stream.flush")
extern void wasi_output_flush_raw(uint32_t, void*);
WASI_IMPORT(STREAMS_MODULE, "[method]output-stream.blocking-flush")
extern void wasi_output_blocking_flush_raw(uint32_t, void*);
WASI_IMPORT(STREAMS_MODULE, "[method]output-stream.subscribe")
extern uint32_t wasi_output_subscribe_raw(uint32_t);
WASI_IMPORT(STREAMS_MODULE, "[resource-drop]output-stream")
extern void wasi_output_drop_raw(uint32_t);

static inline stream_status unit_stream_result(const abi_ret_area* ret) {
  return abi_load_u8(ret->bytes, 0) == 0 ? STREAM_OK : stream_error_at(ret->bytes, 4);
}
static inline stream_status output_check_write(output_stream s, uint64_t* permit) {
  abi_ret_area ret;
  wasi_output_check_write_raw(s, ret.bytes);
  if (abi_load_u8(ret.bytes, 0) != 0) return stream_error_at(ret.bytes, 8);
  *permit = abi_load_u64(ret.bytes, 8);
  return STREAM_OK;
}
static inline stream_status output_write(output_stream s, const void* data, uint32_t len) {
  abi_ret_area ret;
  wasi_output_write_raw(s, (const uint8_t*)data, len, ret.bytes);
  return unit_stream_result(&ret);
}
static inline stream_status output_blocking_write_and_flush(output_stream s, const void* data,
                                                            uint32_t len) {
  abi_ret_area ret;
  wasi_output_blocking_write_and_flush_raw(s, (const uint8_t*)data, len, ret.bytes);
  return unit_stream_result(&ret);
}
static inline stream_status output_flush(output_stream s) {
  abi_ret_area ret;
  wasi_output_flush_raw(s, ret.bytes);
  return unit_stream_result(&ret);
}
static inline stream_status output_blocking_flush(output_stream s) {
  abi_ret_area ret;
  wasi_output_blocking_flush_raw(s, ret.bytes);
  return unit_stream_result(&ret);
}
WASI_IMPORT(STREAMS_MODULE, "[method]output-stream.write-zeroes")
extern void wasi_output_write_zeroes_raw(uint32_t, int64_t, void*);
WASI_IMPORT(STREAMS_MODULE, "[method]output-stream.blocking-write-zeroes-and-flush")
extern void wasi_output_blocking_write_zeroes_and_flush_raw(uint32_t, int64_t, void*);
WASI_IMPORT(STREAMS_MODULE, "[method]output-stream.splice")
extern void wasi_output_splice_raw(uint32_t, uint32_t, int64_t, void*);
WASI_IMPORT(STREAMS_MODULE, "[method]output-stream.blocking-splice")
extern void wasi_output_blocking_splice_raw(uint32_t, uint32_t, int64_t, void*);

static inline stream_status output_write_zeroes(output_stream s, uint64_t len) {
  abi_ret_area ret;
  wasi_output_write_zeroes_raw(s, (int64_t)len, ret.bytes);
  return unit_stream_result(&ret);
}
static inline stream_status output_blocking_write_zeroes_and_flush(output_stream s, uint64_t len) {
  abi_ret_area ret;
  wasi_output_blocking_write_zeroes_and_flush_raw(s, (int64_t)len, ret.bytes);
  return unit_stream_result(&ret);
}
// splice(src, len) -> result<u64, stream-error>: *moved receives the byte count.
static inline stream_status output_splice(output_stream s, input_stream src, uint64_t len,
                                          uint64_t* moved) {
  abi_ret_area ret;
  wasi_output_splice_raw(s, src, (int64_t)len, ret.bytes);
  return u64_stream_result(&ret, moved);
}
static inline stream_status output_blocking_splice(output_stream s, input_stream src, uint64_t len,
                                                   uint64_t* moved) {
  abi_ret_area ret;
  wasi_output_blocking_splice_raw(s, src, (int64_t)len, ret.bytes);
  return u64_stream_result(&ret, moved);
}
static inline pollable output_subscribe(output_stream s) { return wasi_output_subscribe_raw(s); }
static inline void output_drop(output_stream s) { wasi_output_drop_raw(s); }

WASI_IMPORT(CLOCK_MODULE, "now") extern int64_t wasi_clock_now_raw(void);
WASI_IMPORT(CLOCK_MODULE, "subscribe-duration")
extern uint32_t wasi_clock_subscribe_duration_raw(int64_t);

static inline uint64_t clock_now_ns(void) { return (uint64_t)wasi_clock_now_raw(); }
static inline pollable clock_subscribe_duration(uint64_t ns) {
  return wasi_clock_subscribe_duration_raw((int64_t)ns);
}

#define NS_PER_MS 1000000ull
#define NS_PER_S 1000000000ull

#endif
