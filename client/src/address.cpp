#include "wasi_socketd/client/address.h"

#include <arpa/inet.h>

#include <cstring>

namespace wasi_socketd::client {

IpAddress IpAddress::v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
  IpAddress out;
  out.family = AddressFamily::kIpv4;
  out.octets[0] = a;
  out.octets[1] = b;
  out.octets[2] = c;
  out.octets[3] = d;
  return out;
}

IpAddress IpAddress::v6(const std::array<std::uint8_t, 16>& octets) {
  IpAddress out;
  out.family = AddressFamily::kIpv6;
  out.octets = octets;
  return out;
}

bool IpAddress::parse(const std::string& text, IpAddress* out) {
  IpAddress parsed;
  if (inet_pton(AF_INET, text.c_str(), parsed.octets.data()) == 1) {
    parsed.family = AddressFamily::kIpv4;
  } else if (inet_pton(AF_INET6, text.c_str(), parsed.octets.data()) == 1) {
    parsed.family = AddressFamily::kIpv6;
  } else {
    return false;
  }
  *out = parsed;
  return true;
}

std::string IpAddress::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(family == AddressFamily::kIpv4 ? AF_INET : AF_INET6, octets.data(), buf, sizeof buf);
  return buf;
}

std::string IpSocketAddress::to_string() const {
  const std::string host = address.to_string();
  const std::string port_text = std::to_string(port);
  return address.family == AddressFamily::kIpv4 ? host + ":" + port_text
                                                : "[" + host + "]:" + port_text;
}

}  // namespace wasi_socketd::client
