// Whether an IP address belongs to this host, i.e. whether a bind to it could ever succeed.
#pragma once

#include <boost/asio/ip/address.hpp>

namespace wasi_socketd::sockets {

// True for the unspecified address, loopback, multicast/broadcast (bindable for UDP on Linux) and
// every unicast address assigned to an interface right now (getifaddrs). Thread-safe.
bool is_bindable_on_this_host(const boost::asio::ip::address& ip);

}  // namespace wasi_socketd::sockets
