// [tenant.extensions]: which socket options of wasi-socketd:sockets-ext a tenant may use. Every
// extension is off unless granted. Value type; immutable once a Policy is built.
#pragma once

#include <array>
#include <boost/asio/ip/address.hpp>
#include <string_view>
#include <vector>

#include "policy/cidr.h"

namespace wasi_socketd::policy {

// One grant each; `multicast` stands for join/leave, multicast-hop-limit and multicast-loopback,
// granted by a non-empty `multicast_groups`.
enum class Extension {
  no_delay,
  ipv6_only,
  linger,
  traffic_class,
  cork,
  bytes_available,
  broadcast,
  reuse_address,
  reuse_port,
  multicast,
};

inline constexpr std::array<Extension, 9> kBooleanExtensions = {
    Extension::no_delay,      Extension::ipv6_only,     Extension::linger,
    Extension::traffic_class, Extension::cork,          Extension::bytes_available,
    Extension::broadcast,     Extension::reuse_address, Extension::reuse_port};

// The policy key and audit spelling: "no_delay", ..., "multicast".
std::string_view extension_name(Extension extension);

struct ExtensionGrants {
  std::array<bool, kBooleanExtensions.size()> granted{};  // indexed by Extension
  std::vector<Cidr> multicast_groups;  // groups a socket may join; all multicast networks

  bool allows(Extension extension) const;
  // `group` lies in one of multicast_groups (IPv4-mapped forms as their IPv4 address).
  bool allows_group(const boost::asio::ip::address& group) const;
};

}  // namespace wasi_socketd::policy
