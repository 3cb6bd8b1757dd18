// What the services ask the tenancy layer besides the socket policy's address checks: quota
// shares for new sockets and connections, the tenant's network namespace for socket creation,
// and the resolved-name memory. For a TenantAccess without tenancy only its switches apply.
// Threading: any thread (SessionPolicy is thread-safe); called from the session's strand.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <string>
#include <vector>

#include "policy/extension_grants.h"
#include "policy/network_namespace.h"
#include "policy/session_policy.h"
#include "policy/tenant_usage.h"
#include "sockets/error_code.h"
#include "sockets/socket_policy.h"
#include "tenant_access.h"

namespace wasi_socketd::daemon {

// create-*-socket and accept: the tenant's switch and socket quota. access-denied /
// new-socket-limit; on success a lease for the new resource to hold(). Denials are audited.
sockets::Result<policy::TenantUsage::Lease> admit_socket(const TenantAccess& tenant,
                                                         sockets::Protocol protocol);

// start-connect: the tenant's connection rate (audited with `remote`, the connect target), and its
// buffered bytes below quota (nothing is reserved: buffers are charged as used). would-block.
sockets::Result<void> admit_connection(const TenantAccess& tenant,
                                       const sockets::SocketAddress& remote);
// accept: the same quotas, but the rate is only asked here (a refusal leaves the connection in
// the kernel's queue); count_accepted() once a connection was taken.
sockets::Result<void> admit_accept(const TenantAccess& tenant);
void count_accepted(const TenantAccess& tenant);

// The tenant's charge for bytes a connection makes the daemon buffer (resize as they come and
// go; empty without tenancy), and whether the tenant's buffered bytes are at quota.
policy::TenantUsage::Lease buffer_charge(const TenantAccess& tenant);
bool buffers_full(const TenantAccess& tenant);

// Runs `create` (a socket constructor) inside the tenant's network namespace, if it has one.
// access-denied if the namespace cannot be entered.
template <class Create>
auto create_in_tenant_namespace(const TenantAccess& tenant, Create&& create) -> decltype(create()) {
  const policy::NetworkNamespace* netns =
      tenant.tenancy ? tenant.tenancy->network_namespace() : nullptr;
  if (netns == nullptr) return create();
  policy::NetworkNamespace::Entry inside = netns->enter();
  if (!inside.ok()) return sockets::ErrorCode::access_denied;
  return create();
}

// wasi-socketd:sockets-ext: whether [tenant.extensions] grants `extension` (a denial is audited
// as extension.NAME); access-denied otherwise. A tenant built by hand (no tenancy) has no grants.
sockets::Result<void> admit_extension(const TenantAccess& tenant, policy::Extension extension);
// join/leave-multicast-group: the multicast grant and `group` inside multicast_groups.
sockets::Result<void> admit_multicast_group(const TenantAccess& tenant,
                                            const boost::asio::ip::address& group);

// resolve-addresses: the tenant's name-lookup switch (false → permanent-resolver-failure,
// audited with the `name` asked for). Which names is may_resolve's question.
bool may_look_up(const TenantAccess& tenant, const std::string& name);

// After a permitted lookup: drops the protected-class addresses (metadata, link-local) the
// tenant's rules do not name, audited; false when none is left (→ permanent-resolver-failure).
// The rest of a host name's addresses may become connectable (connect_resolved); a literal lends
// nothing.
bool admit_resolved(const TenantAccess& tenant, const sockets::LookupName& name,
                    std::vector<boost::asio::ip::address>& addresses);

}  // namespace wasi_socketd::daemon
