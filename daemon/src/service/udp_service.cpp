#include "udp_service.h"

#include "admin/daemon_metrics.h"

#include <algorithm>
#include <vector>

#include "dual_stack.h"
#include "proto_convert.h"
#include "resource_call.h"
#include "session/udp_resource.h"
#include "socket_view.h"
#include "udp_options.h"
#include "wasi_socketd/limits.h"

namespace wasi_socketd::daemon {

namespace {

using sockets::Result;

std::span<const std::byte> bytes_of(const std::string& data) {
  return std::as_bytes(std::span(data.data(), data.size()));
}

}  // namespace

UdpService::Reactor* UdpService::StartBind(Context* context, const v1::UdpStartBindRequest* request,
                                           v1::UdpSocketStatus* response) {
  return run_with<UdpResource>(
      context, sessions_, request->socket_id(), response, [=](Session& session, UdpResource& udp) {
        Result<sockets::SocketAddress> local = request_address(
            session, request->network_id(), request->has_local_address(), request->local_address());
        // The IPv4 half of a dual-stack `::` is checked too (dual_stack.h).
        Result<void> dual =
            local ? admit_dual_stack(session, sockets::Protocol::udp, sockets::Use::bind,
                                     udp.socket().extension_fd(), *local)
                  : Result<void>();
        response->set_error(!local  ? to_proto(local.error())
                            : !dual ? to_proto(dual.error())
                                    : error_of(udp.socket().start_bind(*local)));
        *response->mutable_view() = describe(udp.socket());
      });
}

UdpService::Reactor* UdpService::FinishBind(Context* context, const v1::UdpSocketRequest* request,
                                            v1::UdpSocketStatus* response) {
  return run_with<UdpResource>(context, sessions_, request->socket_id(), response,
                               [=](Session&, UdpResource& udp) {
                                 response->set_error(error_of(udp.socket().finish_bind()));
                                 *response->mutable_view() = describe(udp.socket());
                               });
}

UdpService::Reactor* UdpService::Stream(Context* context, const v1::UdpStreamRequest* request,
                                        v1::UdpStreamResponse* response) {
  return run_with<UdpResource>(
      context, sessions_, request->socket_id(), response, [=](Session& session, UdpResource& udp) {
        std::optional<sockets::SocketAddress> remote;
        if (request->has_remote_address()) {
          Result<sockets::SocketAddress> parsed = from_proto(request->remote_address());
          if (!parsed) {
            return response->set_error(to_proto(parsed.error()));
          }
          remote = *parsed;
        }
        Result<void> streamed = udp.socket().stream(remote);
        *response->mutable_view() = describe(udp.socket());  // a failed re-connect changes it too
        if (!streamed) {
          return response->set_error(to_proto(streamed.error()));
        }
        response->set_stream_generation(udp.next_stream_generation());
        *response->mutable_receive() = session.readiness(udp.id(), v1::READINESS_KIND_RECEIVE);
      });
}

UdpService::Reactor* UdpService::LocalAddress(Context* context, const v1::UdpSocketRequest* request,
                                              v1::SocketAddressResponse* response) {
  return run_with<UdpResource>(
      context, sessions_, request->socket_id(), response, [=](Session&, UdpResource& udp) {
        Result<sockets::SocketAddress> local = udp.socket().local_address();
        if (!local) {
          return response->set_error(to_proto(local.error()));
        }
        *response->mutable_address() = to_proto(*local);
      });
}

UdpService::Reactor* UdpService::RemoteAddress(Context* context,
                                               const v1::UdpSocketRequest* request,
                                               v1::SocketAddressResponse* response) {
  return run_with<UdpResource>(
      context, sessions_, request->socket_id(), response, [=](Session&, UdpResource& udp) {
        Result<sockets::SocketAddress> remote = udp.socket().remote_address();
        if (!remote) {
          return response->set_error(to_proto(remote.error()));
        }
        *response->mutable_address() = to_proto(*remote);
      });
}

UdpService::Reactor* UdpService::AddressFamily(Context* context,
                                               const v1::UdpSocketRequest* request,
                                               v1::AddressFamilyResponse* response) {
  return run_with<UdpResource>(context, sessions_, request->socket_id(), response,
                               [=](Session&, UdpResource& udp) {
                                 response->set_family(to_proto(udp.socket().address_family()));
                               });
}

UdpService::Reactor* UdpService::GetOption(Context* context, const v1::UdpGetOptionRequest* request,
                                           v1::OptionValueResponse* response) {
  return run_with<UdpResource>(context, sessions_, request->socket_id(), response,
                               [=](Session&, UdpResource& udp) {
                                 get_udp_option(udp.socket(), request->option(), *response);
                               });
}

UdpService::Reactor* UdpService::SetOption(Context* context, const v1::UdpSetOptionRequest* request,
                                           v1::UdpSetOptionResponse* response) {
  return run_with<UdpResource>(
      context, sessions_, request->socket_id(), response, [=](Session&, UdpResource& udp) {
        response->set_error(set_udp_option(udp.socket(), request->option(), request->value()));
        if (response->error() == v1::ERROR_CODE_UNSPECIFIED) {
          v1::OptionValueResponse effective;
          get_udp_option(udp.socket(), request->option(), effective);
          response->set_effective_value(effective.value());
        }
      });
}

UdpService::Reactor* UdpService::Drop(Context* context, const v1::UdpSocketRequest* request,
                                      v1::Status* response) {
  return run_with<UdpResource>(
      context, sessions_, request->socket_id(), response,
      [=](Session& session, UdpResource& udp) { session.remove(udp.id()); });
}

UdpService::Reactor* UdpService::Receive(Context* context, const v1::UdpReceiveRequest* request,
                                         v1::UdpReceiveResponse* response) {
  return run_with<UdpResource>(
      context, sessions_, request->socket_id(), response, [=](Session& session, UdpResource& udp) {
        if (!udp.is_current_stream(request->stream_generation())) {
          return response->set_error(v1::ERROR_CODE_INVALID_STATE);
        }
        const std::uint64_t max = std::min(request->max_results(), kMaxDatagramsPerCall);
        Result<std::vector<sockets::IncomingDatagram>> received = udp.socket().receive(max);
        if (!received) {
          response->set_error(to_proto(received.error()));
        } else {
          std::uint64_t bytes = 0;
          for (const sockets::IncomingDatagram& datagram : *received) {
            bytes += datagram.data.size();
            v1::IncomingDatagram* wire = response->add_datagrams();
            wire->set_data(reinterpret_cast<const char*>(datagram.data.data()),
                           datagram.data.size());
            *wire->mutable_remote_address() = to_proto(datagram.remote_address);
          }
          if (session.tenant().metrics) {
            session.tenant().metrics->udp_bytes(bytes, 0);
          }
        }
        *response->mutable_receive() = session.readiness(udp.id(), v1::READINESS_KIND_RECEIVE);
      });
}

// A malformed remote address ends the batch there, as any other per-datagram failure does: it is
// the error of the call only when it is the first datagram.
UdpService::Reactor* UdpService::Send(Context* context, const v1::UdpSendRequest* request,
                                      v1::UdpSendResponse* response) {
  return run_with<UdpResource>(
      context, sessions_, request->socket_id(), response, [=](Session& session, UdpResource& udp) {
        if (!udp.is_current_stream(request->stream_generation())) {
          return response->set_error(v1::ERROR_CODE_INVALID_STATE);
        }
        if (static_cast<std::uint64_t>(request->datagrams_size()) > kMaxDatagramsPerCall) {
          return response->set_error(v1::ERROR_CODE_INVALID_ARGUMENT);
        }
        std::vector<sockets::OutgoingDatagram> batch;
        batch.reserve(request->datagrams_size());
        std::optional<sockets::ErrorCode> stopped_by;
        for (const v1::OutgoingDatagram& wire : request->datagrams()) {
          sockets::OutgoingDatagram& datagram = batch.emplace_back();
          datagram.data = bytes_of(wire.data());
          if (wire.has_remote_address()) {
            Result<sockets::SocketAddress> remote = from_proto(wire.remote_address());
            if (!remote) {
              batch.pop_back();
              stopped_by = remote.error();
              break;
            }
            datagram.remote_address = *remote;
          }
        }
        if (batch.empty()) {
          return response->set_error(stopped_by ? to_proto(*stopped_by)
                                                : v1::ERROR_CODE_UNSPECIFIED);
        }
        Result<std::uint64_t> sent = udp.socket().send(batch);
        if (!sent) {
          return response->set_error(to_proto(sent.error()));
        }
        response->set_sent(*sent);
        if (session.tenant().metrics) {
          std::uint64_t bytes = 0;
          for (std::uint64_t i = 0; i < *sent && i < batch.size(); ++i)
            bytes += batch[i].data.size();
          session.tenant().metrics->udp_bytes(0, bytes);
        }
      });
}

}  // namespace wasi_socketd::daemon
