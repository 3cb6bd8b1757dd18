// The tenants of a daemon without a policy file.
#pragma once

#include "tenant.h"

namespace wasi_socketd::daemon {

// TCP, UDP and name lookup on loopback only; names: "localhost" and IP literals.
Tenant loopback_tenant(std::string name);
// Nothing allowed at all.
Tenant denied_tenant(std::string name);
// The daemon's own user gets loopback_tenant("default"); any other user denied_tenant().
TenantResolver default_tenant_resolver();

}  // namespace wasi_socketd::daemon
