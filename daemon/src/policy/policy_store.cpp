#include "policy/policy_store.h"

#include "policy/policy_loader.h"

namespace wasi_socketd::policy {

PolicyStore::PolicyStore(std::shared_ptr<const Policy> initial, std::string path)
    : current_(std::move(initial)), path_(std::move(path)) {}

std::optional<PolicyError> PolicyStore::reload() {
  if (path_.empty()) return std::nullopt;
  LoadResult loaded = load_policy_file(path_);
  if (!loaded.ok()) return loaded.error;
  replace(std::move(loaded.policy));
  return std::nullopt;
}

}  // namespace wasi_socketd::policy
