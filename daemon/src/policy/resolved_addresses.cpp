#include "policy/resolved_addresses.h"

#include <algorithm>

#include "policy/cidr.h"

namespace wasi_socketd::policy {

void ResolvedAddresses::remember(const std::string& name,
                                 const std::vector<boost::asio::ip::address>& addresses) {
  std::lock_guard lock(mutex_);
  for (const auto& raw : addresses) {
    const auto address = unmap_v4(raw);
    const auto known = std::find_if(entries_.begin(), entries_.end(),
                                    [&](const Entry& entry) { return entry.address == address; });
    if (known != entries_.end()) entries_.erase(known);  // refreshed: move to the young end
    entries_.push_back({address, name});
    if (entries_.size() > capacity_) entries_.pop_front();
  }
}

std::optional<std::string> ResolvedAddresses::name_of(const boost::asio::ip::address& raw) const {
  const auto address = unmap_v4(raw);
  std::lock_guard lock(mutex_);
  const auto known = std::find_if(entries_.begin(), entries_.end(),
                                  [&](const Entry& entry) { return entry.address == address; });
  if (known == entries_.end()) return std::nullopt;
  return known->name;
}

std::size_t ResolvedAddresses::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace wasi_socketd::policy
