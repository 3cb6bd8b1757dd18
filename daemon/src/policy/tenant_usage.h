// What one tenant uses right now, across all its sessions, checked against its Quotas.
// Thread-safe (atomics + the bucket's mutex): sessions on different strands share one object.
// Acquisitions return RAII leases; a lease gives its share back when destroyed, so a session
// that ends (or a socket that closes) can never leak quota.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "policy/quotas.h"
#include "policy/token_bucket.h"

namespace wasi_socketd::policy {

class TenantUsage : public std::enable_shared_from_this<TenantUsage> {
 public:
  // Gives back `amount` of one counter when destroyed. Move-only.
  class Lease {
   public:
    Lease() = default;
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&& other) noexcept;
    ~Lease();
    explicit operator bool() const { return owner_ != nullptr; }
    uint64_t amount() const { return amount_; }
    // Charges exactly `amount` from now on, beyond the limit if need be (for bytes already
    // buffered, which cannot be refused any more). No-op on an empty lease.
    void resize(uint64_t amount);

   private:
    friend class TenantUsage;
    Lease(std::shared_ptr<TenantUsage> owner, std::atomic<uint64_t>* counter, uint64_t amount)
        : owner_(std::move(owner)), counter_(counter), amount_(amount) {}
    void release();

    std::shared_ptr<TenantUsage> owner_;
    std::atomic<uint64_t>* counter_ = nullptr;
    uint64_t amount_ = 0;
  };

  explicit TenantUsage(const Quotas& quotas);

  // Empty lease when the quota is exhausted: sockets → new-socket-limit, sessions → refused,
  // buffered bytes → would-block.
  Lease try_open_socket();
  Lease try_open_session();
  Lease try_buffer(uint64_t bytes);
  // An empty charge of buffered bytes (amount 0) to resize() as bytes are buffered and leave.
  Lease buffer_charge();
  // The buffered bytes reached their quota: new connections would-block, reads slow down.
  bool buffers_full() const { return buffered_.load() >= max_buffered_.load(); }
  // One new TCP connection (connect or accept); false → would-block.
  bool try_new_connection() { return connections_.try_take(); }
  // For accept: ask first (a refusal leaves the connection in the kernel's queue), count once
  // a connection was really taken.
  bool may_accept_connection() { return connections_.has_token(); }
  void count_accepted_connection() { connections_.take(); }

  // New limits after a reload; usage above a lowered limit is kept, only new acquisitions fail.
  void set_quotas(const Quotas& quotas);

  uint64_t open_sockets() const { return sockets_.load(); }
  uint64_t open_sessions() const { return sessions_.load(); }
  uint64_t buffered_bytes() const { return buffered_.load(); }

 private:
  Lease try_acquire(std::atomic<uint64_t>& counter, const std::atomic<uint64_t>& limit,
                    uint64_t amount);

  std::atomic<uint64_t> sockets_{0}, sessions_{0}, buffered_{0};
  std::atomic<uint64_t> max_sockets_, max_sessions_, max_buffered_;
  TokenBucket connections_;
};

}  // namespace wasi_socketd::policy
