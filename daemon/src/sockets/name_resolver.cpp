#include "name_resolver.h"

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <memory>

#include "errno_map.h"
#include "socket_address.h"

namespace wasi_socketd::sockets {
namespace {

using Addresses = NameResolver::Addresses;

// The WIT never hands out IPv4-mapped IPv6 addresses: unmap them.
boost::asio::ip::address canonical(const boost::asio::ip::address& address) {
  if (is_ipv4_mapped(address)) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
  }
  return address;
}

void append_unique(Addresses& addresses, const boost::asio::ip::address& address) {
  if (std::find(addresses.begin(), addresses.end(), address) == addresses.end()) {
    addresses.push_back(address);
  }
}

// Blocking; runs on the lookup pool.
Result<Addresses> lookup(const std::string& host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;  // one entry per address instead of one per socket type
  addrinfo* list = nullptr;
  const int status = ::getaddrinfo(host.c_str(), nullptr, &hints, &list);
  if (status != 0) return error_from_getaddrinfo(status, errno);
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owner(list, &::freeaddrinfo);

  Addresses addresses;
  for (const addrinfo* entry = list; entry != nullptr; entry = entry->ai_next) {
    if (auto address = from_sockaddr(entry->ai_addr, entry->ai_addrlen)) {
      append_unique(addresses, canonical(address->ip));
    }
  }
  if (addresses.empty()) return ErrorCode::name_unresolvable;
  return addresses;
}

// One lookup's answer, given once: by getaddrinfo or by the deadline, whichever comes first.
// Only touched on the strand.
class PendingLookup {
 public:
  PendingLookup(const Strand& strand, NameResolver::Completion done)
      : deadline_(strand), done_(std::move(done)) {}

  void start_deadline(std::chrono::milliseconds limit, std::shared_ptr<PendingLookup> self) {
    deadline_.expires_after(limit);
    deadline_.async_wait([self = std::move(self)](const boost::system::error_code& error) {
      if (!error) self->finish(ErrorCode::temporary_resolver_failure);
    });
  }

  void finish(Result<Addresses> result) {
    if (!done_) return;
    deadline_.cancel();
    auto done = std::move(done_);
    done_ = nullptr;
    done(std::move(result));
  }

 private:
  boost::asio::steady_timer deadline_;
  NameResolver::Completion done_;
};

}  // namespace

NameResolver::NameResolver(Strand strand, LookupPool& pool, std::string tenant,
                           std::chrono::milliseconds deadline)
    : strand_(std::move(strand)), pool_(pool), tenant_(std::move(tenant)), deadline_(deadline) {}

void NameResolver::resolve(const LookupName& name, Completion done) {
  if (const auto* literal = std::get_if<boost::asio::ip::address>(&name)) {
    boost::asio::post(strand_, [done = std::move(done), address = canonical(*literal)] {
      done(Addresses{address});
    });
    return;
  }
  auto pending = std::make_shared<PendingLookup>(strand_, std::move(done));
  pending->start_deadline(deadline_, pending);
  const bool started = pool_.try_run(tenant_, [strand = strand_, host = std::get<std::string>(name),
                                               pending]() mutable {
    auto result = lookup(host);
    boost::asio::post(strand, [pending = std::move(pending), result = std::move(result)]() mutable {
      pending->finish(std::move(result));
    });
  });
  if (!started) {
    boost::asio::post(strand_,
                      [pending] { pending->finish(ErrorCode::temporary_resolver_failure); });
  }
}

}  // namespace wasi_socketd::sockets
