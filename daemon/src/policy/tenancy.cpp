#include "policy/tenancy.h"

#include "policy/default_policy.h"
#include "policy/network_namespace.h"
#include "policy/policy_loader.h"
#include "policy/session_policy.h"

namespace wasi_socketd::policy {
namespace {

std::shared_ptr<audit::AuditLog> open_sink(const AuditSettings& settings, std::string& error) {
  if (settings.destination == "stderr") return audit::AuditLog::to_stderr();
  if (settings.destination == "none") return audit::AuditLog::discard();
  return audit::AuditLog::to_file(settings.destination, error);
}

}  // namespace

Tenancy::Created Tenancy::create(const std::string& policy_path, uid_t default_owner,
                                 std::shared_ptr<audit::AuditLog> audit_override) {
  if (policy_path.empty()) {
    return create(make_default_policy(default_owner), policy_path, std::move(audit_override));
  }
  LoadResult loaded = load_policy_file(policy_path);
  if (!loaded.ok()) return {nullptr, loaded.error};
  return create(std::move(loaded.policy), policy_path, std::move(audit_override));
}

Tenancy::Created Tenancy::create(std::shared_ptr<const Policy> policy, std::string policy_path,
                                 std::shared_ptr<audit::AuditLog> audit_override) {
  std::shared_ptr<Tenancy> tenancy(new Tenancy(std::move(policy_path), std::move(audit_override)));
  if (auto error = tenancy->install(std::move(policy))) return {nullptr, error};
  return {tenancy, std::nullopt};
}

std::optional<PolicyError> Tenancy::install(std::shared_ptr<const Policy> policy) {
  std::shared_ptr<audit::AuditLog> sink = audit_override_;
  if (!sink) {
    const auto current = policy_.load();
    if (current && current->audit.destination == policy->audit.destination) {
      sink = audit_.load();  // same destination: keep the open file
    } else {
      std::string error;
      sink = open_sink(policy->audit, error);
      if (!sink) return PolicyError{policy->source, 0, 0, "audit destination " + error};
    }
  }
  audit_.store(std::move(sink));
  usage_.apply(*policy);
  policy_.store(std::move(policy));
  return std::nullopt;
}

std::optional<PolicyError> Tenancy::reload() {
  if (path_.empty()) return std::nullopt;
  std::lock_guard lock(reload_mutex_);
  LoadResult loaded = load_policy_file(path_);
  if (!loaded.ok()) return loaded.error;
  return install(std::move(loaded.policy));
}

Admission Tenancy::admit(const PeerIdentity& peer) {
  const auto current = policy();
  const auto tenant = current->select_tenant(peer);
  auto refuse = [&](std::string reason) {
    audit::AuditEvent event;
    event.tenant = tenant ? tenant->name : "";
    event.uid = peer.uid;
    event.gid = peer.gid;
    event.pid = peer.pid;
    event.operation = "session.open";
    event.name = peer.listener;
    event.rule = reason;
    audit()->record(event);
    return Admission{nullptr, std::move(reason)};
  };
  if (!tenant) return refuse("unknown-peer");
  auto usage = usage_.usage_for(*tenant);
  TenantUsage::Lease slot = usage->try_open_session();
  if (!slot) return refuse("quota.sessions");
  std::shared_ptr<NetworkNamespace> netns;
  if (!tenant->network_namespace.empty()) {
    std::string error;
    netns = NetworkNamespace::open(tenant->network_namespace, error);
    if (!netns) return refuse("network_namespace");
  }
  auto session = std::make_shared<SessionPolicy>(
      shared_from_this(), tenant->name, peer, std::move(usage), std::move(slot), std::move(netns));
  if (tenant->log_grants) {
    session->audit("session.open", "", peer.listener, tenant->name, audit::Outcome::allow);
  }
  return Admission{std::move(session), ""};
}

}  // namespace wasi_socketd::policy
