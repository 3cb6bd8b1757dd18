// One client session's view of its tenant: the socket core's SocketPolicy hook, the switches
// and quotas the services check, name-lookup permission and the "resolved names become
// connectable" memory, and the audit records of every decision.
// Every decision reads the policy in force *now* (by tenant name), so a reload reaches live
// sessions; a tenant removed by a reload is denied everything.
// Thread-safe: all methods may be called from any thread (the core shares one hook between a
// session's sockets, and the hook is const).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_event.h"
#include "policy/operation.h"
#include "policy/peer_identity.h"
#include "policy/resolved_addresses.h"
#include "policy/tenant.h"
#include "policy/tenant_usage.h"
#include "policy/token_bucket.h"
#include "sockets/error_code.h"
#include "sockets/socket_policy.h"

namespace wasi_socketd::policy {

class NetworkNamespace;
class Tenancy;

struct Capabilities {
  bool tcp = false;
  bool udp = false;
  bool name_lookup = false;
};

class SessionPolicy final : public sockets::SocketPolicy {
 public:
  // Audit lines per session: this many per second on average, bursts up to kAuditBurst.
  static constexpr uint64_t kAuditRate = 200;
  static constexpr uint64_t kAuditBurst = 1000;

  SessionPolicy(std::shared_ptr<Tenancy> tenancy, std::string tenant, PeerIdentity peer,
                std::shared_ptr<TenantUsage> usage, TenantUsage::Lease session_slot,
                std::shared_ptr<NetworkNamespace> netns);

  // sockets::SocketPolicy: the address rules (and resolved-name memory for connect/send).
  bool allows(sockets::Protocol protocol, sockets::Use use,
              const sockets::SocketAddress& address) const override;

  // create-tcp-socket / create-udp-socket: access-denied when the switch is off,
  // new-socket-limit past the socket quota. Keep the lease as long as the socket lives.
  sockets::Result<TenantUsage::Lease> open_socket(sockets::Protocol protocol) const;
  // ip-name-lookup at all (the switch): false → permanent-resolver-failure.
  bool lookups_enabled() const;
  // This name: false → permanent-resolver-failure.
  bool allows_lookup(std::string_view name) const;
  // After a permitted lookup succeeded; remembered only if the tenant has connect_resolved.
  void remember_resolved(const std::string& name,
                         const std::vector<boost::asio::ip::address>& addresses) const;
  // One new outgoing TCP connection (start-connect); false → would-block.
  bool try_new_connection() const;
  // accept: whether the connection rate allows one more (false → would-block, the connection
  // stays queued); count_accepted_connection() once one was taken.
  bool may_accept_connection() const;
  void count_accepted_connection() const { usage_->count_accepted_connection(); }
  // Daemon-side buffering on the tenant's behalf; empty lease → would-block.
  TenantUsage::Lease try_buffer(uint64_t bytes) const;
  // Buffering charged as it happens (TenantUsage::Lease::resize), and whether it is at quota.
  TenantUsage::Lease buffer_charge() const { return usage_->buffer_charge(); }
  bool buffers_full() const { return usage_->buffers_full(); }
  // [tenant.quotas] sockets_per_session, for a session opening now.
  uint64_t sockets_per_session() const;

  Capabilities capabilities() const;
  const std::string& tenant_name() const { return tenant_name_; }
  const PeerIdentity& peer() const { return peer_; }
  // nullptr: the daemon's own namespace. Enter it around socket creation.
  const NetworkNamespace* network_namespace() const { return netns_.get(); }

  void audit(std::string_view operation, std::string address, std::string name, std::string rule,
             audit::Outcome outcome) const;

 private:
  std::shared_ptr<const Tenant> tenant() const;
  bool decide(const Tenant* tenant, std::string_view operation, std::string address,
              std::string name, const Decision& decision) const;

  const std::shared_ptr<Tenancy> tenancy_;
  const std::string tenant_name_;
  const PeerIdentity peer_;
  const std::shared_ptr<TenantUsage> usage_;
  const TenantUsage::Lease session_slot_;  // held for the session's life
  const std::shared_ptr<NetworkNamespace> netns_;
  mutable ResolvedAddresses resolved_;
  mutable TokenBucket audit_budget_{kAuditRate, kAuditBurst};
  mutable std::atomic<uint64_t> audit_suppressed_{0};
};

}  // namespace wasi_socketd::policy
