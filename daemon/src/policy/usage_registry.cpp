#include "policy/usage_registry.h"

namespace wasi_socketd::policy {

std::shared_ptr<TenantUsage> UsageRegistry::usage_for(const Tenant& tenant) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = usage_.try_emplace(tenant.name);
  if (inserted) {
    it->second = std::make_shared<TenantUsage>(tenant.quotas);
  } else {
    it->second->set_quotas(tenant.quotas);
  }
  return it->second;
}

void UsageRegistry::apply(const Policy& policy) {
  std::lock_guard lock(mutex_);
  for (const auto& tenant : policy.tenants) {
    if (auto it = usage_.find(tenant->name); it != usage_.end())
      it->second->set_quotas(tenant->quotas);
  }
}

}  // namespace wasi_socketd::policy
