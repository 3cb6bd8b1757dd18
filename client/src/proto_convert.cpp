#include "proto_convert.h"

#include <algorithm>

#include "wasi_socketd/error_code_wire.h"

namespace wasi_socketd::client::detail {

v1::IpAddressFamily to_proto(AddressFamily family) {
  return family == AddressFamily::kIpv4 ? v1::IP_ADDRESS_FAMILY_IPV4 : v1::IP_ADDRESS_FAMILY_IPV6;
}

void to_proto(const IpAddress& address, v1::IpAddress* out) {
  out->set_family(to_proto(address.family));
  const std::size_t n = address.family == AddressFamily::kIpv4 ? 4 : 16;
  out->set_octets(reinterpret_cast<const char*>(address.octets.data()), n);
}

void to_proto(const IpSocketAddress& address, v1::IpSocketAddress* out) {
  to_proto(address.address, out->mutable_address());
  out->set_port(address.port);
  if (address.address.family == AddressFamily::kIpv6) {
    out->set_flow_info(address.flow_info);
    out->set_scope_id(address.scope_id);
  }
}

IpAddress from_proto(const v1::IpAddress& address) {
  IpAddress out;
  out.family =
      address.family() == v1::IP_ADDRESS_FAMILY_IPV6 ? AddressFamily::kIpv6 : AddressFamily::kIpv4;
  const std::size_t n = std::min<std::size_t>(address.octets().size(), out.octets.size());
  std::copy_n(address.octets().begin(), n, out.octets.begin());
  return out;
}

IpSocketAddress from_proto(const v1::IpSocketAddress& address) {
  IpSocketAddress out;
  out.address = from_proto(address.address());
  out.port = static_cast<std::uint16_t>(address.port());
  out.flow_info = address.flow_info();
  out.scope_id = address.scope_id();
  return out;
}

ErrorCode from_proto(v1::ErrorCode code) {
  const auto index = wire::wit_index_of(code);
  return index ? static_cast<ErrorCode>(*index) : ErrorCode::kUnknown;
}

v1::ErrorCode to_proto(ErrorCode code) {
  if (code >= ErrorCode::kSessionLost) return v1::ERROR_CODE_UNKNOWN;
  return wire::to_wire(static_cast<std::size_t>(code));
}

}  // namespace wasi_socketd::client::detail
