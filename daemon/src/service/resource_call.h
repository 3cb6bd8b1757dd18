// The shape shared by every per-socket handler: run on the session's sequence with the socket of
// the given id and type, or answer INVALID_ARGUMENT when this session has no such socket.
#pragma once

#include <cstdint>

#include "error_metrics.h"
#include "sockets/socket_address.h"
#include "unary_call.h"
#include "wasi_socketd/v1/network.pb.h"

namespace wasi_socketd::daemon {

// `work(Session&, Resource&)`; `response` is any message with an `error` field.
template <class Resource, class Response, class Work>
grpc::ServerUnaryReactor* run_with(grpc::CallbackServerContext* context,
                                   const SessionRegistry& sessions, std::uint64_t id,
                                   Response* response, Work work) {
  return run_unary(context, sessions, [id, response, work = std::move(work)](Session& session) {
    Resource* resource = session.resources().template find<Resource>(id);
    if (resource == nullptr) {
      response->set_error(v1::ERROR_CODE_INVALID_ARGUMENT);
      return;
    }
    work(session, *resource);
    count_error(session, response->error());
  });
}

// As run_with, for work that finishes the call itself: `work(Session&, Resource&, UnaryCall)`.
template <class Resource, class Response, class Work>
grpc::ServerUnaryReactor* start_with(grpc::CallbackServerContext* context,
                                     const SessionRegistry& sessions, std::uint64_t id,
                                     Response* response, Work work) {
  return start_unary(
      context, sessions,
      [id, response, work = std::move(work)](Session& session, const UnaryCall& call) {
        Resource* resource = session.resources().template find<Resource>(id);
        if (resource == nullptr) {
          response->set_error(v1::ERROR_CODE_INVALID_ARGUMENT);
          call.finish();
          return;
        }
        work(session, *resource, call);
      });
}

// The address of a request, checked against the session: invalid-argument for a foreign network
// id, a missing or malformed address.
sockets::Result<sockets::SocketAddress> request_address(const Session& session,
                                                        std::uint64_t network_id, bool present,
                                                        const v1::IpSocketAddress& address);

}  // namespace wasi_socketd::daemon
