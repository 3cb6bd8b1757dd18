// wasi:sockets/ip-name-lookup (ip_name_lookup.proto, service IpNameLookup).
// Lookups run on the daemon's shared lookup pool (a bounded share per tenant, a deadline per
// lookup); the call finishes on the session's strand when the answer is in. Nothing blocks a gRPC
// thread or the event loop.
#pragma once

#include "session/session_registry.h"
#include "sockets/lookup_pool.h"
#include "wasi_socketd/v1/ip_name_lookup.grpc.pb.h"

namespace wasi_socketd::daemon {

class IpNameLookupService final : public v1::IpNameLookup::CallbackService {
 public:
  // `lookups` runs getaddrinfo, each tenant's share bounded; it must outlive every call.
  IpNameLookupService(const SessionRegistry& sessions, sockets::LookupPool& lookups)
      : sessions_(sessions), lookups_(lookups) {}

  grpc::ServerUnaryReactor* ResolveAddresses(grpc::CallbackServerContext* context,
                                             const v1::ResolveAddressesRequest* request,
                                             v1::ResolveAddressesResponse* response) override;

 private:
  const SessionRegistry& sessions_;
  sockets::LookupPool& lookups_;
};

}  // namespace wasi_socketd::daemon
