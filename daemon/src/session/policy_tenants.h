// The TenantResolver of a daemon with tenancy: each new connection is admitted by the policy in
// force (policy/tenancy.h) and gets a TenantAccess whose switches, socket policy and lookup check
// all come from its SessionPolicy. Threading: the resolver may be called from any thread (Tenancy
// is thread-safe).
#pragma once

#include <memory>

#include "tenant_access.h"

namespace wasi_socketd::policy {
class Tenancy;
}

namespace wasi_socketd::daemon {

TenantResolver policy_tenant_resolver(std::shared_ptr<policy::Tenancy> tenancy);

}  // namespace wasi_socketd::daemon
