// wasi:sockets/ip-name-lookup (ip_name_lookup.proto, service IpNameLookup).
// Lookups run on the daemon's shared lookup pool; the call finishes on the session's strand when
// the answer is in. Nothing blocks a gRPC thread or the event loop.
#pragma once

#include <boost/asio/thread_pool.hpp>

#include "session/session_registry.h"
#include "wasi_socketd/v1/ip_name_lookup.grpc.pb.h"

namespace wasi_socketd::daemon {

class IpNameLookupService final : public v1::IpNameLookup::CallbackService {
 public:
  // `lookups` runs getaddrinfo; it must outlive every call.
  IpNameLookupService(const SessionRegistry& sessions, boost::asio::thread_pool& lookups)
      : sessions_(sessions), lookups_(lookups) {}

  grpc::ServerUnaryReactor* ResolveAddresses(grpc::CallbackServerContext* context,
                                             const v1::ResolveAddressesRequest* request,
                                             v1::ResolveAddressesResponse* response) override;

 private:
  const SessionRegistry& sessions_;
  boost::asio::thread_pool& lookups_;
};

}  // namespace wasi_socketd::daemon
