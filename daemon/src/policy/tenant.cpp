#include "policy/tenant.h"

#include <algorithm>

#include "policy/listener_definition.h"

namespace wasi_socketd::policy {
bool Tenant::matches(const PeerIdentity& peer) const {
  const bool listener_ok = listeners.empty() ? peer.listener == kMainListener
                                             : std::find(listeners.begin(), listeners.end(),
                                                         peer.listener) != listeners.end();
  if (!listener_ok) return false;
  if (uids.empty() && gids.empty()) return true;
  return std::find(uids.begin(), uids.end(), peer.uid) != uids.end() ||
         std::find(gids.begin(), gids.end(), peer.gid) != gids.end();
}

Decision Tenant::decide(Operation operation, const boost::asio::ip::address& address,
                        uint16_t port) const {
  if (is_tcp(operation) ? !tcp : !udp) return {false, name + ".disabled"};
  return evaluate(rules_for(operation), address, port, is_bind(operation));
}

Decision Tenant::decide_lookup(const sockets::LookupName& lookup) const {
  if (!name_lookup.enabled) return {false, name + ".name_lookup.disabled"};
  if (sockets::is_ip_literal(lookup)) {
    if (name_lookup.ip_literals) return {true, name + ".name_lookup.ip_literals"};
    return {false, "default-deny"};
  }
  const std::string& host = std::get<std::string>(lookup);
  for (const NamePattern& pattern : name_lookup.allow) {
    if (pattern.matches(host))
      return {true, name + ".name_lookup.allow[" + pattern.to_string() + "]"};
  }
  return {false, "default-deny"};
}

}  // namespace wasi_socketd::policy
