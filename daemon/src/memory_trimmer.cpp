#include "memory_trimmer.h"

#include <malloc.h>

namespace wasi_socketd::daemon {

MemoryTrimmer::MemoryTrimmer() : thread_([this] { run(); }) {}

MemoryTrimmer::~MemoryTrimmer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void MemoryTrimmer::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, kTrimInterval, [this] { return stopping_; })) {
    if (::mallinfo2().fordblks > kTrimThresholdBytes) {
      ::malloc_trim(0);
    }
  }
}

}  // namespace wasi_socketd::daemon
