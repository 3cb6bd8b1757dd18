// CallQueue: a session's ordered one-way path for pipelined calls (option setters).
//
// queue() returns at once; one thread, started on first use, runs the calls in the order they
// were queued, each to completion before the next, so the broker applies them in that order and
// the caller never waits for their round trips. A call reports its own outcome (it updates the
// mirror). Whatever must come after the pipelined calls either waits for the queue to be idle
// (wait_idle: the session's unary calls) or joins the queue while it is busy (queue_if_busy: the
// session's Attach frames), so every later call sees their effect. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace wasi_socketd::client {

class CallQueue {
 public:
  using Call = std::function<void()>;

  // Calls that may wait at once; queue() waits for room beyond it, so a guest that only sets
  // options holds bounded memory and is slowed to the broker's pace.
  static constexpr std::size_t kMaxQueued = 1024;

  CallQueue() = default;
  ~CallQueue();  // stop()
  CallQueue(const CallQueue&) = delete;
  CallQueue& operator=(const CallQueue&) = delete;

  // Queues `call` behind every call queued before (waiting while kMaxQueued wait). False once
  // stopped.
  bool queue(Call call);
  // Queues `call` only while a call is queued or running; false (nothing queued) when idle.
  bool queue_if_busy(Call call);
  // Returns once nothing is queued or running. From the queue's own thread: at once.
  void wait_idle();
  // Runs what is queued, then ends the thread; later queue() calls fail. Idempotent.
  void stop();

 private:
  void run();
  bool busy() const { return running_ || !calls_.empty(); }  // mu_ held

  std::mutex mu_;  // guards the members below
  std::condition_variable changed_;
  std::deque<Call> calls_;
  bool running_ = false;
  bool stopping_ = false;
  std::thread thread_;
  std::thread::id worker_;  // thread_'s id, kept after stop() moves thread_ out
};

}  // namespace wasi_socketd::client
