// The queue of items a session still has to send on its Attach stream.
//
// Items are coalesced into frames of at most kMaxServerFrameBytes; the session writes one frame at
// a time. Memory is bounded by the protocol's windows (TcpData by the read window of each socket),
// not by this class. Not thread-safe: owned by a Session, used on its strand only.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>

#include "wasi_socketd/v1/session.pb.h"

namespace wasi_socketd::daemon {

class Outbox {
 public:
  void push(v1::ServerItem item);
  bool empty() const { return items_.empty(); }
  std::size_t queued_bytes() const { return queued_bytes_; }
  // How long the oldest queued item has waited (zero when empty): the event stream's lag.
  std::chrono::steady_clock::duration oldest_age() const;
  // Moves the oldest items into `frame` (which must be empty): at least one, then as many as fit
  // into `max_bytes`.
  void fill(v1::ServerFrame& frame, std::size_t max_bytes);
  void clear();
  // Moves every item of `later` behind the items of this outbox.
  void append(Outbox&& later);

 private:
  struct Queued {
    v1::ServerItem item;
    std::size_t bytes;
    std::chrono::steady_clock::time_point queued_at;
  };
  std::deque<Queued> items_;
  std::size_t queued_bytes_ = 0;
};

}  // namespace wasi_socketd::daemon
