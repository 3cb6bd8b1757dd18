// The built-in address classes a rule may name ("loopback", "link-local", "private", "metadata",
// "multicast", plus the words "any" and "unspecified"), and the protected ranges — metadata and
// link-local — that only a rule naming them may allow, whatever wider rule also matches.
// Constant tables built once; safe to use from any thread.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "policy/cidr.h"

namespace wasi_socketd::policy {

// The networks a word stands for; empty if `word` is not a class or word.
const std::vector<Cidr>& class_networks(std::string_view word);

// The words class_networks() knows, for error messages.
std::string_view class_words();

struct ProtectedRange {
  std::string_view class_name;  // "metadata" or "link-local"
  Cidr range;                   // the part of the class that holds the address
};

// The protected range holding `address` (IPv4-mapped and IPv4-compatible forms seen as the IPv4
// address), most specific first: an address in `metadata` is guarded by that class, not by the
// wider `link-local` it also lies in. nullopt: the address is not protected.
std::optional<ProtectedRange> protected_range(const boost::asio::ip::address& address);

}  // namespace wasi_socketd::policy
