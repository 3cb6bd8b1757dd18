// C ABI: wasi:io/poll. A pollable's readiness is a predicate over the session's mirror (socket
// and stream pollables) or a deadline (clock pollables); poll() evaluates them all under one lock
// and sleeps on the session's condition variable until an event or the earliest deadline.
#include <algorithm>
#include <chrono>
#include <vector>

#include "abi_call.h"
#include "wasi_socketd/adapter.h"

using namespace wasi_socketd::adapter;
namespace client = wasi_socketd::client;

namespace {

// Blocks until at least one pollable is ready; returns the indices of all that are.
std::vector<uint32_t> wait_for_any(Host& host, const std::vector<PollableResource*>& pollables) {
  auto deadline = client::kNoDeadline;
  for (const auto* p : pollables) {
    if (p->deadline) deadline = std::min(deadline, *p->deadline);
  }
  std::vector<uint32_t> ready;
  auto collect = [&](const client::Mirror& m) {
    ready.clear();
    for (uint32_t i = 0; i < pollables.size(); ++i) {
      if (pollables[i]->ready(m)) ready.push_back(i);
    }
    return !ready.empty();
  };
  // Clock pollables turn ready without an event: wake at the earliest deadline and re-check.
  while (!host.session().wait_until(collect, deadline)) {
  }
  host.require_alive();
  return ready;
}

}  // namespace

extern "C" {

int32_t wsd_pollable_ready(wsd_host* h, uint32_t pollable, bool* ready) {
  return abi_call(h, [&](Host& host) -> int32_t {
    auto& p = host.table().get<PollableResource>(pollable);
    *out_param(ready) = host.session().with_mirror([&](client::Mirror& m) { return p.ready(m); });
    return WSD_OK;
  });
}

int32_t wsd_pollable_block(wsd_host* h, uint32_t pollable) {
  return abi_call(h, [&](Host& host) -> int32_t {
    wait_for_any(host, {&host.table().get<PollableResource>(pollable)});
    return WSD_OK;
  });
}

int32_t wsd_poll(wsd_host* h, const uint32_t* pollables, size_t n, uint32_t* ready_indices,
                 size_t* n_ready) {
  return abi_call(h, [&](Host& host) -> int32_t {
    if (n == 0) trap("wasi-socketd: poll called with an empty list");
    if (pollables == nullptr) trap("wasi-socketd: null pollable list");
    out_param(ready_indices);
    out_param(n_ready);
    std::vector<PollableResource*> resolved;
    resolved.reserve(n);
    for (size_t i = 0; i < n; ++i)
      resolved.push_back(&host.table().get<PollableResource>(pollables[i]));
    const std::vector<uint32_t> ready = wait_for_any(host, resolved);
    std::copy(ready.begin(), ready.end(), ready_indices);
    *n_ready = ready.size();
    return WSD_OK;
  });
}

}  // extern "C"
