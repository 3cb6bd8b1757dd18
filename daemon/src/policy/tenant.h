// A tenant: who it is (uids/gids/listeners) and what it may do. Immutable once its Policy is
// built; shared (shared_ptr<const Policy>) by every session of the tenant, safe across threads.
#pragma once

#include <sys/types.h>

#include <array>
#include <string>
#include <vector>

#include "policy/address_rule.h"
#include "policy/extension_grants.h"
#include "policy/name_pattern.h"
#include "policy/operation.h"
#include "policy/peer_identity.h"
#include "policy/quotas.h"
#include "sockets/name_syntax.h"

namespace wasi_socketd::policy {

struct NameLookupRules {
  bool enabled = false;            // off: every lookup → permanent-resolver-failure
  std::vector<NamePattern> allow;  // names that may be resolved
  bool ip_literals = true;         // "127.0.0.1", "::1", "127.1" resolve to themselves (no DNS)
  bool connect_resolved = false;   // resolved addresses become connect/send targets
  std::vector<PortRange> connect_resolved_ports;  // empty: any port
};

// enforce: denials deny. report: every decision is made and audited, a denial as `would-deny`,
// but the operation proceeds; quotas and bounds still hold.
enum class Mode { enforce, report };

struct Tenant {
  std::string name;
  Mode mode = Mode::enforce;
  // Selection: the connection came through one of `listeners` (empty: only "main") and the
  // peer's uid is in `uids` or its gid in `gids` (both empty: any peer that reached the socket).
  std::vector<uid_t> uids;
  std::vector<gid_t> gids;
  std::vector<std::string> listeners;

  bool tcp = false;  // off: create-tcp-socket → access-denied
  bool udp = false;  // off: create-udp-socket → access-denied
  NameLookupRules name_lookup;
  std::array<std::vector<AddressRule>, kAllOperations.size()> rules;  // indexed by Operation
  Quotas quotas;
  std::string network_namespace;  // path such as /run/netns/NAME; empty: the daemon's own
  bool log_grants = false;        // audit allowed decisions too (denials are always audited)
  ExtensionGrants extensions;     // [tenant.extensions]: wasi-socketd:sockets-ext, off by default

  bool matches(const PeerIdentity& peer) const;
  const std::vector<AddressRule>& rules_for(Operation operation) const {
    return rules[static_cast<std::size_t>(operation)];
  }
  std::vector<AddressRule>& rules_for(Operation operation) {
    return rules[static_cast<std::size_t>(operation)];
  }
  Decision decide(Operation operation, const boost::asio::ip::address& address,
                  uint16_t port) const;
  // Whether `name` may be resolved at all (switch, literals, allow list); the rule label says why.
  // `name` is the request's canonical parsed form (sockets::parse_lookup_name), never raw text:
  // a literal in any spelling ("127.1") is judged by ip_literals, a host name by `allow`.
  Decision decide_lookup(const sockets::LookupName& name) const;
};

}  // namespace wasi_socketd::policy
