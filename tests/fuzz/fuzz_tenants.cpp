#include "fuzz_tenants.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace wasi_socketd::fuzz {

const std::string_view kFuzzPolicy = R"toml(
[audit]
destination = "none"

[[tenant]]
name = "alpha"
uids = [1001]

[tenant.tcp]
[[tenant.tcp.bind]]
addresses = ["loopback", "unspecified"]
[[tenant.tcp.listen]]
addresses = ["loopback", "unspecified"]
[[tenant.tcp.accept]]
addresses = ["loopback"]
[[tenant.tcp.connect]]
addresses = ["127.0.0.0/8"]
ports = ["20000-40000"]

[tenant.udp]
[[tenant.udp.bind]]
addresses = ["loopback", "unspecified"]
[[tenant.udp.send]]
addresses = ["127.0.0.1"]
ports = ["20000-40000"]
[[tenant.udp.receive]]
addresses = ["loopback"]

[tenant.name_lookup]
allow = ["localhost"]
ip_literals = true
connect_resolved = true

[tenant.extensions]
no_delay = true
ipv6_only = true
linger = true
traffic_class = true
cork = true
bytes_available = true
broadcast = true
reuse_address = true
reuse_port = true
multicast_groups = ["239.255.77.0/24", "ff05::77:0/112"]

[[tenant]]
name = "beta"
uids = [1002]

[tenant.quotas]
sockets = 6

[tenant.tcp]
[[tenant.tcp.bind]]
addresses = ["::1", "unspecified"]
[[tenant.tcp.listen]]
addresses = ["::1"]
[[tenant.tcp.accept]]
addresses = ["any"]
[[tenant.tcp.connect]]
addresses = ["::1"]
ports = ["30000-30010"]

[tenant.udp]
enabled = false
)toml";

namespace {

// An address as the oracle sees it: IPv4-mapped IPv6 counts as the IPv4 address it carries.
struct Seen {
  bool valid = false;
  bool v4 = false;
  std::array<std::uint8_t, 16> octets{};
  std::uint16_t port = 0;

  bool loopback() const {
    if (v4) return octets[0] == 127;
    static constexpr std::array<std::uint8_t, 16> kLoopback{0, 0, 0, 0, 0, 0, 0, 0,
                                                            0, 0, 0, 0, 0, 0, 0, 1};
    return octets == kLoopback;
  }
  bool unspecified() const {
    for (std::size_t i = 0; i < (v4 ? 4u : 16u); ++i) {
      if (octets[i] != 0) return false;
    }
    return true;
  }
  bool ipv6_loopback() const { return !v4 && loopback(); }
};

Seen seen(const SyscallEvent& event) {
  Seen address;
  if (event.address.ss_family == AF_INET && event.address_length >= sizeof(sockaddr_in)) {
    sockaddr_in in{};
    std::memcpy(&in, &event.address, sizeof(in));
    address = {.valid = true, .v4 = true, .port = ntohs(in.sin_port)};
    std::memcpy(address.octets.data(), &in.sin_addr, 4);
  } else if (event.address.ss_family == AF_INET6 && event.address_length >= sizeof(sockaddr_in6)) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, &event.address, sizeof(in6));
    address = {.valid = true, .port = ntohs(in6.sin6_port)};
    if (IN6_IS_ADDR_V4MAPPED(&in6.sin6_addr)) {
      address.v4 = true;
      std::memcpy(address.octets.data(), in6.sin6_addr.s6_addr + 12, 4);
    } else {
      std::memcpy(address.octets.data(), in6.sin6_addr.s6_addr, 16);
    }
  }
  return address;
}

bool bind_allowed(Who who, const Seen& local) {
  if (!local.valid) return false;
  if (local.port != 0 && local.port < 1024) return false;  // no tenant has a privileged rule
  if (local.unspecified()) return true;
  return who == Who::beta ? local.ipv6_loopback() : local.loopback();
}

