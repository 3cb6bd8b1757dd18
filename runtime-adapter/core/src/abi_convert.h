// C ABI value types <-> client value types (addresses, families). Invalid enum values trap, as a
// bad variant discriminant would in the canonical ABI.
#pragma once

#include <cstdint>

#include "wasi_socketd/adapter.h"
#include "wasi_socketd/client/address.h"

namespace wasi_socketd::adapter {

client::AddressFamily family_from_abi(std::uint8_t family);
client::IpSocketAddress address_from_abi(const wsd_ip_socket_address* address);
void address_to_abi(const client::IpSocketAddress& address, wsd_ip_socket_address* out);
void address_to_abi(const client::IpAddress& address, wsd_ip_address* out);
client::IpAddress address_from_abi(const wsd_ip_address* address);  // null traps

}  // namespace wasi_socketd::adapter
