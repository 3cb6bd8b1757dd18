// WIT ip-address / ip-socket-address as plain values.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace wasi_socketd::client {

enum class AddressFamily : std::uint8_t { kIpv4, kIpv6 };  // WIT order

// Octets in network byte order: the first 4 for IPv4, all 16 for IPv6.
struct IpAddress {
  AddressFamily family = AddressFamily::kIpv4;
  std::array<std::uint8_t, 16> octets{};

  static IpAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d);
  static IpAddress v6(const std::array<std::uint8_t, 16>& octets);
  // Parses a numeric IPv4 or IPv6 literal; false on anything else.
  static bool parse(const std::string& text, IpAddress* out);
  std::string to_string() const;
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

struct IpSocketAddress {
  IpAddress address;
  std::uint16_t port = 0;
  std::uint32_t flow_info = 0;  // IPv6 only
  std::uint32_t scope_id = 0;   // IPv6 only

  // "127.0.0.1:80" / "[::1]:80"
  std::string to_string() const;
  friend bool operator==(const IpSocketAddress&, const IpSocketAddress&) = default;
};

}  // namespace wasi_socketd::client
