#include "policy/token_bucket.h"

#include <algorithm>

namespace wasi_socketd::policy {

TokenBucket::TokenBucket(uint64_t rate, uint64_t burst)
    : rate_(static_cast<double>(rate)),
      burst_(static_cast<double>(burst == 0 ? rate : burst)),
      tokens_(burst_),
      last_(Clock::now()) {}

void TokenBucket::refill(Clock::time_point now) {
  if (now > last_) {
    const double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
    last_ = now;
  }
}

bool TokenBucket::try_take(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (rate_ == 0) return true;
  refill(now);
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

bool TokenBucket::has_token(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (rate_ == 0) return true;
  refill(now);
  return tokens_ >= 1.0;
}

void TokenBucket::take(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (rate_ == 0) return;
  refill(now);
  tokens_ -= 1.0;
}

void TokenBucket::set_limits(uint64_t rate, uint64_t burst) {
  std::lock_guard lock(mutex_);
  rate_ = static_cast<double>(rate);
  burst_ = static_cast<double>(burst == 0 ? rate : burst);
  tokens_ = std::min(tokens_, burst_);
}

}  // namespace wasi_socketd::policy
