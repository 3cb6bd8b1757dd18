// Every gRPC service of the broker API, constructed together and registered with one server.
// The services only read the registry; they must not outlive it or the lookup pool.
#pragma once

#include <grpcpp/server_builder.h>

#include "ip_name_lookup_service.h"
#include "network_service.h"
#include "session_service.h"
#include "sockets_ext_service.h"
#include "tcp_create_socket_service.h"
#include "tcp_service.h"
#include "udp_create_socket_service.h"
#include "udp_service.h"

namespace wasi_socketd::daemon {

class ServiceSet {
 public:
  ServiceSet(const SessionRegistry& sessions, sockets::LookupPool& lookups)
      : network_(sessions),
        session_(sessions),
        tcp_create_socket_(sessions),
        tcp_(sessions),
        udp_create_socket_(sessions),
        udp_(sessions),
        ip_name_lookup_(sessions, lookups),
        sockets_ext_(sessions) {}

  void register_with(grpc::ServerBuilder& builder) {
    builder.RegisterService(&network_);
    builder.RegisterService(&session_);
    builder.RegisterService(&tcp_create_socket_);
    builder.RegisterService(&tcp_);
    builder.RegisterService(&udp_create_socket_);
    builder.RegisterService(&udp_);
    builder.RegisterService(&ip_name_lookup_);
    builder.RegisterService(&sockets_ext_);
  }

 private:
  NetworkService network_;
  SessionService session_;
  TcpCreateSocketService tcp_create_socket_;
  TcpService tcp_;
  UdpCreateSocketService udp_create_socket_;
  UdpService udp_;
  IpNameLookupService ip_name_lookup_;
  SocketsExtService sockets_ext_;
};

}  // namespace wasi_socketd::daemon
