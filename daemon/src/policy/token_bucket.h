// A token bucket for "new connections per second": `rate` tokens per second, at most `burst`
// saved up. Thread-safe (a mutex; taken once per new connection, never on the data path).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

namespace wasi_socketd::policy {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  // rate 0: unlimited. burst 0: same as rate.
  TokenBucket(uint64_t rate, uint64_t burst);

  // Takes one token if there is one at `now`.
  bool try_take(Clock::time_point now = Clock::now());
  // Whether try_take would succeed, without taking.
  bool has_token(Clock::time_point now = Clock::now());
  // Takes one token even if that leaves the bucket in debt (a connection that was let in after
  // has_token() said yes, while another thread took the last token).
  void take(Clock::time_point now = Clock::now());
  // Changes the limits (policy reload) keeping the tokens saved so far (capped to the new burst).
  void set_limits(uint64_t rate, uint64_t burst);

 private:
  void refill(Clock::time_point now);  // mutex_ held

  std::mutex mutex_;
  double rate_;
  double burst_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace wasi_socketd::policy
