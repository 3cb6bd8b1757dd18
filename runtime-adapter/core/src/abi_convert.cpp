#include "abi_convert.h"

#include <algorithm>

#include "trap.h"

namespace wasi_socketd::adapter {

client::AddressFamily family_from_abi(std::uint8_t family) {
  if (family == WSD_IPV4) return client::AddressFamily::kIpv4;
  if (family == WSD_IPV6) return client::AddressFamily::kIpv6;
  trap("wasi-socketd: invalid ip-address-family " + std::to_string(family));
}

client::IpAddress address_from_abi(const wsd_ip_address* address) {
  if (address == nullptr) trap("wasi-socketd: null ip-address");
  client::IpAddress out;
  out.family = family_from_abi(address->family);
  const std::size_t n = out.family == client::AddressFamily::kIpv4 ? 4 : 16;
  std::copy_n(address->octets, n, out.octets.begin());
  return out;
}

client::IpSocketAddress address_from_abi(const wsd_ip_socket_address* address) {
  if (address == nullptr) trap("wasi-socketd: null ip-socket-address");
  client::IpSocketAddress out;
  out.address.family = family_from_abi(address->family);
  const std::size_t n = out.address.family == client::AddressFamily::kIpv4 ? 4 : 16;
  std::copy_n(address->address, n, out.address.octets.begin());
  out.port = address->port;
  if (out.address.family == client::AddressFamily::kIpv6) {
    out.flow_info = address->flow_info;
    out.scope_id = address->scope_id;
  }
  return out;
}

void address_to_abi(const client::IpSocketAddress& address, wsd_ip_socket_address* out) {
  *out = {};
  out->family = address.address.family == client::AddressFamily::kIpv4 ? WSD_IPV4 : WSD_IPV6;
  std::copy(address.address.octets.begin(), address.address.octets.end(), out->address);
  out->port = address.port;
  out->flow_info = address.flow_info;
  out->scope_id = address.scope_id;
}

void address_to_abi(const client::IpAddress& address, wsd_ip_address* out) {
  *out = {};
  out->family = address.family == client::AddressFamily::kIpv4 ? WSD_IPV4 : WSD_IPV6;
  std::copy(address.octets.begin(), address.octets.end(), out->octets);
}

}  // namespace wasi_socketd::adapter
