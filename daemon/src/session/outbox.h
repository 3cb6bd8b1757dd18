// The queue of items a session still has to send on its Attach stream.
//
// Items are coalesced into frames of at most kMaxServerFrameBytes; the session writes one frame at
// a time. Write acknowledgements are merged per socket: while one for a socket is queued, a later
// one only adds its bytes to it (the client learns of the returned permit no later than it would
// have), so a client that never reads the stream costs at most one queued ack per socket. TcpData
// is bounded by each socket's read window; what else a session may queue is bounded by the
// session (session_limits.h). Not thread-safe: owned by a Session, used on its strand only.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_map>

#include "wasi_socketd/v1/session.pb.h"

namespace wasi_socketd::daemon {

class Outbox {
 public:
  Outbox() = default;
  // Movable (a deque's move keeps its elements where they are), never copied: the ack index
  // points into the queue.
  Outbox(Outbox&&) = default;
  Outbox& operator=(Outbox&&) = default;
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  void push(v1::ServerItem item);
  bool empty() const { return items_.empty(); }
  std::size_t queued_bytes() const { return queued_bytes_; }
  std::size_t queued_items() const { return items_.size(); }
  // How long the oldest queued item has waited (zero when empty): the event stream's lag.
  std::chrono::steady_clock::duration oldest_age() const;
  // When the oldest queued item was queued; the epoch (zero) when empty.
  std::chrono::steady_clock::time_point oldest_queued_at() const;
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
  // Adds `ack` to the one already queued for its socket; false if there is none.
  bool merge_ack(const v1::TcpWriteAck& ack);
  void forget_ack(const v1::ServerItem& item);

  std::deque<Queued> items_;  // push_back/pop_front keep references to the other elements valid
  std::size_t queued_bytes_ = 0;
  std::unordered_map<std::uint64_t, Queued*> queued_acks_;  // by socket id
};

}  // namespace wasi_socketd::daemon
