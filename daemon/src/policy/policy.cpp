#include "policy/policy.h"

namespace wasi_socketd::policy {

std::shared_ptr<const Tenant> Policy::select_tenant(const PeerIdentity& peer) const {
  for (const auto& tenant : tenants) {
    if (tenant->matches(peer)) return tenant;
  }
  return nullptr;
}

std::shared_ptr<const Tenant> Policy::find_tenant(std::string_view name) const {
  for (const auto& tenant : tenants) {
    if (tenant->name == name) return tenant;
  }
  return nullptr;
}

}  // namespace wasi_socketd::policy
