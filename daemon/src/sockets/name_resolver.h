// ip-name-lookup.resolve-addresses for one session, without ever blocking the event loop.
//
// Threading: constructed with the session's strand; resolve() is called on it and `done` runs on
// it. getaddrinfo runs on `pool`, the daemon's lookup threads shared by all sessions (it must
// outlive every NameResolver and be joined before the io_context dies), charged to `tenant`.
// Lifetime: `done` is called exactly once even if this NameResolver is destroyed meanwhile, so
// capture only weak references to session state in it.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "error_code.h"
#include "lookup_pool.h"
#include "name_syntax.h"
#include "serial_executor.h"

namespace wasi_socketd::sockets {

class NameResolver {
 public:
  using Addresses = std::vector<boost::asio::ip::address>;
  using Completion = std::function<void(Result<Addresses>)>;
  // How long a caller waits for getaddrinfo before it is answered temporary-resolver-failure.
  static constexpr std::chrono::milliseconds kDefaultDeadline{5000};

  NameResolver(Strand strand, LookupPool& pool, std::string tenant,
               std::chrono::milliseconds deadline = kDefaultDeadline);

  // `name` is the request's parsed name. IP literals resolve to themselves; host names via
  // getaddrinfo. Results: no IPv4-mapped IPv6 addresses (they are unmapped), no duplicates, in
  // getaddrinfo's preference order. Errors: name-unresolvable, permanent-resolver-failure,
  // temporary-resolver-failure (also when the tenant has all the lookups it may run at once, when
  // the pool is full, and at the deadline). `done` always runs later, never inside resolve().
  void resolve(const LookupName& name, Completion done);

 private:
  Strand strand_;
  LookupPool& pool_;
  std::string tenant_;
  std::chrono::milliseconds deadline_;
};

}  // namespace wasi_socketd::sockets
