// An immutable object that a writer replaces whole while readers keep using the one they took:
// load() copies the shared_ptr under a mutex held only for that copy, store() swaps it in and
// drops the old one after unlocking (its last reader may still hold it). Thread-safe.
//
// Not std::atomic<std::shared_ptr>: libstdc++ 12's load() releases its internal lock with a
// relaxed store, so a load and the next store's write of the pointer are not ordered (a data race
// by the memory model, reported by ThreadSanitizer for Tenancy's policy swap on reload).
#pragma once

#include <memory>
#include <mutex>
#include <utility>

namespace wasi_socketd::policy {

template <class T>
class SharedSnapshot {
 public:
  std::shared_ptr<T> load() const {
    std::lock_guard lock(mutex_);
    return value_;
  }
  void store(std::shared_ptr<T> value) {
    {
      std::lock_guard lock(mutex_);
      value_.swap(value);
    }
    // `value` now holds the old object: released here, outside the lock.
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<T> value_;
};

}  // namespace wasi_socketd::policy
