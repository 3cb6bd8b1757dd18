// A whole policy: listening sockets, tenants in selection order, audit settings.
// Built once (loader or default), then only read: share it as shared_ptr<const Policy>.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "policy/listener_definition.h"
#include "policy/peer_identity.h"
#include "policy/tenant.h"

namespace wasi_socketd::policy {

struct AuditSettings {
  std::string destination = "stderr";  // "stderr", "none" or an absolute file path
  bool log_grants = false;             // default for tenants that do not say
};

struct Policy {
  std::string source;  // file it came from, "(default)" for the built-in one
  AuditSettings audit;
  std::vector<ListenerDefinition> listeners;  // besides "main"
  std::vector<std::shared_ptr<const Tenant>> tenants;

  // First tenant (in file order) that matches; nullptr: unknown peer, refuse the connection.
  std::shared_ptr<const Tenant> select_tenant(const PeerIdentity& peer) const;
  // The tenant called `name`, nullptr if this policy has none (removed by a reload).
  std::shared_ptr<const Tenant> find_tenant(std::string_view name) const;
};

}  // namespace wasi_socketd::policy
