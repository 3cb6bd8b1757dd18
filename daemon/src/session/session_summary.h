// What the admin interface shows of one session: its sockets and its Attach backlog. Published by
// the session on its sequence and read from any thread without waiting for it (Session::summary).
// Plain data.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "resource_summary.h"

namespace wasi_socketd::daemon {

struct SessionSummary {
  std::vector<std::pair<std::uint64_t, ResourceSummary>> sockets;  // (id, summary), by id
  std::size_t queued_bytes = 0;               // bytes queued for the Attach stream
  std::chrono::steady_clock::duration lag{};  // age of the oldest queued item, at reading time
};

}  // namespace wasi_socketd::daemon
