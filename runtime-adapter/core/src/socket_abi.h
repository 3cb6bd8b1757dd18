// The ABI functions tcp-socket and udp-socket share, once: create, start/finish-bind,
// local/remote-address, address-family and the get/set of an option mean the same for both WIT
// resources. Resource is TcpSocketResource or UdpSocketResource (its `socket` is the client
// handle). Guest thread only, like every ABI function.
#pragma once

#include <cstdint>
#include <utility>

#include "abi_call.h"
#include "abi_convert.h"
#include "resources.h"
#include "wasi_socketd/adapter.h"

namespace wasi_socketd::adapter {

// The broker id of a network handle (traps on a wrong handle).
inline std::uint64_t network_id(Host& host, std::uint32_t network) {
  return host.table().get<NetworkResource>(network).id;
}

// Stores a local/remote address through `out` on success.
inline std::int32_t deliver_address(const client::Result<client::IpSocketAddress>& address,
                                    wsd_ip_socket_address* out) {
  if (!address) return error_code_of(address.error());
  address_to_abi(*address, out);
  return WSD_OK;
}

// Runs body(Resource&) for the socket handle `socket` inside abi_call.
template <typename Resource, typename Body>
std::int32_t on_socket(wsd_host* h, std::uint32_t socket, Body&& body) {
  return abi_call(
      h, [&](Host& host) -> std::int32_t { return body(host.table().get<Resource>(socket)); });
}

template <typename Resource>
std::int32_t create_socket(wsd_host* h, std::uint8_t family, std::uint32_t* socket) {
  return abi_call(h, [&](Host& host) -> std::int32_t {
    auto created =
        decltype(Resource::socket)::create(host.shared_session(), family_from_abi(family));
    if (!created) return error_code_of(created.error());
    *out_param(socket) = host.table().push(Resource{std::move(*created)});
    return WSD_OK;
  });
}

template <typename Resource>
std::int32_t start_bind(wsd_host* h, std::uint32_t socket, std::uint32_t network,
                        const wsd_ip_socket_address* local_address) {
  return abi_call(h, [&](Host& host) -> std::int32_t {
    auto& s = host.table().get<Resource>(socket);
    return code_of(s.socket.start_bind(network_id(host, network), address_from_abi(local_address)));
  });
}

template <typename Resource>
std::int32_t finish_bind(wsd_host* h, std::uint32_t socket) {
  return on_socket<Resource>(h, socket,
                             [](Resource& s) { return code_of(s.socket.finish_bind()); });
}

template <typename Resource>
std::int32_t local_address(wsd_host* h, std::uint32_t socket, wsd_ip_socket_address* address) {
  return on_socket<Resource>(h, socket, [&](Resource& s) {
    return deliver_address(s.socket.local_address(), out_param(address));
  });
}

template <typename Resource>
std::int32_t remote_address(wsd_host* h, std::uint32_t socket, wsd_ip_socket_address* address) {
  return on_socket<Resource>(h, socket, [&](Resource& s) {
    return deliver_address(s.socket.remote_address(), out_param(address));
  });
}

template <typename Resource>
std::int32_t address_family(wsd_host* h, std::uint32_t socket, std::uint8_t* family) {
  return on_socket<Resource>(h, socket, [&](Resource& s) {
    *out_param(family) = s.socket.family() == client::AddressFamily::kIpv4 ? WSD_IPV4 : WSD_IPV6;
    return WSD_OK;
  });
}

template <typename Resource, typename Option, typename Out>
std::int32_t get_option(wsd_host* h, std::uint32_t socket, Option option, Out* value) {
  return on_socket<Resource>(h, socket, [&](Resource& s) {
    return deliver(s.socket.get_option(option), out_param(value));
  });
}

template <typename Resource, typename Option>
std::int32_t set_option(wsd_host* h, std::uint32_t socket, Option option, std::uint64_t value) {
  return on_socket<Resource>(
      h, socket, [&](Resource& s) { return code_of(s.socket.set_option(option, value)); });
}

}  // namespace wasi_socketd::adapter
