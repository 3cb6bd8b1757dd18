// Mirror: the session's local copy of what the broker pushed on the Attach stream.
//
// Holds versioned readiness per (resource, kind), per socket what its getters answer (SocketView)
// and, per connected TCP socket, the read-ahead buffer, the write permit bookkeeping and stream
// ends. Every lookup is a hash lookup, so what a call or a wake costs does not grow with the
// other (idle) sockets of the session; entries_visited() counts the lookups, for tests that
// check it. Plain data with no locking of its own:
// Session owns the one instance and guards it with its mutex (the reader thread applies frames,
// callers read and update it through Session::with_mirror / wait_until).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "wasi_socketd/client/error_code.h"
#include "wasi_socketd/client/socket_view.h"
#include "wasi_socketd/v1/session.pb.h"

namespace wasi_socketd::client {

enum class ReadinessKind : std::uint8_t { kConnect = 1, kAccept = 2, kReceive = 3 };

// One connected TCP socket's two byte streams as the client sees them.
struct TcpStreamState {
  // ---- input-stream ----
  std::string read_buffer;  // bytes pushed by the daemon, not yet consumed from read_pos on
  std::size_t read_pos = 0;
  std::uint64_t read_window = 0;         // from the grant; 0 until the grant is known
  std::uint64_t uncredited = 0;          // consumed bytes not yet returned as ReadCredit
  bool input_ended = false;              // StreamEnd(INPUT) arrived
  std::optional<ErrorCode> input_error;  // the end was a failure (reported once, then closed)
  bool input_shut = false;               // own shutdown(receive)

  // ---- output-stream ----
  std::uint64_t write_permit = 0;  // bytes allowed in flight (sent - acked)
  std::uint64_t sent = 0;          // total bytes handed to the Attach stream (write_offset)
  std::uint64_t acked = 0;         // total bytes the daemon wrote to the kernel
  std::uint64_t flush_target = 0;  // flush() in progress until acked reaches this
  bool output_ended = false;       // StreamEnd(OUTPUT) arrived
  std::optional<ErrorCode> output_error;
  bool output_shut = false;  // own shutdown(send)

  std::uint64_t buffered() const { return read_buffer.size() - read_pos; }
  // Bytes write() may take now: 0 while a flush is in progress.
  std::uint64_t write_room() const;
  // Moves up to n buffered bytes to out (out may be null: skip); returns how many.
  std::uint64_t consume(std::uint8_t* out, std::uint64_t n);
  // Credit to return now, if enough was consumed (>= 1/4 of the window); resets the count.
  std::uint64_t take_due_credit();
};

class Mirror {
 public:
  // Applies one item of a ServerFrame (reader thread).
  void apply(const v1::ServerItem& item);
  // Records readiness from a unary response or an event; older versions never win.
  void update_readiness(std::uint64_t id, ReadinessKind kind, bool ready, std::uint64_t version);
  bool ready(std::uint64_t id, ReadinessKind kind) const;

  // The socket's stream state; created on first use unless the socket was forgotten.
  TcpStreamState* tcp(std::uint64_t socket_id);
  const TcpStreamState* find_tcp(std::uint64_t socket_id) const;
  // What the socket's getters answer; null until the broker described it, and once forgotten.
  SocketView* view(std::uint64_t socket_id);
  const SocketView* find_view(std::uint64_t socket_id) const;
  // Records the view a broker response carried (ignored for a forgotten socket).
  template <typename ProtoView>
  void update_view(std::uint64_t socket_id, const ProtoView& view) {
    ++entries_visited_;
    if (!forgotten_.contains(socket_id)) views_[socket_id].update(view);
  }

  // Drops everything about a socket; later frames for it are ignored.
  void forget(std::uint64_t id);
  // How many forgotten ids are remembered (bounded: kRememberedDrops).
  std::size_t remembered_drops() const { return forgotten_.size(); }

  // Frames the broker sent before it saw a drop may still be on the way; they come within a few
  // drops, not thousands. Past this many, the oldest forgotten id is let go: a frame that still
  // came for it would only recreate a small entry for an id the broker never reuses.
  static constexpr std::size_t kRememberedDrops = 16384;

  const std::optional<v1::SessionOpened>& opened() const { return opened_; }
  bool dead() const { return dead_; }
  const std::string& death_reason() const { return death_reason_; }
  void mark_dead(std::string reason);

  // Entries looked up so far (readiness levels, stream states, views), by callers and by
  // apply(): the work of a poll or a wake, counted (tests/runtime-adapter/core/
  // poll_wake_work_test.cc).
  std::uint64_t entries_visited() const { return entries_visited_; }

 private:
  struct Level {
    bool ready = false;
    std::uint64_t version = 0;
  };
  // (id, kind) as one key: ids are below 2^62 in practice, kinds below 4.
  struct ReadinessKey {
    std::size_t operator()(const std::pair<std::uint64_t, ReadinessKind>& key) const {
      return std::hash<std::uint64_t>{}(key.first << 2 | static_cast<std::uint64_t>(key.second));
    }
  };
  std::unordered_map<std::pair<std::uint64_t, ReadinessKind>, Level, ReadinessKey> readiness_;
  std::unordered_map<std::uint64_t, TcpStreamState> tcp_;
  std::unordered_map<std::uint64_t, SocketView> views_;
  std::unordered_set<std::uint64_t> forgotten_;
  std::deque<std::uint64_t> forgotten_order_;  // oldest first, at most kRememberedDrops
  mutable std::uint64_t entries_visited_ = 0;
  std::optional<v1::SessionOpened> opened_;
  bool dead_ = false;
  std::string death_reason_;
};

}  // namespace wasi_socketd::client
