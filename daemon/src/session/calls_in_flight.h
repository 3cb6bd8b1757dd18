// The calls of one client connection that the daemon has started and whose OnDone has not run:
// the bound on what one connection can make the daemon hold in calls (docs/SECURITY.md "HTTP/2
// connections").
//
// gRPC 1.51 applies SETTINGS_MAX_CONCURRENT_STREAMS (kMaxConcurrentStreams) only once the client
// has acknowledged the daemon's SETTINGS; a client that never does, with a window of 0 so that no
// response can leave, could otherwise keep any number of calls alive. Every call a handler sees is
// counted here from its start to its OnDone: past kRefuseAbove it is answered at once
// (RESOURCE_EXHAUSTED, no work, no state beyond gRPC's own and a counted reactor); at kCloseAt
// (answers pile up too: the client does not read) the connection is closed. A well-behaved client
// stays below kMaxConcurrentStreams, plus the calls whose OnDone is still on its way.
// Thread-safe (atomics); any thread.
#pragma once

#include <atomic>
#include <cstddef>

#include "wasi_socketd/limits.h"

namespace wasi_socketd::daemon {

class CallsInFlight {
 public:
  static constexpr std::size_t kRefuseAbove = 2 * kMaxConcurrentStreams;
  static constexpr std::size_t kCloseAt = 4 * kMaxConcurrentStreams;

  enum class Admission {
    admitted,  // run the call
    refused,   // answer RESOURCE_EXHAUSTED at once
    close,     // answer, and close the connection (returned once per connection)
  };

  // Counts a new call, whatever the admission; end() must follow at its OnDone.
  Admission begin() {
    const std::size_t count = count_.fetch_add(1, std::memory_order_relaxed) + 1;
    if (count >= kCloseAt && !closing_.exchange(true, std::memory_order_relaxed)) {
      return Admission::close;
    }
    return count > kRefuseAbove ? Admission::refused : Admission::admitted;
  }
  void end() { count_.fetch_sub(1, std::memory_order_relaxed); }
  std::size_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::size_t> count_{0};
  std::atomic<bool> closing_{false};
};

}  // namespace wasi_socketd::daemon
