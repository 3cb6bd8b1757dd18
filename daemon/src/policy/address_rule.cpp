#include "policy/address_rule.h"

#include <algorithm>

#include "policy/address_class.h"

namespace wasi_socketd::policy {

bool AddressRule::matches(const boost::asio::ip::address& address, uint16_t port) const {
  if (family == FamilyFilter::ipv4 && !address.is_v4()) return false;
  if (family == FamilyFilter::ipv6 && !address.is_v6()) return false;
  const bool network_ok =
      networks.empty() || std::any_of(networks.begin(), networks.end(),
                                      [&](const Cidr& n) { return n.contains(address); });
  const bool port_ok =
      ports.empty() ||
      std::any_of(ports.begin(), ports.end(), [&](const PortRange& p) { return p.contains(port); });
  return network_ok && port_ok;
}

bool AddressRule::names(const ProtectedRange& guard,
                        const boost::asio::ip::address& address) const {
  return std::any_of(networks.begin(), networks.end(),
                     [&](const Cidr& n) { return n.contains(address) && n.within(guard.range); });
}

Decision evaluate(const std::vector<AddressRule>& rules, const boost::asio::ip::address& address,
                  uint16_t port, bool binding) {
  const bool needs_grant = binding && is_privileged_port(port);
  const auto guard = protected_range(address);
  bool passed_over = false;
  bool passed_over_guard = false;
  for (const AddressRule& rule : rules) {
    if (!rule.matches(address, port)) continue;
    if (rule.action == AddressRule::Action::deny) return {false, rule.label};
    if (guard && !rule.names(*guard, address)) {
      passed_over_guard = true;
      continue;
    }
    if (needs_grant && !rule.privileged) {
      passed_over = true;
      continue;
    }
    return {true, rule.label};
  }
  if (passed_over_guard) return {false, protected_rule(guard->class_name)};
  return {false, passed_over ? "privileged-port" : "default-deny"};
}

namespace {
constexpr std::string_view kProtectedPrefix = "protected.";
}  // namespace

std::string protected_rule(std::string_view class_name) {
  return std::string(kProtectedPrefix) + std::string(class_name);
}

bool is_protected_rule(std::string_view rule) { return rule.starts_with(kProtectedPrefix); }

}  // namespace wasi_socketd::policy
