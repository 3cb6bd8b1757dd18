#include "ip_name_lookup_service.h"

#include "proto_convert.h"
#include "session/tenant_checks.h"
#include "sockets/name_resolver.h"
#include "sockets/name_syntax.h"
#include "unary_call.h"
#include "wasi_socketd/limits.h"

namespace wasi_socketd::daemon {

// resolve-addresses itself fails only for a malformed name (invalid-argument) or a tenant that
// may not look names up at all; everything else is what the stream yields after its addresses.
grpc::ServerUnaryReactor* IpNameLookupService::ResolveAddresses(
    grpc::CallbackServerContext* context, const v1::ResolveAddressesRequest* request,
    v1::ResolveAddressesResponse* response) {
  return start_unary(
      context, sessions_, [this, request, response](Session& session, const UnaryCall& call) {
        // Parsed once: the policy, the resolver and the connect_resolved memory all see this
        // form, never the raw bytes.
        auto parsed =
            session.has_network(request->network_id()) &&
                    request->name().size() <= kMaxNameLength
                ? sockets::parse_lookup_name(request->name())
                : sockets::Result<sockets::LookupName>(sockets::ErrorCode::invalid_argument);
        if (!parsed) {
          response->set_error(v1::ERROR_CODE_INVALID_ARGUMENT);
          return call.finish();
        }
        const sockets::LookupName& name = *parsed;
        if (!may_look_up(session.tenant(), sockets::to_string(name))) {
          response->set_error(v1::ERROR_CODE_PERMANENT_RESOLVER_FAILURE);
          return call.finish();
        }
        if (!session.tenant().may_resolve || !session.tenant().may_resolve(name)) {
          response->set_lookup_error(v1::ERROR_CODE_PERMANENT_RESOLVER_FAILURE);
          return call.finish();
        }
        sockets::NameResolver(session.strand(), lookups_, session.tenant().name)
            .resolve(name, [response, call, name, tenant = session.tenant()](
                               sockets::Result<sockets::NameResolver::Addresses> found) {
              if (!found) {
                response->set_lookup_error(to_proto(found.error()));
              } else if (!admit_resolved(tenant, name, *found)) {
                response->set_lookup_error(v1::ERROR_CODE_PERMANENT_RESOLVER_FAILURE);
              } else {
                for (const boost::asio::ip::address& address : *found) {
                  *response->add_addresses() = to_proto(address);
                }
              }
              call.finish();
            });
      });
}

}  // namespace wasi_socketd::daemon
