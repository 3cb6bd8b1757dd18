// The byte path of a tenant connection: the client's socket on one side, the daemon's end of a
// socketpair on the other (gRPC holds the peer end), bytes copied both ways on the io_context,
// the client's bytes checked on the way by an Http2FrameGuard.
//
// Idle, a relay holds no buffer: it waits for readability, reads into a per-thread buffer and
// writes straight on. Only when the receiving side would block does it keep the unwritten rest
// (at most one read, kChunkBytes), and it stops reading the sending side until that drains.
// A direction is read until a read comes back short (the kernel had nothing more; Asio re-arms
// the descriptor for each wait, so data that arrives meanwhile is reported), but at most
// kReadsPerTurn times before the relay yields its io thread to other work.
//
// Ends: when the client hangs up or fails, the daemon's end is shut down (gRPC sees the hang-up
// and ends the connection as before); when gRPC's end is gone (gRPC and the session's duplicate
// closed, or the session shut it down), the client is closed: what gRPC wrote before went on,
// except what a client that stopped reading left pending. A hang-up is noticed on a side even
// while the relay does not read it. When the guard finds a rule broken, both are closed
// and `broken` is called with the rule ("http2-guard:..."). Every handler runs on the relay's own
// strand, nothing blocks.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/strand.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "http2_frame_guard.h"

namespace wasi_socketd::daemon {

class GuardedRelay : public std::enable_shared_from_this<GuardedRelay> {
 public:
  static constexpr std::size_t kChunkBytes = 64 << 10;
  static constexpr int kReadsPerTurn = 16;
  using Broken = std::function<void(std::string_view rule)>;
  // SO_SNDBUF of each socketpair end (the kernel doubles it for its bookkeeping).
  static constexpr int kSocketpairSendBuffer = 16 << 10;

  // The connected, non-blocking socketpair: ends[0] for gRPC, ends[1] for start().
  static bool open_socketpair(int (&ends)[2]);

  // Takes ownership of both connected, non-blocking sockets and starts relaying. False (both
  // closed) when the io_context cannot watch them.
  static bool start(boost::asio::io_context& io, int client_fd, int daemon_fd, Broken broken);

  GuardedRelay(boost::asio::io_context& io, Broken broken);

 private:
  using Descriptor = boost::asio::posix::stream_descriptor;
  struct Direction {
    Descriptor& from;
    Descriptor& to;
    bool guarded;  // the client's bytes
    std::vector<std::byte> pending;
    std::size_t pending_at = 0;
  };

  void pump(Direction& direction);
  // Writes `bytes` on; keeps the rest and waits when the receiver would block. False when the
  // receiver is gone.
  bool forward(Direction& direction, const std::byte* bytes, std::size_t size);
  void on_writable(Direction& direction);
  void wait_readable(Direction& direction);
  // Closes both sides once `side` reports a hang-up or an error, read or not.
  void watch_hang_up(Descriptor& side);
  void close();

  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  Descriptor client_;
  Descriptor daemon_;
  Direction upstream_{client_, daemon_, true, {}};
  Direction downstream_{daemon_, client_, false, {}};
  Http2FrameGuard guard_;
  Broken broken_;
  bool closed_ = false;
};

}  // namespace wasi_socketd::daemon
