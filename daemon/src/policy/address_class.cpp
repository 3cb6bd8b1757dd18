#include "policy/address_class.h"

#include <algorithm>
#include <map>
#include <string>

namespace wasi_socketd::policy {
namespace {

std::vector<Cidr> networks(std::initializer_list<std::string_view> texts) {
  std::vector<Cidr> out;
  for (std::string_view text : texts) out.push_back(*Cidr::parse(text));
  return out;
}

// Ranges per class. Why each metadata address: 169.254.169.254 is the instance metadata service
// of AWS, GCP, Azure, OpenStack, DigitalOcean and others; fd00:ec2::254 is AWS's IPv6 endpoint
// for it; 100.100.100.200 is Alibaba Cloud's. 100.64.0.0/10 (shared address space, RFC 6598) is
// in `private`: carrier-grade NAT and overlay networks such as Tailscale use it for internal hosts.
const std::map<std::string, std::vector<Cidr>, std::less<>>& table() {
  static const std::map<std::string, std::vector<Cidr>, std::less<>> classes = {
      {"any", networks({"0.0.0.0/0", "::/0"})},
      {"unspecified", networks({"0.0.0.0/32", "::/128"})},
      {"loopback", networks({"127.0.0.0/8", "::1/128"})},
      {"link-local", networks({"169.254.0.0/16", "fe80::/10"})},
      {"private",
       networks({"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7"})},
      {"metadata", networks({"169.254.169.254", "fd00:ec2::254", "100.100.100.200"})},
      {"multicast", networks({"224.0.0.0/4", "ff00::/8"})},
  };
  return classes;
}

}  // namespace

const std::vector<Cidr>& class_networks(std::string_view word) {
  static const std::vector<Cidr> none;
  const auto found = table().find(word);
  return found == table().end() ? none : found->second;
}

std::string_view class_words() {
  return "loopback, link-local, private, metadata, multicast, any, unspecified";
}

std::optional<ProtectedRange> protected_range(const boost::asio::ip::address& address) {
  // Asked on every decision (each datagram received too): the ranges, most specific first.
  static const std::vector<ProtectedRange> guarded = [] {
    std::vector<ProtectedRange> out;
    for (std::string_view name : {"metadata", "link-local"}) {
      for (const Cidr& range : class_networks(name)) out.push_back({name, range});
    }
    return out;
  }();
  const auto ipv4_or_v6 = unmap_v4(address);
  for (const ProtectedRange& guard : guarded) {
    if (guard.range.contains(ipv4_or_v6)) return guard;
  }
  return std::nullopt;
}

}  // namespace wasi_socketd::policy
