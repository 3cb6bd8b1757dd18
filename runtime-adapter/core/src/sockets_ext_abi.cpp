// C ABI: wasi-socketd:sockets-ext (adapter_ext.h). Every call goes to the broker (client/
// sockets_ext.h); a TCP socket's bytes-available adds what the client already holds for the
// guest's input stream.
#include "abi_call.h"
#include "abi_convert.h"
#include "socket_abi.h"
#include "wasi_socketd/adapter_ext.h"
#include "wasi_socketd/client/sockets_ext.h"

using namespace wasi_socketd::adapter;
namespace client = wasi_socketd::client;

namespace {

bool tcp_has(std::uint8_t option) {
  switch (option) {
    case WSD_EXT_NO_DELAY:
    case WSD_EXT_IPV6_ONLY:
    case WSD_EXT_LINGER:
    case WSD_EXT_TRAFFIC_CLASS:
    case WSD_EXT_CORK:
    case WSD_EXT_BYTES_AVAILABLE:
      return true;
    default:
      return false;
  }
}

bool udp_has(std::uint8_t option) {
  return option == WSD_EXT_IPV6_ONLY || option == WSD_EXT_TRAFFIC_CLASS ||
         (option >= WSD_EXT_BYTES_AVAILABLE && option <= WSD_EXT_MULTICAST_INTERFACE);
}

// The option of a socket kind; a number the WIT interface cannot produce traps.
client::ExtOption option_of(std::uint8_t option, bool (*has)(std::uint8_t)) {
  if (!has(option)) trap("wasi-socketd: unknown sockets-ext option");
  return static_cast<client::ExtOption>(option);
}

std::int32_t deliver(const client::Result<client::ExtValue>& result, std::uint64_t* value,
                     bool* none) {
  if (!result) return error_code_of(result.error());
  *out_param(value) = result->value;
  *out_param(none) = result->none;
  return WSD_OK;
}

template <typename Resource>
std::int32_t ext_get(wsd_host* h, std::uint32_t socket, std::uint8_t option,
                     bool (*has)(std::uint8_t), std::uint64_t* value, bool* none) {
  return abi_call(h, [&](Host& host) -> std::int32_t {
    const client::ExtOption which = option_of(option, has);
    const std::uint64_t id = host.table().get<Resource>(socket).socket.id();
    if (which == client::ExtOption::kBytesAvailable && has == tcp_has) {
      client::Result<std::uint64_t> available = client::tcp_bytes_available(host.session(), id);
      if (!available) return error_code_of(available.error());
      return deliver(client::ExtValue{*available, false}, value, none);
    }
    return deliver(client::get_ext_option(host.session(), id, which), value, none);
  });
}

template <typename Resource>
std::int32_t ext_set(wsd_host* h, std::uint32_t socket, std::uint8_t option,
                     bool (*has)(std::uint8_t), std::uint64_t value, bool none) {
  return abi_call(h, [&](Host& host) -> std::int32_t {
    const client::ExtOption which = option_of(option, has);
    const std::uint64_t id = host.table().get<Resource>(socket).socket.id();
    client::Result<client::ExtValue> set =
        client::set_ext_option(host.session(), id, which, client::ExtValue{value, none});
    return set ? WSD_OK : error_code_of(set.error());
  });
}

std::int32_t membership(wsd_host* h, std::uint32_t socket, const wsd_ip_address* group,
                        std::uint32_t interface_index, bool join) {
  return abi_call(h, [&](Host& host) -> std::int32_t {
    const std::uint64_t id = host.table().get<UdpSocketResource>(socket).socket.id();
    const client::IpAddress address = address_from_abi(group);
    return code_of(
        join ? client::join_multicast_group(host.session(), id, address, interface_index)
             : client::leave_multicast_group(host.session(), id, address, interface_index));
  });
}

}  // namespace

extern "C" {

int32_t wsd_tcp_ext_get(wsd_host* h, uint32_t socket, uint8_t option, uint64_t* value, bool* none) {
  return ext_get<TcpSocketResource>(h, socket, option, tcp_has, value, none);
}

int32_t wsd_tcp_ext_set(wsd_host* h, uint32_t socket, uint8_t option, uint64_t value, bool none) {
  return ext_set<TcpSocketResource>(h, socket, option, tcp_has, value, none);
}

int32_t wsd_udp_ext_get(wsd_host* h, uint32_t socket, uint8_t option, uint64_t* value, bool* none) {
  return ext_get<UdpSocketResource>(h, socket, option, udp_has, value, none);
}

int32_t wsd_udp_ext_set(wsd_host* h, uint32_t socket, uint8_t option, uint64_t value, bool none) {
  return ext_set<UdpSocketResource>(h, socket, option, udp_has, value, none);
}

int32_t wsd_udp_ext_join_multicast_group(wsd_host* h, uint32_t socket, const wsd_ip_address* group,
                                         uint32_t interface_index) {
  return membership(h, socket, group, interface_index, true);
}

int32_t wsd_udp_ext_leave_multicast_group(wsd_host* h, uint32_t socket, const wsd_ip_address* group,
                                          uint32_t interface_index) {
  return membership(h, socket, group, interface_index, false);
}

}  // extern "C"
