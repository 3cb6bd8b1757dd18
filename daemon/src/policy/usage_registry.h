// One TenantUsage per tenant name, kept across policy reloads so that counts survive a swap.
// Thread-safe (a mutex; used at session open only).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "policy/policy.h"
#include "policy/tenant.h"
#include "policy/tenant_usage.h"

namespace wasi_socketd::policy {

class UsageRegistry {
 public:
  // The tenant's usage object, created on first use; its limits follow `tenant.quotas`.
  std::shared_ptr<TenantUsage> usage_for(const Tenant& tenant);
  // After a reload: every tenant the new policy still has gets its new limits at once.
  void apply(const Policy& policy);

 private:
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<TenantUsage>, std::less<>> usage_;
};

}  // namespace wasi_socketd::policy
