// FrameWriter: the one thread that writes a session's ClientFrames on its Attach stream.
//
// send() queues a frame and returns at once; the writer thread merges what is queued into as few
// frames as fit under kMaxBatchBytes and writes them in order. A caller therefore never waits for
// an HTTP/2 write, and writes that pile up while one is on the wire share the next message.
// Memory is bounded by the protocol (TcpWrite bytes by each socket's write permit), not here.
//
// Thread-safe. `write` runs on the writer thread only; `on_failure` runs there once, after the
// first failed write (later frames are dropped and send() returns false).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "wasi_socketd/v1/session.pb.h"

namespace wasi_socketd::client {

class FrameWriter {
 public:
  using Write = std::function<bool(const v1::ClientFrame&)>;
  using OnFailure = std::function<void()>;

  // Merged frames stay below this (half the gRPC message limit); a larger frame goes alone.
  static constexpr std::size_t kMaxBatchBytes = 4 << 20;

  FrameWriter(Write write, OnFailure on_failure);
  ~FrameWriter();  // stop()

  FrameWriter(const FrameWriter&) = delete;
  FrameWriter& operator=(const FrameWriter&) = delete;

  // Queues `frame` behind every frame sent before. False once stopped or after a failed write.
  bool send(v1::ClientFrame frame);

  // Writes what is queued, then ends the thread. Idempotent.
  void stop();

 private:
  struct Queued {
    v1::ClientFrame frame;
    std::size_t bytes;
  };

  void run();
  // Moves queued frames into one, up to kMaxBatchBytes. mu_ held, queue not empty.
  v1::ClientFrame take_batch();

  Write write_;
  OnFailure on_failure_;
  std::mutex mu_;  // guards the members below
  std::condition_variable queued_;
  std::deque<Queued> queue_;
  bool stopping_ = false;
  bool failed_ = false;
  std::thread thread_;  // last: starts after everything it uses
};

}  // namespace wasi_socketd::client
