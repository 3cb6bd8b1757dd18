// The daemon's getaddrinfo threads, shared fairly between tenants.
//
// getaddrinfo cannot be cancelled: a lookup against a resolver that never answers holds its thread
// until the C library gives up (tens of seconds with the default resolv.conf). So one tenant may
// hold at most `per_tenant` threads at once, counted until getaddrinfo really returns (even when
// its caller was already answered at the deadline), and nothing queues: a lookup that finds no
// thread it may use fails at once, so one tenant's stuck lookups never delay another tenant's.
// With `threads` / `per_tenant` tenants stuck at their limit at once the pool is full.
// Threading: any thread. The destructor joins the threads (waiting for running lookups).
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace wasi_socketd::sockets {

class LookupPool {
 public:
  struct Limits {
    std::size_t threads = 16;    // getaddrinfo calls running at once, daemon-wide
    std::size_t per_tenant = 4;  // of those, for one tenant
  };

  explicit LookupPool(Limits limits);
  LookupPool(const LookupPool&) = delete;
  LookupPool& operator=(const LookupPool&) = delete;

  // Runs `work` on a pool thread charged to `tenant` until it returns, or returns false when the
  // tenant is at its limit or every thread is busy.
  bool try_run(const std::string& tenant, std::function<void()> work);
  // Lookups of `tenant` running now.
  std::size_t running(const std::string& tenant) const;
  const Limits& limits() const { return limits_; }
  // Waits for the running lookups; later try_run calls are refused.
  void join();

 private:
  void release(const std::string& tenant);

  const Limits limits_;
  mutable std::mutex mutex_;
  std::map<std::string, std::size_t, std::less<>> running_;  // tenants with lookups running
  std::size_t total_ = 0;
  bool joined_ = false;
  boost::asio::thread_pool threads_;  // last: joined before the counters go
};

}  // namespace wasi_socketd::sockets
