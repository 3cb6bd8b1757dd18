// Gives heap memory the daemon has freed back to the kernel.
//
// glibc keeps freed memory in its arenas (one per allocating thread, up to 8 per core), so after
// a tenant's burst (thousands of gRPC calls, a full Attach backlog) the daemon's RSS would stay at
// its peak long after the tenant left. Every kTrimInterval, when the arenas hold more than
// kTrimThresholdBytes free, malloc_trim(0) returns the free pages.
// Threading: its own thread (trimming walks every arena and must not hold up an io thread);
// construct and destroy on one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <thread>

namespace wasi_socketd::daemon {

class MemoryTrimmer {
 public:
  static constexpr std::chrono::seconds kTrimInterval{5};
  static constexpr std::size_t kTrimThresholdBytes = std::size_t{32} << 20;

  MemoryTrimmer();   // starts the thread
  ~MemoryTrimmer();  // stops it
  MemoryTrimmer(const MemoryTrimmer&) = delete;
  MemoryTrimmer& operator=(const MemoryTrimmer&) = delete;

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace wasi_socketd::daemon
