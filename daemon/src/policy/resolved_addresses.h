// Per session: the addresses that permitted name lookups returned, remembered so that a tenant
// with `connect_resolved = true` may connect/send to them. Bounded (oldest forgotten first) so a
// tenant cannot grow daemon memory by resolving names. Thread-safe (a mutex), though normally
// used from the session's strand only.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace wasi_socketd::policy {

class ResolvedAddresses {
 public:
  static constexpr std::size_t kDefaultCapacity = 4096;
  explicit ResolvedAddresses(std::size_t capacity = kDefaultCapacity) : capacity_(capacity) {}

  void remember(const std::string& name, const std::vector<boost::asio::ip::address>& addresses);
  // The name `address` was resolved from, if any (IPv4-mapped matched as IPv4).
  std::optional<std::string> name_of(const boost::asio::ip::address& address) const;
  std::size_t size() const;

 private:
  struct Entry {
    boost::asio::ip::address address;
    std::string name;
  };

  mutable std::mutex mutex_;
  std::deque<Entry> entries_;
  const std::size_t capacity_;
};

}  // namespace wasi_socketd::policy