bool peer_allowed(Who who, const Seen& remote) {
  if (!remote.valid) return false;
  if (who == Who::beta)
    return remote.ipv6_loopback() && remote.port >= 30000 && remote.port <= 30010;
  // alpha's connect_resolved lends whatever "localhost" or a loopback literal resolves to.
  return remote.loopback();
}

}  // namespace

// A socket option only wasi-socketd:sockets-ext sets: the daemon's own WASI 0.2 paths set
// TCP_NODELAY and IPV6_V6ONLY only to 1, SO_REUSEADDR only on TCP sockets, and SO_LINGER only
// off or to 0 (an abortive close).
bool extension_only(const SyscallEvent& event) {
  switch (event.level) {
    case IPPROTO_TCP:
      return event.option == TCP_CORK || (event.option == TCP_NODELAY && event.value == 0);
    case SOL_SOCKET:
      return event.option == SO_BROADCAST || event.option == SO_REUSEPORT ||
             (event.option == SO_REUSEADDR && event.type == SOCK_DGRAM) ||
             (event.option == SO_LINGER && event.value > 0);
    case IPPROTO_IP:
      return event.option == IP_TOS || event.option == IP_MULTICAST_TTL ||
             event.option == IP_MULTICAST_LOOP || event.option == IP_MULTICAST_IF ||
             event.option == IP_ADD_MEMBERSHIP || event.option == IP_DROP_MEMBERSHIP;
    case IPPROTO_IPV6:
      return event.option == IPV6_TCLASS || event.option == IPV6_MULTICAST_HOPS ||
             event.option == IPV6_MULTICAST_LOOP || event.option == IPV6_MULTICAST_IF ||
             event.option == IPV6_ADD_MEMBERSHIP || event.option == IPV6_DROP_MEMBERSHIP ||
             (event.option == IPV6_V6ONLY && event.value == 0);
    default:
      return false;
  }
}

// alpha's multicast_groups: 239.255.77.0/24 and ff05::77:0/112.
bool group_granted(const Seen& group) {
  if (!group.valid) return false;
  if (group.v4) return group.octets[0] == 239 && group.octets[1] == 255 && group.octets[2] == 77;
  static constexpr std::array<std::uint8_t, 14> kPrefix{0xff, 0x05, 0, 0, 0, 0, 0,
                                                        0,    0,    0, 0, 0, 0, 0x77};
  return std::equal(kPrefix.begin(), kPrefix.end(), group.octets.begin());
}

bool option_allowed(Who who, const SyscallEvent& event) {
  if (!extension_only(event)) return true;
  if (who == Who::beta) return false;  // beta is granted no extension
  const bool membership = event.option == IP_ADD_MEMBERSHIP || event.option == IPV6_ADD_MEMBERSHIP;
  return !membership || group_granted(seen(event));
}

bool oracle_allows(Who who, const SyscallEvent& event) {
  const Seen address = seen(event);
  switch (event.call) {
    case Syscall::socket:
      return !(who == Who::beta && event.type == SOCK_DGRAM);
    case Syscall::bind:
      return bind_allowed(who, address);
    case Syscall::listen:  // the observer fills in the bound address
      if (who == Who::beta) return address.valid && address.ipv6_loopback();
      return bind_allowed(who, address);
    case Syscall::connect:
      // A UDP "disconnect" is connect(AF_UNSPEC).
      if (event.address.ss_family == AF_UNSPEC) return true;
      return peer_allowed(who, address);
    case Syscall::sendto:
    case Syscall::sendmsg:
      if (event.address_length == 0) return true;  // a connected socket: checked at connect
      return who != Who::beta && peer_allowed(who, address);
    case Syscall::send:
      return true;
    case Syscall::setsockopt:
      return option_allowed(who, event);
  }
  return false;
}

bool oracle_allows_lookup(const std::string& host) {
  return ::strcasecmp(host.c_str(), "localhost") == 0;
}

}  // namespace wasi_socketd::fuzz
