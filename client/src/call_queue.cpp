#include "call_queue.h"

#include <utility>

namespace wasi_socketd::client {

CallQueue::~CallQueue() { stop(); }

bool CallQueue::queue(Call call) {
  {
    std::unique_lock lock(mu_);
    if (std::this_thread::get_id() != worker_) {
      changed_.wait(lock, [&] { return stopping_ || calls_.size() < kMaxQueued; });
    }
    if (stopping_) return false;
    calls_.push_back(std::move(call));
    if (!thread_.joinable()) {
      thread_ = std::thread([this] { run(); });
      worker_ = thread_.get_id();
    }
  }
  changed_.notify_all();
  return true;
}

bool CallQueue::queue_if_busy(Call call) {
  {
    std::lock_guard lock(mu_);
    if (stopping_ || !busy()) return false;
    calls_.push_back(std::move(call));
  }
  changed_.notify_all();
  return true;
}

void CallQueue::wait_idle() {
  std::unique_lock lock(mu_);
  if (std::this_thread::get_id() == worker_) return;
  changed_.wait(lock, [&] { return !busy(); });
}

void CallQueue::stop() {
  std::thread thread;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    thread = std::move(thread_);
  }
  changed_.notify_all();
  if (thread.joinable()) thread.join();
}

void CallQueue::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    changed_.wait(lock, [&] { return stopping_ || !calls_.empty(); });
    if (calls_.empty()) return;  // stopping, and everything queued has run
    Call call = std::move(calls_.front());
    calls_.pop_front();
    running_ = true;
    lock.unlock();
    call();
    lock.lock();
    running_ = false;
    changed_.notify_all();
  }
}

}  // namespace wasi_socketd::client
