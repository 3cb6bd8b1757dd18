#include "call_queue.h"

#include <utility>

namespace wasi_socketd::client {

CallQueue::~CallQueue() { stop(); }

bool CallQueue::queue(Call call) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return false;
    calls_.push_back(std::move(call));
    if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
  }
  queued_.notify_one();
  return true;
}

void CallQueue::stop() {
  std::thread thread;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    calls_.clear();
    thread = std::move(thread_);
  }
  queued_.notify_one();
  if (thread.joinable()) thread.join();
}

void CallQueue::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    queued_.wait(lock, [&] { return stopping_ || !calls_.empty(); });
    if (stopping_) return;
    Call call = std::move(calls_.front());
    calls_.pop_front();
    lock.unlock();
    call();
    lock.lock();
  }
}

}  // namespace wasi_socketd::client
