#include "policy/default_policy.h"

namespace wasi_socketd::policy {
namespace {

std::vector<Cidr> loopback() { return {*Cidr::parse("127.0.0.0/8"), *Cidr::parse("::1/128")}; }

AddressRule allow(std::string label, std::vector<Cidr> networks,
                  std::vector<PortRange> ports = {}) {
  AddressRule rule;
  rule.label = std::move(label);
  rule.networks = std::move(networks);
  rule.ports = std::move(ports);
  return rule;
}

std::vector<Cidr> unspecified() { return {*Cidr::parse("0.0.0.0/32"), *Cidr::parse("::/128")}; }

// Local addresses: loopback or the wildcard (which is also how implicit binds are asked). A
// wildcard socket still only talks to loopback peers: the peer rules below see to that.
void allow_local(Tenant& tenant, Operation operation) {
  const std::string prefix = "default." + std::string(operation_name(operation));
  auto& rules = tenant.rules_for(operation);
  rules.push_back(allow(prefix + ".loopback", loopback()));
  rules.push_back(allow(prefix + ".wildcard", unspecified()));
}

}  // namespace

std::shared_ptr<const Policy> make_default_policy(uid_t owner) {
  auto tenant = std::make_shared<Tenant>();
  tenant->name = "default";
  tenant->uids = {owner};
  tenant->tcp = true;
  tenant->udp = true;
  tenant->name_lookup.enabled = true;
  tenant->name_lookup.allow = {*NamePattern::parse("localhost")};
  tenant->name_lookup.ip_literals = true;
  for (Operation operation : {Operation::tcp_bind, Operation::udp_bind, Operation::tcp_listen}) {
    allow_local(*tenant, operation);
  }
  for (Operation operation : {Operation::tcp_accept, Operation::tcp_connect, Operation::udp_send,
                              Operation::udp_receive}) {
    tenant->rules_for(operation).push_back(
        allow("default." + std::string(operation_name(operation)) + ".loopback", loopback()));
  }

  auto policy = std::make_shared<Policy>();
  policy->source = "(default)";
  policy->tenants.push_back(std::move(tenant));
  return policy;
}

}  // namespace wasi_socketd::policy
