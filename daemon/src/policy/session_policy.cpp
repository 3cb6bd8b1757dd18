#include "policy/session_policy.h"

#include <algorithm>

#include "policy/address_class.h"
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

namespace {

// The protected-class denial `address` gets under `tenant` when none of its allow rules for
// `operations` names it; nullopt for an unprotected or named address.
std::optional<std::string> unnamed_protection(const Tenant& tenant,
                                              std::initializer_list<Operation> operations,
                                              const boost::asio::ip::address& address) {
  const auto guard = protected_range(address);
  if (!guard) return std::nullopt;
  for (Operation operation : operations) {
    for (const AddressRule& rule : tenant.rules_for(operation)) {
      if (rule.action == AddressRule::Action::allow && rule.names(*guard, address)) {
        return std::nullopt;
      }
    }
  }
  return protected_rule(guard->class_name);
}

}  // namespace

bool SessionPolicy::decide(const Tenant* tenant, Kind kind, std::string_view operation,
                           std::string address, std::string name, const Decision& decision,
                           std::string target) const {
  // Report mode lifts the tenant's own rules, never the protection of the metadata and
  // link-local classes: learning a policy must not open the cloud's credentials to the tenant.
  const bool reported = !decision.allowed && kind == Kind::rule && tenant != nullptr &&
                        tenant->mode == Mode::report && !is_protected_rule(decision.rule);
  if (!decision.allowed && !reported) {
    tenancy_->denied(tenant_name_, operation, decision.rule);
  }
  if (!decision.allowed || (tenant != nullptr && tenant->log_grants)) {
    const auto outcome = decision.allowed ? audit::Outcome::allow
                         : reported       ? audit::Outcome::would_deny
                                          : audit::Outcome::deny;
    audit(operation, std::move(address), std::move(name), decision.rule, outcome,
          std::move(target));
  }
  return decision.allowed || reported;
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
    return decide(nullptr, Kind::rule, operation_text, format_address(address), "",
                  {false, current ? "unknown-operation" : "tenant-removed"}, std::move(target));
  }
  Decision decision = current->decide(*operation, address.ip, address.port);
  // A switch that is off decides before any rule is read; in report mode that denial is only
  // reported, so the protection of the metadata and link-local classes is checked on its own.
  if (!decision.allowed && current->mode == Mode::report && !is_protected_rule(decision.rule)) {
    if (auto protection = unnamed_protection(*current, {*operation}, address.ip)) {
      decision = {false, *protection};
    }
  }
  std::string resolved_from;
  const bool outbound = *operation == Operation::tcp_connect || *operation == Operation::udp_send;
  // A resolved name lends its addresses only where no rule spoke: an explicit deny still wins,
  // and a protected address (metadata, link-local) is never lent, whatever a resolver said.
  if (!decision.allowed && decision.rule == "default-deny" && outbound &&
      current->name_lookup.connect_resolved && !protected_range(address.ip)) {
    const auto& ports = current->name_lookup.connect_resolved_ports;
    const bool port_ok =
        ports.empty() || std::any_of(ports.begin(), ports.end(),
                                     [&](const PortRange& p) { return p.contains(address.port); });
    if (auto name = resolved_.name_of(address.ip); name && port_ok) {
      decision = {true, current->name + ".name_lookup.connect_resolved"};
      resolved_from = *name;
    }
  }
  return decide(current.get(), Kind::rule, operation_text, format_address(address), resolved_from,
                decision, std::move(target));
}

sockets::Result<TenantUsage::Lease> SessionPolicy::open_socket(sockets::Protocol protocol) const {
  const auto current = tenant();
  const bool tcp = protocol == sockets::Protocol::tcp;
  const std::string_view operation = tcp ? "tcp.create" : "udp.create";
  if (!current || !(tcp ? current->tcp : current->udp)) {
    const bool reported =
        decide(current.get(), Kind::rule, operation, "", "",
               {false, current ? current->name + (tcp ? ".tcp" : ".udp") + ".disabled"
                               : "tenant-removed"});
    if (!reported) return sockets::ErrorCode::access_denied;
  }
  TenantUsage::Lease lease = usage_->try_open_socket();
  if (!lease) {
    decide(current.get(), Kind::quota, operation, "", "", {false, "quota.sockets"});
    return sockets::ErrorCode::new_socket_limit;
  }
  return lease;
}

bool SessionPolicy::lookups_enabled(std::string_view name) const {
  const auto current = tenant();
  if (current && current->name_lookup.enabled) return true;
  return decide(current.get(), Kind::rule, "name_lookup", "", std::string(name),
                {false, current ? current->name + ".name_lookup.disabled" : "tenant-removed"});
}

