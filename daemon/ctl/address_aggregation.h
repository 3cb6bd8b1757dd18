// Turns the exact addresses and ports an audit log recorded into the fewest CIDRs and port ranges
// that cover exactly them: nothing not seen is ever added (two addresses become a /31 only if they
// are its whole). Pure functions; safe from any thread.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace wasi_socketd::daemon::ctl {

// "10.0.0.0/31", "10.0.0.5", "2001:db8::/127": IPv4 before IPv6, in address order. An address
// in a protected class (metadata, link-local) is never merged: a rule must name it alone (or
// within its class) to reach it.
std::vector<std::string> aggregate_addresses(const std::set<boost::asio::ip::address>& addresses);

// Consecutive ports as "N-M", others alone: {80, 8080, 8081, 8082} → "80", "8080-8082".
std::vector<std::string> aggregate_ports(const std::set<uint16_t>& ports);

}  // namespace wasi_socketd::daemon::ctl
