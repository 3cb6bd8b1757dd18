// Base of everything a session's resource table holds (TCP sockets, UDP sockets).
// Used on the owning session's strand only.
#pragma once

#include <memory>
#include <vector>

#include "policy/tenant_usage.h"
#include "resource_summary.h"

namespace wasi_socketd::daemon {

class SessionResource {
 public:
  virtual ~SessionResource() = default;
  // The session ends: release the kernel socket now; no callback of it may reach the session later.
  virtual void close() = 0;
  // Protocol, state and addresses, for `wasi-socketctl sockets` and the sockets gauge.
  virtual ResourceSummary summary() const = 0;

  // A share of the tenant's quotas (a socket slot, reserved buffer bytes) this resource keeps
  // until it is destroyed.
  void hold(policy::TenantUsage::Lease lease) {
    if (lease) quota_.push_back(std::move(lease));
  }
  // Hands the held shares over (to a socket that outlives this resource, while it lingers);
  // they are given back when the returned token dies.
  std::shared_ptr<void> release_quota() {
    return std::make_shared<std::vector<policy::TenantUsage::Lease>>(std::move(quota_));
  }

 private:
  std::vector<policy::TenantUsage::Lease> quota_;
};

}  // namespace wasi_socketd::daemon
