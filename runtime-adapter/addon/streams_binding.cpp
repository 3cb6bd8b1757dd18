// wasi:io/streams for the TCP socket's input and output streams. Stream failures throw
// {tag: "last-operation-failed", val: <error handle>}; the JS layer wraps the handle.
#include "binding_shapes.h"
#include "bindings.h"

namespace wasi_socketd::adapter::napi {
namespace {

// Largest single read handed to JS; the WIT lets read return fewer bytes than asked for, and this
// bounds the scratch buffer a guest can make us allocate with read(u64::MAX).
constexpr uint64_t kMaxReadBytes = 4 << 20;

using ReadFn = int32_t (*)(wsd_host*, uint32_t, uint64_t, uint8_t*, uint64_t*, uint32_t*);

// read / blocking-read(len) -> Uint8Array
template <ReadFn Fn>
napi_value read(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 3);
    HostBox& box = args.host_box();
    const uint64_t len = std::min(to_u64(env, args[2]), kMaxReadBytes);
    if (box.scratch.size() < len) box.scratch.resize(len);
    uint64_t n = 0;
    uint32_t error = 0;
    check(env, box, Fn(box.host, to_u32(env, args[1]), len, box.scratch.data(), &n, &error),
          &error);
    return js_bytes(env, box.scratch.data(), std::min(n, len));
  });
}

// skip / blocking-skip / write-zeroes...: f(host, stream, u64 len, u64* n, u32* error) -> n
template <int32_t (*Fn)(wsd_host*, uint32_t, uint64_t, uint64_t*, uint32_t*)>
napi_value count_op(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 3);
    uint64_t n = 0;
    uint32_t error = 0;
    check(env, args.host_box(),
          Fn(args.host(), to_u32(env, args[1]), to_u64(env, args[2]), &n, &error), &error);
    return js_u64(env, n);
  });
}

napi_value check_write(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 2);
    uint64_t permit = 0;
    uint32_t error = 0;
    check(env, args.host_box(),
          wsd_output_stream_check_write(args.host(), to_u32(env, args[1]), &permit, &error),
          &error);
    return js_u64(env, permit);
  });
}

// write / blocking-write-and-flush(contents: Uint8Array)
template <int32_t (*Fn)(wsd_host*, uint32_t, const uint8_t*, uint64_t, uint32_t*)>
napi_value write(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 3);
    const std::span<const uint8_t> bytes = to_bytes(env, args[2]);
    uint32_t error = 0;
    check(env, args.host_box(),
          Fn(args.host(), to_u32(env, args[1]), bytes.data(), bytes.size(), &error), &error);
    return js_undefined(env);
  });
}

// flush / blocking-flush
template <int32_t (*Fn)(wsd_host*, uint32_t, uint32_t*)>
napi_value flush(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 2);
    uint32_t error = 0;
    check(env, args.host_box(), Fn(args.host(), to_u32(env, args[1]), &error), &error);
    return js_undefined(env);
  });
}

// write-zeroes / blocking-write-zeroes-and-flush(len)
template <int32_t (*Fn)(wsd_host*, uint32_t, uint64_t, uint32_t*)>
napi_value write_zeroes(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 3);
    uint32_t error = 0;
    check(env, args.host_box(), Fn(args.host(), to_u32(env, args[1]), to_u64(env, args[2]), &error),
          &error);
    return js_undefined(env);
  });
}

// splice / blocking-splice(src handle, len) -> u64 moved
template <int32_t (*Fn)(wsd_host*, uint32_t, uint32_t, uint64_t, uint64_t*, uint32_t*)>
napi_value splice(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 4);
    uint64_t n = 0;
    uint32_t error = 0;
    check(env, args.host_box(),
          Fn(args.host(), to_u32(env, args[1]), to_u32(env, args[2]), to_u64(env, args[3]), &n,
             &error),
          &error);
    return js_u64(env, n);
  });
}

constexpr Function kFunctions[] = {
    {"inputStreamRead", read<wsd_input_stream_read>},
    {"inputStreamBlockingRead", read<wsd_input_stream_blocking_read>},
    {"inputStreamSkip", count_op<wsd_input_stream_skip>},
    {"inputStreamBlockingSkip", count_op<wsd_input_stream_blocking_skip>},
    {"inputStreamSubscribe", make_handle<wsd_input_stream_subscribe>},
    {"outputStreamCheckWrite", check_write},
    {"outputStreamWrite", write<wsd_output_stream_write>},
    {"outputStreamBlockingWriteAndFlush", write<wsd_output_stream_blocking_write_and_flush>},
    {"outputStreamFlush", flush<wsd_output_stream_flush>},
    {"outputStreamBlockingFlush", flush<wsd_output_stream_blocking_flush>},
    {"outputStreamWriteZeroes", write_zeroes<wsd_output_stream_write_zeroes>},
    {"outputStreamBlockingWriteZeroesAndFlush",
     write_zeroes<wsd_output_stream_blocking_write_zeroes_and_flush>},
    {"outputStreamSplice", splice<wsd_output_stream_splice>},
    {"outputStreamBlockingSplice", splice<wsd_output_stream_blocking_splice>},
    {"outputStreamSubscribe", make_handle<wsd_output_stream_subscribe>},
};

}  // namespace

void register_streams(napi_env env, napi_value exports) {
  define_functions(env, exports, kFunctions);
}

}  // namespace wasi_socketd::adapter::napi
