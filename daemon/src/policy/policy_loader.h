// Turns a TOML policy file (docs/policy.md) into a Policy, or says exactly where it is wrong.
// Pure function of its input (plus user/group name lookups); safe from any thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "policy/policy.h"
#include "policy/policy_error.h"

namespace wasi_socketd::policy {

struct LoadResult {
  std::shared_ptr<const Policy> policy;  // set on success
  std::optional<PolicyError> error;      // set on failure
  bool ok() const { return policy != nullptr; }
};

// `source_name` is what error messages call the text (normally its path).
LoadResult parse_policy(std::string_view text, const std::string& source_name);
LoadResult load_policy_file(const std::string& path);

}  // namespace wasi_socketd::policy
