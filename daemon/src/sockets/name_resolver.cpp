#include "name_resolver.h"

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <cerrno>
#include <memory>

#include "errno_map.h"
#include "name_syntax.h"
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

}  // namespace

NameResolver::NameResolver(Strand strand, boost::asio::thread_pool& lookups)
    : strand_(std::move(strand)), lookups_(lookups) {}

void NameResolver::resolve(std::string name, Completion done) {
  auto parsed = parse_lookup_name(name);
  if (!parsed) {
    boost::asio::post(strand_, [done = std::move(done), error = parsed.error()] { done(error); });
    return;
  }
  if (auto* literal = std::get_if<boost::asio::ip::address>(&*parsed)) {
    boost::asio::post(strand_, [done = std::move(done), address = canonical(*literal)] {
      done(Addresses{address});
    });
    return;
  }
  boost::asio::post(lookups_, [strand = strand_, host = std::get<std::string>(*parsed),
                               done = std::move(done)]() mutable {
    auto result = lookup(host);
    boost::asio::post(strand, [done = std::move(done), result = std::move(result)]() mutable {
      done(std::move(result));
    });
  });
}

}  // namespace wasi_socketd::sockets
