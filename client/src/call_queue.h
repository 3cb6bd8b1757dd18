// CallQueue: a session's ordered one-way path for pipelined calls (option setters).
//
// queue() returns at once; one thread, started on first use, runs the calls in the order they
// were queued, each to completion before the next, so the broker applies them in that order and
// the caller never waits for their round trips. A call reports its own outcome (it updates the
// mirror). Thread-safe. stop() runs nothing more: the session is ending, and the broker closes
// its sockets anyway.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace wasi_socketd::client {

class CallQueue {
 public:
  using Call = std::function<void()>;

  CallQueue() = default;
  ~CallQueue();  // stop()
  CallQueue(const CallQueue&) = delete;
  CallQueue& operator=(const CallQueue&) = delete;

  // Queues `call` behind every call queued before. False once stopped.
  bool queue(Call call);
  // Lets the running call finish, drops the rest and joins the thread. Idempotent.
  void stop();

 private:
  void run();

  std::mutex mu_;  // guards the members below
  std::condition_variable queued_;
  std::deque<Call> calls_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace wasi_socketd::client
