// A short human-readable account of a policy, printed by `wasi-socketd --check-policy` and
// logged at start and on reload. Pure function.
#pragma once

#include <string>

#include "policy/policy.h"

namespace wasi_socketd::policy {

// "2 listeners, 2 tenants: shop (tcp, lookups; 6 rules; listeners shop), batch (...)"
std::string summarize(const Policy& policy);

}  // namespace wasi_socketd::policy