bool SessionPolicy::allows_lookup(const sockets::LookupName& name) const {
  const auto current = tenant();
  // Lookups switched off in report mode: lookups_enabled() already wrote the would-deny line.
  if (current && current->mode == Mode::report && !current->name_lookup.enabled) return true;
  const Decision decision =
      current ? current->decide_lookup(name) : Decision{false, "tenant-removed"};
  return decide(current.get(), Kind::rule, "name_lookup", "", sockets::to_string(name), decision);
}

bool SessionPolicy::screen_resolved(const sockets::LookupName& name,
                                    std::vector<boost::asio::ip::address>& addresses) const {
  const auto current = tenant();
  if (!current) return false;
  std::erase_if(addresses, [&](const boost::asio::ip::address& address) {
    const auto protection =
        unnamed_protection(*current, {Operation::tcp_connect, Operation::udp_send}, address);
    if (!protection) return false;
    return !decide(current.get(), Kind::rule, "name_lookup", unmap_v4(address).to_string(),
                   sockets::to_string(name), {false, *protection});
  });
  return !addresses.empty();
}

void SessionPolicy::remember_resolved(
    const sockets::LookupName& name, const std::vector<boost::asio::ip::address>& addresses) const {
  if (sockets::is_ip_literal(name)) return;
  const auto current = tenant();
  if (current && current->name_lookup.connect_resolved) {
    resolved_.remember(std::get<std::string>(name), addresses);
  }
}

bool SessionPolicy::allows_extension(Extension extension) const {
  const auto current = tenant();
  const std::string name(extension_name(extension));
  const bool granted = current && current->extensions.allows(extension);
  const std::string rule = !current  ? "tenant-removed"
                           : granted ? current->name + ".extensions." + name
                                     : current->name + ".extensions." + name + ".not-granted";
  // Report mode never lends the port-sharing options: the one-sharer-per-namespace rule of the
  // loader holds only for grants.
  const bool shares_ports =
      extension == Extension::reuse_address || extension == Extension::reuse_port;
  return decide(current.get(), shares_ports ? Kind::quota : Kind::rule, "extension." + name, "", "",
                {granted, rule});
}

bool SessionPolicy::allows_multicast_group(const boost::asio::ip::address& group) const {
  const auto current = tenant();
  const bool granted = current && current->extensions.allows_group(group);
  const std::string rule = !current  ? "tenant-removed"
                           : granted ? current->name + ".extensions.multicast_groups"
                                     : current->name + ".extensions.multicast_groups.not-granted";
  return decide(current.get(), Kind::rule, "extension.multicast", unmap_v4(group).to_string(), "",
                {granted, rule});
}

void SessionPolicy::broadcast_refused(const sockets::SocketAddress& destination) const {
  const auto current = tenant();
  const bool granted = current && current->extensions.allows(Extension::broadcast);
  const std::string rule = !current  ? "tenant-removed"
                           : granted ? current->name + ".extensions.broadcast.not-set"
                                     : current->name + ".extensions.broadcast.not-granted";
  // Kind::quota: the kernel refused already, so report mode has nothing to lift.
  decide(current.get(), Kind::quota, "extension.broadcast", format_address(destination), "",
         {false, rule});
}

bool SessionPolicy::try_new_connection(const sockets::SocketAddress& target) const {
  if (usage_->try_new_connection()) return true;
  decide(nullptr, Kind::quota, "tcp.connection_rate", format_address(target), "",
         {false, "quota.connections_per_second"});
  return false;
}

bool SessionPolicy::may_accept_connection() const {
  if (usage_->may_accept_connection()) return true;
  decide(nullptr, Kind::quota, "tcp.connection_rate", "", "",
         {false, "quota.connections_per_second"});
  return false;
}

TenantUsage::Lease SessionPolicy::try_buffer(uint64_t bytes) const {
  TenantUsage::Lease lease = usage_->try_buffer(bytes);
  if (!lease) decide(nullptr, Kind::quota, "tcp.buffers", "", "", {false, "quota.buffered_bytes"});
  return lease;
}

uint64_t SessionPolicy::sockets_per_session() const {
  const auto current = tenant();
  return current ? current->quotas.sockets_per_session : 0;
}

Capabilities SessionPolicy::capabilities() const {
  const auto current = tenant();
  if (!current) return {};
  if (current->mode == Mode::report) return {true, true, true};  // switches are reported only
  return {current->tcp, current->udp, current->name_lookup.enabled};
}

}  // namespace wasi_socketd::policy
