// One allow/deny rule for one use of an address, and the evaluation of a rule list.
// Value types; immutable once a Policy is built; safe to share between threads.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "policy/cidr.h"
#include "policy/port_range.h"

namespace wasi_socketd::policy {

struct ProtectedRange;

enum class FamilyFilter { any, ipv4, ipv6 };

struct AddressRule {
  enum class Action { allow, deny };

  std::string label;  // "<tenant>.<operation>[<index>]" or the rule's own `name`
  Action action = Action::allow;
  FamilyFilter family = FamilyFilter::any;  // family of the socket's address as given
  std::vector<Cidr> networks;               // empty: any address
  std::vector<PortRange> ports;             // empty: any port
  bool privileged = false;  // lends bind to ports 1-1023 (only meaningful on bind rules)

  bool matches(const boost::asio::ip::address& address, uint16_t port) const;
  // Whether one of the rule's networks holding `address` lies wholly inside the protected range
  // (the class word, the address itself, or a CIDR inside it): only such a rule allows it.
  bool names(const ProtectedRange& guard, const boost::asio::ip::address& address) const;
};

struct Decision {
  bool allowed = false;
  // Label of the deciding rule, "default-deny", "privileged-port" or "protected.CLASS".
  std::string rule;
};

// First matching rule wins; no match denies ("default-deny"). When `binding` and the port is
// privileged, allow rules without `privileged = true` are passed over, so such a bind ends
// at a deny rule, a granting rule, or "privileged-port" (an allow rule matched but lent nothing).
// Likewise for an address in a protected class (metadata, link-local): allow rules that do not
// name it are passed over, ending at "protected.metadata" / "protected.link-local".
Decision evaluate(const std::vector<AddressRule>& rules, const boost::asio::ip::address& address,
                  uint16_t port, bool binding);

// "protected.CLASS", the rule of a denial an unnamed protected class caused.
std::string protected_rule(std::string_view class_name);
// Whether `rule` (a decision's rule) is such a protected-class denial.
bool is_protected_rule(std::string_view rule);

}  // namespace wasi_socketd::policy
