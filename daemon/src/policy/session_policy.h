// One client session's view of its tenant: the socket core's SocketPolicy hook, the switches
// and quotas the services check, name-lookup permission and the "resolved names become
// connectable" memory, and the audit records of every decision.
// A report-mode tenant's rule and switch denials are audited as would-deny and then allowed;
// quota refusals (sockets, connection rate, buffers) hold in every mode.
// Every decision reads the policy in force *now* (by tenant name), so a reload reaches live
// sessions; a tenant removed by a reload is denied everything.
// Thread-safe: all methods may be called from any thread (the core shares one hook between a
// session's sockets, and the hook is const).
#pragma once

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
#include "sockets/error_code.h"
#include "sockets/name_syntax.h"
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
  SessionPolicy(std::shared_ptr<Tenancy> tenancy, std::string tenant, PeerIdentity peer,
                std::shared_ptr<TenantUsage> usage, TenantUsage::Lease session_slot,
                std::shared_ptr<NetworkNamespace> netns);

  // sockets::SocketPolicy: the address rules (and resolved-name memory for connect/send).
  bool allows(sockets::Protocol protocol, sockets::Use use,
              const sockets::SocketAddress& address) const override;
  // Audited as the bind it is, with the connect target the tenant asked for.
  bool allows_implicit_bind(sockets::Protocol protocol, const sockets::SocketAddress& local,
                            const sockets::SocketAddress& target) const override;

  // create-tcp-socket / create-udp-socket: access-denied when the switch is off,
  // new-socket-limit past the socket quota. Keep the lease as long as the socket lives.
  sockets::Result<TenantUsage::Lease> open_socket(sockets::Protocol protocol) const;
  // ip-name-lookup at all (the switch): false → permanent-resolver-failure. `name` is what the
  // tenant asked for (its parsed form), for the audit line.
  bool lookups_enabled(std::string_view name) const;
  // This name (the request's one parsed form): false → permanent-resolver-failure.
  bool allows_lookup(const sockets::LookupName& name) const;
  // After a lookup succeeded: drops the addresses in a protected class (metadata, link-local)
  // that no allow rule of tcp.connect or udp.send names, each audited as a name_lookup denial
  // with rule protected.CLASS (kept, as would-deny, in report mode) — so a name rebound to the
  // metadata service gives the tenant nothing to connect to. False when none is left.
  bool screen_resolved(const sockets::LookupName& name,
                       std::vector<boost::asio::ip::address>& addresses) const;
  // After a permitted lookup succeeded; remembered only if the tenant has connect_resolved and
  // `name` is a host name: a literal "resolves" to itself and lends nothing.
  void remember_resolved(const sockets::LookupName& name,
                         const std::vector<boost::asio::ip::address>& addresses) const;
  // wasi-socketd:sockets-ext: whether [tenant.extensions] grants `extension`; a denial is audited
  // as operation extension.NAME (would-deny, and allowed, in report mode).
  bool allows_extension(Extension extension) const;
  // join/leave-multicast-group of `group`: inside the tenant's multicast_groups (audited like
  // allows_extension, with the group as the address).
  bool allows_multicast_group(const boost::asio::ip::address& group) const;
  // sockets::SocketPolicy: a datagram to a broadcast address the kernel refused (SO_BROADCAST
  // off), audited as a denied extension.broadcast with the destination; the rule says whether
  // the grant is missing (.not-granted) or the guest never turned it on (.not-set).
  void broadcast_refused(const sockets::SocketAddress& destination) const override;
  // One new outgoing TCP connection (start-connect) to `target`; false → would-block, audited
  // with the target.
  bool try_new_connection(const sockets::SocketAddress& target) const;
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
  // The description of this session's tenant in the policy in force now; null once a reload
  // removed the tenant.
  std::shared_ptr<const Tenant> tenant() const;
  const PeerIdentity& peer() const { return peer_; }
  // nullptr: the daemon's own namespace. Enter it around socket creation.
  const NetworkNamespace* network_namespace() const { return netns_.get(); }

  // `target`: for an implicit bind, the connect destination it was for; else empty.
  void audit(std::string_view operation, std::string address, std::string name, std::string rule,
             audit::Outcome outcome, std::string target = "") const;

 private:
  // rule: the tenant's rules and switches (reported, not enforced, in report mode);
  // quota: the bounds that protect the daemon and the other tenants (also the port-sharing
  // extensions reuse_address / reuse_port), enforced in every mode.
  enum class Kind { rule, quota };

  // Audits and returns whether the operation goes ahead. `tenant` null: enforce.
  bool decide(const Tenant* tenant, Kind kind, std::string_view operation, std::string address,
              std::string name, const Decision& decision, std::string target = "") const;
  bool check(sockets::Protocol protocol, sockets::Use use, const sockets::SocketAddress& address,
             std::string target) const;

  const std::shared_ptr<Tenancy> tenancy_;
  const std::string tenant_name_;
  const PeerIdentity peer_;
  const std::shared_ptr<TenantUsage> usage_;
  const TenantUsage::Lease session_slot_;  // held for the session's life
  const std::shared_ptr<NetworkNamespace> netns_;
  mutable ResolvedAddresses resolved_;
};

}  // namespace wasi_socketd::policy
