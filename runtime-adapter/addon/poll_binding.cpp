// wasi:io/poll and wasi:clocks/monotonic-clock: clock pollables live in the same table as socket
// pollables, so one poll() blocks in C++ on both.
#include "binding_shapes.h"
#include "bindings.h"

namespace wasi_socketd::adapter::napi {
namespace {

// poll(Uint32Array | number[] of pollable handles) -> number[] of ready indices
napi_value poll(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 2);
    const std::vector<uint32_t> pollables = to_u32_list(env, args[1]);
    std::vector<uint32_t> ready(pollables.size());
    size_t n_ready = 0;
    check(env, args.host_box(),
          wsd_poll(args.host(), pollables.data(), pollables.size(), ready.data(), &n_ready));
    return js_u32_array(env, ready.data(), std::min(n_ready, ready.size()));
  });
}

// Host-wide clock queries: int32_t f(host, uint64_t* ns).
template <int32_t (*Fn)(wsd_host*, uint64_t*)>
napi_value clock_value(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 1);
    uint64_t ns = 0;
    check(env, args.host_box(), Fn(args.host(), &ns));
    return js_u64(env, ns);
  });
}

// subscribe-instant / subscribe-duration: int32_t f(host, uint64_t ns, uint32_t* pollable).
template <int32_t (*Fn)(wsd_host*, uint64_t, uint32_t*)>
napi_value clock_subscribe(napi_env env, napi_callback_info info) {
  return guarded(env, [&] {
    Args args(env, info, 2);
    uint32_t pollable = 0;
    check(env, args.host_box(), Fn(args.host(), to_u64(env, args[1]), &pollable));
    return js_u32(env, pollable);
  });
}

constexpr Function kFunctions[] = {
    {"poll", poll},
    {"pollableReady", get_value<wsd_pollable_ready>},
    {"pollableBlock", call_on_handle<wsd_pollable_block>},
    {"monotonicNow", clock_value<wsd_monotonic_now>},
    {"monotonicResolution", clock_value<wsd_monotonic_resolution>},
    {"monotonicSubscribeInstant", clock_subscribe<wsd_monotonic_subscribe_instant>},
    {"monotonicSubscribeDuration", clock_subscribe<wsd_monotonic_subscribe_duration>},
};

}  // namespace

void register_poll(napi_env env, napi_value exports) { define_functions(env, exports, kFunctions); }

}  // namespace wasi_socketd::adapter::napi
