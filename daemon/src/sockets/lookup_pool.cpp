#include "lookup_pool.h"

#include <boost/asio/post.hpp>

namespace wasi_socketd::sockets {

LookupPool::LookupPool(Limits limits) : limits_(limits), threads_(limits.threads) {}

bool LookupPool::try_run(const std::string& tenant, std::function<void()> work) {
  {
    std::lock_guard lock(mutex_);
    if (joined_ || total_ >= limits_.threads) return false;
    std::size_t& mine = running_[tenant];
    if (mine >= limits_.per_tenant) return false;
    ++mine;
    ++total_;
  }
  boost::asio::post(threads_, [this, tenant, work = std::move(work)] {
    work();
    release(tenant);
  });
  return true;
}

void LookupPool::release(const std::string& tenant) {
  std::lock_guard lock(mutex_);
  --total_;
  const auto entry = running_.find(tenant);
  if (entry != running_.end() && --entry->second == 0) running_.erase(entry);
}

std::size_t LookupPool::running(const std::string& tenant) const {
  std::lock_guard lock(mutex_);
  const auto entry = running_.find(tenant);
  return entry == running_.end() ? 0 : entry->second;
}

void LookupPool::join() {
  {
    std::lock_guard lock(mutex_);
    joined_ = true;
  }
  threads_.join();
}

}  // namespace wasi_socketd::sockets
