#include "host_addresses.h"

#include <ifaddrs.h>
#include <netinet/in.h>

#include <cstring>

namespace wasi_socketd::sockets {
namespace {

bool assigned_to_an_interface(const boost::asio::ip::address& ip) {
  ifaddrs* list = nullptr;
  if (::getifaddrs(&list) != 0) return true;  // cannot tell: let the kernel decide
  bool found = false;
  for (const ifaddrs* entry = list; entry && !found; entry = entry->ifa_next) {
    if (!entry->ifa_addr) continue;
    if (ip.is_v4() && entry->ifa_addr->sa_family == AF_INET) {
      const auto* in = reinterpret_cast<const sockaddr_in*>(entry->ifa_addr);
      found = ip.to_v4().to_bytes() ==
              boost::asio::ip::address_v4(ntohl(in->sin_addr.s_addr)).to_bytes();
    } else if (ip.is_v6() && entry->ifa_addr->sa_family == AF_INET6) {
      const auto* in6 = reinterpret_cast<const sockaddr_in6*>(entry->ifa_addr);
      const auto bytes = ip.to_v6().to_bytes();
      found = std::memcmp(bytes.data(), in6->sin6_addr.s6_addr, bytes.size()) == 0;
    }
  }
  ::freeifaddrs(list);
  return found;
}

}  // namespace

bool is_bindable_on_this_host(const boost::asio::ip::address& ip) {
  if (ip.is_unspecified() || ip.is_loopback() || ip.is_multicast()) return true;
  if (ip.is_v4() && ip.to_v4() == boost::asio::ip::address_v4::broadcast()) return true;
  return assigned_to_an_interface(ip);
}

}  // namespace wasi_socketd::sockets
