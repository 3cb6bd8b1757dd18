#include "default_tenant.h"

#include <unistd.h>

#include <utility>
#include <variant>

#include "loopback_policy.h"
#include "sockets/name_syntax.h"

namespace wasi_socketd::daemon {

namespace {

bool is_localhost_or_literal(const std::string& name) {
  sockets::Result<sockets::LookupName> parsed = sockets::parse_lookup_name(name);
  if (!parsed) {
    return false;
  }
  const auto* host = std::get_if<std::string>(&*parsed);
  return host == nullptr || *host == "localhost";
}

}  // namespace

Tenant loopback_tenant(std::string name) {
  Tenant tenant;
  tenant.name = std::move(name);
  tenant.tcp = true;
  tenant.udp = true;
  tenant.name_lookup = true;
  tenant.policy = std::make_shared<LoopbackPolicy>();
  tenant.may_resolve = is_localhost_or_literal;
  return tenant;
}

Tenant denied_tenant(std::string name) {
  Tenant tenant;
  tenant.name = std::move(name);
  tenant.socket_quota = 0;
  tenant.policy = std::make_shared<DenyAllPolicy>();
  tenant.may_resolve = [](const std::string&) { return false; };
  return tenant;
}

TenantResolver default_tenant_resolver() {
  const uid_t own_uid = geteuid();
  return [own_uid](const PeerCredentials& peer) {
    if (peer.uid == own_uid) {
      return loopback_tenant("default");
    }
    return denied_tenant("uid-" + std::to_string(peer.uid));
  };
}

}  // namespace wasi_socketd::daemon
