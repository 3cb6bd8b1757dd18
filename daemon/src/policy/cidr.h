// An IPv4 or IPv6 network in CIDR notation ("10.0.0.0/8", "::1/128", "127.0.0.1").
// Value type; immutable after parsing; safe to share between threads.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace wasi_socketd::policy {

class Cidr {
 public:
  // "ADDR/PREFIX" or a bare address (a /32 or /128). Host bits must be zero
  // ("10.0.0.1/8" is rejected: it is almost always a typo). nullopt on any error; then
  // `fault`, when given, says what is wrong with `text` and how to write it instead.
  static std::optional<Cidr> parse(std::string_view text, std::string* fault = nullptr);

  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) IPv6 addresses are matched as
  // the IPv4 address they carry, so a rule cannot be sidestepped by spelling an IPv4 peer the IPv6
  // way; a network written so is parsed as the IPv4 network.
  bool contains(const boost::asio::ip::address& address) const;
  // Every address of this network is in `outer`.
  bool within(const Cidr& outer) const;
  bool is_v4() const { return network_.is_v4(); }
  std::string to_string() const;

 private:
  Cidr(boost::asio::ip::address network, unsigned prefix) : network_(network), prefix_(prefix) {}

  boost::asio::ip::address network_;
  unsigned prefix_;
};

// The IPv4 address an IPv4-mapped or IPv4-compatible IPv6 address carries (not :: or ::1, which
// are IPv6's own); any other address is returned as is.
boost::asio::ip::address unmap_v4(const boost::asio::ip::address& address);

}  // namespace wasi_socketd::policy
