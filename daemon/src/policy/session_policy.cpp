#include "policy/session_policy.h"

#include <algorithm>

#include "policy/network_namespace.h"
#include "policy/tenancy.h"

namespace wasi_socketd::policy {
namespace {

std::optional<Operation> operation_for(sockets::Protocol protocol, sockets::Use use) {
  using sockets::Use;
  if (protocol == sockets::Protocol::tcp) {
    switch (use) {
      case Use::bind:
        return Operation::tcp_bind;
      case Use::listen:
        return Operation::tcp_listen;
      case Use::connect:
        return Operation::tcp_connect;
      case Use::accept:
        return Operation::tcp_accept;
      default:
        return std::nullopt;
    }
  }
  switch (use) {
    case Use::bind:
      return Operation::udp_bind;
    case Use::connect:  // stream(remote): every later datagram goes there
    case Use::send:
      return Operation::udp_send;
    case Use::receive:
      return Operation::udp_receive;
    default:
      return std::nullopt;
  }
}

std::string format_address(const sockets::SocketAddress& address) {
  if (address.ip.is_v6()) return "[" + address.ip.to_string() + "]:" + std::to_string(address.port);
  return address.ip.to_string() + ":" + std::to_string(address.port);
}

}  // namespace

SessionPolicy::SessionPolicy(std::shared_ptr<Tenancy> tenancy, std::string tenant,
                             PeerIdentity peer, std::shared_ptr<TenantUsage> usage,
                             TenantUsage::Lease session_slot,
                             std::shared_ptr<NetworkNamespace> netns)
    : tenancy_(std::move(tenancy)),
      tenant_name_(std::move(tenant)),
      peer_(std::move(peer)),
      usage_(std::move(usage)),
      session_slot_(std::move(session_slot)),
      netns_(std::move(netns)) {}

std::shared_ptr<const Tenant> SessionPolicy::tenant() const {
  return tenancy_->policy()->find_tenant(tenant_name_);
}

void SessionPolicy::audit(std::string_view operation, std::string address, std::string name,
                          std::string rule, audit::Outcome outcome, std::string target) const {
  audit::AuditEvent event;
  event.tenant = tenant_name_;
  event.uid = peer_.uid;
  event.gid = peer_.gid;
  event.pid = peer_.pid;
  event.operation = std::string(operation);
  event.address = std::move(address);
  event.name = std::move(name);
  event.rule = std::move(rule);
  event.target = std::move(target);
  event.outcome = outcome;
  tenancy_->audit()->record(event);  // rate limited per tenant there
}

bool SessionPolicy::decide(const Tenant* tenant, std::string_view operation, std::string address,
                           std::string name, const Decision& decision, std::string target) const {
  if (!decision.allowed) {
    tenancy_->denied(tenant_name_, operation, decision.rule);
  }
  if (!decision.allowed || (tenant != nullptr && tenant->log_grants)) {
    audit(operation, std::move(address), std::move(name), decision.rule,
          decision.allowed ? audit::Outcome::allow : audit::Outcome::deny, std::move(target));
  }
  return decision.allowed;
}

bool SessionPolicy::allows(sockets::Protocol protocol, sockets::Use use,
                           const sockets::SocketAddress& address) const {
  return check(protocol, use, address, "");
}

bool SessionPolicy::allows_implicit_bind(sockets::Protocol protocol,
                                         const sockets::SocketAddress& local,
                                         const sockets::SocketAddress& target) const {
  return check(protocol, sockets::Use::bind, local, format_address(target));
}

bool SessionPolicy::check(sockets::Protocol protocol, sockets::Use use,
                          const sockets::SocketAddress& address, std::string target) const {
  const auto operation = operation_for(protocol, use);
  const auto current = tenant();
  const std::string_view operation_text =
      operation ? operation_name(*operation) : std::string_view("unknown");
  if (!current || !operation) {
    return decide(nullptr, operation_text, format_address(address), "",
                  {false, current ? "unknown-operation" : "tenant-removed"}, std::move(target));
  }
  Decision decision = current->decide(*operation, address.ip, address.port);
  std::string resolved_from;
  const bool outbound = *operation == Operation::tcp_connect || *operation == Operation::udp_send;
  // A resolved name lends its addresses only where no rule spoke: an explicit deny still wins.
  if (!decision.allowed && decision.rule == "default-deny" && outbound &&
      current->name_lookup.connect_resolved) {
    const auto& ports = current->name_lookup.connect_resolved_ports;
    const bool port_ok =
        ports.empty() || std::any_of(ports.begin(), ports.end(),
                                     [&](const PortRange& p) { return p.contains(address.port); });
    if (auto name = resolved_.name_of(address.ip); name && port_ok) {
      decision = {true, current->name + ".name_lookup.connect_resolved"};
      resolved_from = *name;
    }
  }
  return decide(current.get(), operation_text, format_address(address), resolved_from, decision,
                std::move(target));
}

sockets::Result<TenantUsage::Lease> SessionPolicy::open_socket(sockets::Protocol protocol) const {
  const auto current = tenant();
  const bool tcp = protocol == sockets::Protocol::tcp;
  const std::string_view operation = tcp ? "tcp.create" : "udp.create";
  if (!current || !(tcp ? current->tcp : current->udp)) {
    decide(current.get(), operation, "", "",
           {false,
            current ? current->name + (tcp ? ".tcp" : ".udp") + ".disabled" : "tenant-removed"});
    return sockets::ErrorCode::access_denied;
  }
  TenantUsage::Lease lease = usage_->try_open_socket();
  if (!lease) {
    decide(current.get(), operation, "", "", {false, "quota.sockets"});
    return sockets::ErrorCode::new_socket_limit;
  }
  return lease;
}

bool SessionPolicy::lookups_enabled(std::string_view name) const {
  const auto current = tenant();
  if (current && current->name_lookup.enabled) return true;
  return decide(current.get(), "name_lookup", "", std::string(name),
                {false, current ? current->name + ".name_lookup.disabled" : "tenant-removed"});
}

bool SessionPolicy::allows_lookup(const sockets::LookupName& name) const {
  const auto current = tenant();
  const Decision decision =
      current ? current->decide_lookup(name) : Decision{false, "tenant-removed"};
  return decide(current.get(), "name_lookup", "", sockets::to_string(name), decision);
}

void SessionPolicy::remember_resolved(
    const sockets::LookupName& name, const std::vector<boost::asio::ip::address>& addresses) const {
  if (sockets::is_ip_literal(name)) return;
  const auto current = tenant();
  if (current && current->name_lookup.connect_resolved) {
    resolved_.remember(std::get<std::string>(name), addresses);
  }
}

bool SessionPolicy::try_new_connection(const sockets::SocketAddress& target) const {
  if (usage_->try_new_connection()) return true;
  decide(nullptr, "tcp.connection_rate", format_address(target), "",
         {false, "quota.connections_per_second"});
  return false;
}

bool SessionPolicy::may_accept_connection() const {
  if (usage_->may_accept_connection()) return true;
  decide(nullptr, "tcp.connection_rate", "", "", {false, "quota.connections_per_second"});
  return false;
}

TenantUsage::Lease SessionPolicy::try_buffer(uint64_t bytes) const {
  TenantUsage::Lease lease = usage_->try_buffer(bytes);
  if (!lease) decide(nullptr, "tcp.buffers", "", "", {false, "quota.buffered_bytes"});
  return lease;
}

uint64_t SessionPolicy::sockets_per_session() const {
  const auto current = tenant();
  return current ? current->quotas.sockets_per_session : 0;
}

Capabilities SessionPolicy::capabilities() const {
  const auto current = tenant();
  if (!current) return {};
  return {current->tcp, current->udp, current->name_lookup.enabled};
}

}  // namespace wasi_socketd::policy
