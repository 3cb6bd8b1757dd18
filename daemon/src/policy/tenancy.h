// The daemon's one handle on tenancy: the policy in force (swapped atomically on reload), the
// audit sink it names, the per-tenant usage counters, and admission of new client connections.
// Thread-safe: admit()/policy()/audit() from any thread; reload() from any thread too (an io
// thread on SIGHUP, a gRPC thread of the admin socket; reloads serialise themselves). A reload
// swaps an immutable Policy snapshot atomically: readers take policy() once per decision and
// keep deciding on that snapshot. Held by shared_ptr: every SessionPolicy keeps it alive.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "audit/audit_log.h"
#include "policy/peer_identity.h"
#include "policy/policy.h"
#include "policy/policy_error.h"
#include "policy/shared_snapshot.h"
#include "policy/usage_registry.h"

namespace wasi_socketd::policy {

class SessionPolicy;

struct Admission {
  std::shared_ptr<SessionPolicy> session;  // nullptr: refused
  std::string refusal;  // why, when refused ("unknown-peer", "quota.sessions", ...)
};

class Tenancy : public std::enable_shared_from_this<Tenancy> {
 public:
  struct Created {
    std::shared_ptr<Tenancy> tenancy;
    std::optional<PolicyError> error;
  };

  // Loads `policy_path`, or uses make_default_policy(default_owner) when it is empty.
  // `audit_override` (tests) replaces the sink the policy names.
  static Created create(const std::string& policy_path, uid_t default_owner,
                        std::shared_ptr<audit::AuditLog> audit_override = nullptr);
  // From a policy already built (tests, --check-policy).
  static Created create(std::shared_ptr<const Policy> policy, std::string policy_path,
                        std::shared_ptr<audit::AuditLog> audit_override = nullptr);

  std::shared_ptr<const Policy> policy() const { return policy_.load(); }
  std::shared_ptr<audit::AuditLog> audit() const { return audit_.load(); }
  UsageRegistry& usage() { return usage_; }

  // Re-reads the policy file; on any error (syntax, rules, audit sink) the old policy and sink
  // stay and the error is returned. Live sessions see the new rules at their next decision.
  std::optional<PolicyError> reload();

  // Picks the tenant for a new client connection, takes a session slot from its quota,
  // opens its network namespace, and audits a refusal (grants too if the tenant logs them).
  Admission admit(const PeerIdentity& peer);

  // Told of every denial (before the audit log's rate limit), e.g. to count it in metrics.
  // Set once, before the daemon starts (no lock guards it); called on whichever thread runs the
  // deciding session's sequence (an io thread, or a gRPC thread that found the session idle).
  // `rule` is the deciding rule's label (Decision::rule).
  using DenialObserver = std::function<void(const std::string& tenant, std::string_view operation,
                                            std::string_view rule)>;
  void on_denial(DenialObserver observer) { denial_observer_ = std::move(observer); }
  void denied(const std::string& tenant, std::string_view operation, std::string_view rule) const {
    if (denial_observer_) denial_observer_(tenant, operation, rule);
  }

 private:
  Tenancy(std::string path, std::shared_ptr<audit::AuditLog> audit_override)
      : path_(std::move(path)), audit_override_(std::move(audit_override)) {}
  std::optional<PolicyError> install(std::shared_ptr<const Policy> policy);

  const std::string path_;
  const std::shared_ptr<audit::AuditLog> audit_override_;
  std::mutex reload_mutex_;
  SharedSnapshot<const Policy> policy_;
  SharedSnapshot<audit::AuditLog> audit_;
  UsageRegistry usage_;
  DenialObserver denial_observer_;
};

}  // namespace wasi_socketd::policy
