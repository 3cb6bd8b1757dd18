// The policy in force, swappable at run time (SIGHUP reload) without locking readers out.
// Thread-safe: current() from any thread returns a snapshot that stays valid while held;
// replace()/reload() swap atomically, so a reader sees the old policy or the new, never a mix.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>

#include "policy/policy.h"
#include "policy/policy_error.h"

namespace wasi_socketd::policy {

class PolicyStore {
 public:
  // `path` empty: the default policy for `default_owner`, and reload() keeps it.
  PolicyStore(std::shared_ptr<const Policy> initial, std::string path);

  std::shared_ptr<const Policy> current() const { return current_.load(); }
  void replace(std::shared_ptr<const Policy> policy) { current_.store(std::move(policy)); }

  // Reads the file again. On error the old policy stays and the error is returned.
  std::optional<PolicyError> reload();
  const std::string& path() const { return path_; }

 private:
  std::atomic<std::shared_ptr<const Policy>> current_;
  const std::string path_;
};

}  // namespace wasi_socketd::policy
