// ip-name-lookup.resolve-addresses for one session, without ever blocking the event loop.
//
// Threading: constructed with the session's strand; resolve() is called on it and `done` runs on
// it. getaddrinfo runs on `lookups`, a pool of threads shared by all sessions and owned by the
// daemon (it must outlive every NameResolver and be joined before the io_context dies).
// Lifetime: `done` is called exactly once even if this NameResolver is destroyed meanwhile, so
// capture only weak references to session state in it.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <string>
#include <vector>

#include "error_code.h"
#include "strand.h"

namespace wasi_socketd::sockets {

class NameResolver {
 public:
  using Addresses = std::vector<boost::asio::ip::address>;
  using Completion = std::function<void(Result<Addresses>)>;

  NameResolver(Strand strand, boost::asio::thread_pool& lookups);

  // IP literals resolve to themselves; names via getaddrinfo. Results: no IPv4-mapped IPv6
  // addresses (they are unmapped), no duplicates, in getaddrinfo's preference order.
  // Errors: invalid-argument (syntax), name-unresolvable, temporary-resolver-failure,
  // permanent-resolver-failure. `done` always runs later, never inside resolve().
  void resolve(std::string name, Completion done);

 private:
  Strand strand_;
  boost::asio::thread_pool& lookups_;
};

}  // namespace wasi_socketd::sockets
