// C ABI: wasi:clocks/monotonic-clock, the clock pollables sockets are polled together with.
// The clock is the host's steady clock (CLOCK_MONOTONIC), in nanoseconds.
#include <chrono>
#include <limits>

#include "abi_call.h"
#include "wasi_socketd/adapter.h"

using namespace wasi_socketd::adapter;
namespace client = wasi_socketd::client;

namespace {

using Clock = std::chrono::steady_clock;

std::uint64_t now_ns() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
          .count());
}

// A time point `ns` after the clock's epoch; saturates instead of overflowing.
Clock::time_point instant(std::uint64_t ns) {
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<Clock::rep>::max());
  if (ns >= kMax) return Clock::time_point::max();
  return Clock::time_point(std::chrono::nanoseconds(static_cast<Clock::rep>(ns)));
}

int32_t push_clock_pollable(Host& host, Clock::time_point deadline, uint32_t* pollable) {
  auto ready = [deadline](const client::Mirror&) { return Clock::now() >= deadline; };
  *out_param(pollable) = host.table().push(PollableResource{ready, deadline});
  return WSD_OK;
}

}  // namespace

extern "C" {

int32_t wsd_monotonic_now(wsd_host* h, uint64_t* ns) {
  return abi_call(h, [&](Host&) -> int32_t {
    *out_param(ns) = now_ns();
    return WSD_OK;
  });
}

int32_t wsd_monotonic_resolution(wsd_host* h, uint64_t* ns) {
  return abi_call(h, [&](Host&) -> int32_t {
    *out_param(ns) = 1;
    return WSD_OK;
  });
}

int32_t wsd_monotonic_subscribe_instant(wsd_host* h, uint64_t ns, uint32_t* pollable) {
  return abi_call(
      h, [&](Host& host) -> int32_t { return push_clock_pollable(host, instant(ns), pollable); });
}

int32_t wsd_monotonic_subscribe_duration(wsd_host* h, uint64_t ns, uint32_t* pollable) {
  return abi_call(h, [&](Host& host) -> int32_t {
    const std::uint64_t now = now_ns();
    const std::uint64_t at = ns > std::numeric_limits<std::uint64_t>::max() - now
                                 ? std::numeric_limits<std::uint64_t>::max()
                                 : now + ns;
    return push_clock_pollable(host, instant(at), pollable);
  });
}

}  // extern "C"
