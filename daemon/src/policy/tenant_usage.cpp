#include "policy/tenant_usage.h"

namespace wasi_socketd::policy {

TenantUsage::Lease::Lease(Lease&& other) noexcept
    : owner_(std::move(other.owner_)), counter_(other.counter_), amount_(other.amount_) {
  other.counter_ = nullptr;
}

TenantUsage::Lease& TenantUsage::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = std::move(other.owner_);
    counter_ = other.counter_;
    amount_ = other.amount_;
    other.counter_ = nullptr;
  }
  return *this;
}

TenantUsage::Lease::~Lease() { release(); }

void TenantUsage::Lease::release() {
  if (counter_ != nullptr) counter_->fetch_sub(amount_);
  counter_ = nullptr;
  owner_.reset();
}

void TenantUsage::Lease::resize(uint64_t amount) {
  if (counter_ == nullptr) return;
  if (amount > amount_) {
    counter_->fetch_add(amount - amount_);
  } else {
    counter_->fetch_sub(amount_ - amount);
  }
  amount_ = amount;
}

TenantUsage::TenantUsage(const Quotas& quotas)
    : max_sockets_(quotas.sockets),
      max_sessions_(quotas.sessions),
      max_buffered_(quotas.buffered_bytes),
      connections_(quotas.connections_per_second, quotas.connections_burst) {}

TenantUsage::Lease TenantUsage::try_acquire(std::atomic<uint64_t>& counter,
                                            const std::atomic<uint64_t>& limit, uint64_t amount) {
  uint64_t used = counter.load();
  do {
    if (amount > limit.load() || used > limit.load() - amount) return {};
  } while (!counter.compare_exchange_weak(used, used + amount));
  return Lease(shared_from_this(), &counter, amount);
}

TenantUsage::Lease TenantUsage::try_open_socket() { return try_acquire(sockets_, max_sockets_, 1); }
TenantUsage::Lease TenantUsage::try_open_session() {
  return try_acquire(sessions_, max_sessions_, 1);
}
TenantUsage::Lease TenantUsage::try_buffer(uint64_t bytes) {
  return try_acquire(buffered_, max_buffered_, bytes);
}

TenantUsage::Lease TenantUsage::buffer_charge() { return Lease(shared_from_this(), &buffered_, 0); }

void TenantUsage::set_quotas(const Quotas& quotas) {
  max_sockets_.store(quotas.sockets);
  max_sessions_.store(quotas.sessions);
  max_buffered_.store(quotas.buffered_bytes);
  connections_.set_limits(quotas.connections_per_second, quotas.connections_burst);
}

}  // namespace wasi_socketd::policy
