#include "policy/extension_grants.h"

#include <algorithm>

namespace wasi_socketd::policy {

std::string_view extension_name(Extension extension) {
  switch (extension) {
    case Extension::no_delay:
      return "no_delay";
    case Extension::ipv6_only:
      return "ipv6_only";
    case Extension::linger:
      return "linger";
    case Extension::traffic_class:
      return "traffic_class";
    case Extension::cork:
      return "cork";
    case Extension::bytes_available:
      return "bytes_available";
    case Extension::broadcast:
      return "broadcast";
    case Extension::reuse_address:
      return "reuse_address";
    case Extension::reuse_port:
      return "reuse_port";
    case Extension::multicast:
      return "multicast";
  }
  return "unknown";
}

bool ExtensionGrants::allows(Extension extension) const {
  if (extension == Extension::multicast) return !multicast_groups.empty();
  return granted[static_cast<std::size_t>(extension)];
}

bool ExtensionGrants::allows_group(const boost::asio::ip::address& group) const {
  return std::any_of(multicast_groups.begin(), multicast_groups.end(),
                     [&](const Cidr& network) { return network.contains(group); });
}

}  // namespace wasi_socketd::policy
