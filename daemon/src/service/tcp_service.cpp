#include "tcp_service.h"

#include "admin/daemon_metrics.h"
#include "dual_stack.h"
#include "proto_convert.h"
#include "resource_call.h"
#include "session/tcp_resource.h"
#include "session/tenant_checks.h"
#include "socket_view.h"
#include "tcp_options.h"

namespace wasi_socketd::daemon {

namespace {

using sockets::Result;

// Fills the parts of a response that describe a freshly connected socket.
template <class Response>
void describe_connection(TcpResource& tcp, Response& response) {
  *response.mutable_streams() = tcp.start_streams();
  if (Result<sockets::SocketAddress> local = tcp.socket().local_address()) {
    *response.mutable_local_address() = to_proto(*local);
  }
  if (Result<sockets::SocketAddress> remote = tcp.socket().remote_address()) {
    *response.mutable_remote_address() = to_proto(*remote);
  }
  *response.mutable_view() = describe(tcp.socket());
}

v1::ErrorCode start_connect(Session& session, TcpResource& tcp,
                            const v1::TcpStartConnectRequest& request) {
  Result<sockets::SocketAddress> remote = request_address(
      session, request.network_id(), request.has_remote_address(), request.remote_address());
  if (!remote) {
    return to_proto(remote.error());
  }
  // The tenant's connection rate and buffer quotas.
  if (Result<void> admitted = admit_connection(session.tenant(), *remote); !admitted) {
    return to_proto(admitted.error());
  }
  Result<void> started = tcp.socket().start_connect(*remote);
  if (started) {
    // Not ready until the core reports the outcome (connect_finished).
    session.set_readiness(tcp.id(), v1::READINESS_KIND_CONNECT, false);
  }
  return error_of(started);
}

// start-bind, and start-listen, with the IPv4 half of a dual-stack `::` checked too (dual_stack.h).
Result<void> dual_stack_bind(Session& session, TcpResource& tcp,
                             const sockets::SocketAddress& local) {
  if (Result<int> fd = tcp.socket().extension_fd()) {
    Result<void> admitted =
        admit_dual_stack(session, sockets::Protocol::tcp, sockets::Use::bind, *fd, local);
    if (!admitted) return admitted;
  }
  return tcp.socket().start_bind(local);
}

Result<void> dual_stack_listen(Session& session, TcpResource& tcp) {
  Result<int> fd = tcp.socket().extension_fd();
  Result<sockets::SocketAddress> local = tcp.socket().local_address();
  if (fd && local) {
    Result<void> admitted =
        admit_dual_stack(session, sockets::Protocol::tcp, sockets::Use::listen, *fd, *local);
    if (!admitted) return admitted;
  }
  return tcp.socket().start_listen();
}

std::optional<sockets::ShutdownType> shutdown_type(v1::ShutdownType how) {
  switch (how) {
    case v1::SHUTDOWN_TYPE_RECEIVE:
      return sockets::ShutdownType::receive;
    case v1::SHUTDOWN_TYPE_SEND:
      return sockets::ShutdownType::send;
    case v1::SHUTDOWN_TYPE_BOTH:
      return sockets::ShutdownType::both;
    default:
      return std::nullopt;
  }
}

}  // namespace

TcpService::Reactor* TcpService::StartBind(Context* context, const v1::TcpStartBindRequest* request,
                                           v1::TcpSocketStatus* response) {
  return run_with<TcpResource>(
      context, sessions_, request->socket_id(), response, [=](Session& session, TcpResource& tcp) {
        Result<sockets::SocketAddress> local = request_address(
            session, request->network_id(), request->has_local_address(), request->local_address());
        response->set_error(local ? error_of(dual_stack_bind(session, tcp, *local))
                                  : to_proto(local.error()));
        *response->mutable_view() = describe(tcp.socket());
      });
}

TcpService::Reactor* TcpService::FinishBind(Context* context, const v1::TcpSocketRequest* request,
                                            v1::TcpSocketStatus* response) {
  return run_with<TcpResource>(context, sessions_, request->socket_id(), response,
                               [=](Session&, TcpResource& tcp) {
                                 response->set_error(error_of(tcp.socket().finish_bind()));
                                 *response->mutable_view() = describe(tcp.socket());
                               });
}

TcpService::Reactor* TcpService::StartConnect(Context* context,
                                              const v1::TcpStartConnectRequest* request,
                                              v1::TcpSocketStatus* response) {
  return run_with<TcpResource>(context, sessions_, request->socket_id(), response,
                               [=](Session& session, TcpResource& tcp) {
                                 response->set_error(start_connect(session, tcp, *request));
                                 *response->mutable_view() = describe(tcp.socket());
                               });
}

TcpService::Reactor* TcpService::FinishConnect(Context* context,
                                               const v1::TcpSocketRequest* request,
                                               v1::TcpConnectionResponse* response) {
  return run_with<TcpResource>(
      context, sessions_, request->socket_id(), response, [=](Session& session, TcpResource& tcp) {
        Result<void> finished = tcp.socket().finish_connect();
        response->set_error(error_of(finished));
        if (finished) {
          describe_connection(tcp, *response);
        } else {
          *response->mutable_view() = describe(tcp.socket());  // closed, or still connecting
        }
        *response->mutable_connect() =
            session.set_readiness(tcp.id(), v1::READINESS_KIND_CONNECT, tcp.socket().ready());
      });
}

TcpService::Reactor* TcpService::StartListen(Context* context, const v1::TcpSocketRequest* request,
                                             v1::TcpSocketStatus* response) {
  return run_with<TcpResource>(context, sessions_, request->socket_id(), response,
                               [=](Session& session, TcpResource& tcp) {
                                 response->set_error(error_of(dual_stack_listen(session, tcp)));
                                 *response->mutable_view() = describe(tcp.socket());
                               });
}

TcpService::Reactor* TcpService::FinishListen(Context* context, const v1::TcpSocketRequest* request,
                                              v1::TcpSocketStatus* response) {
  return run_with<TcpResource>(context, sessions_, request->socket_id(), response,
                               [=](Session&, TcpResource& tcp) {
                                 response->set_error(error_of(tcp.socket().finish_listen()));
                                 *response->mutable_view() = describe(tcp.socket());
                               });
}

TcpService::Reactor* TcpService::Accept(Context* context, const v1::TcpSocketRequest* request,
                                        v1::TcpAcceptResponse* response) {
  return run_with<TcpResource>(
      context, sessions_, request->socket_id(), response,
      [=](Session& session, TcpResource& listener) {
        // Quotas are checked before a connection is taken off the kernel's queue.
        Result<policy::TenantUsage::Lease> socket_quota =
            admit_socket(session.tenant(), sockets::Protocol::tcp);
        Result<void> connection_quota =
            socket_quota ? admit_accept(session.tenant()) : Result<void>(socket_quota.error());
        std::optional<std::uint64_t> id = session.resources().new_socket_id();
        if (!connection_quota) {
          response->set_error(to_proto(connection_quota.error()));
        } else if (!id) {
          response->set_error(v1::ERROR_CODE_NEW_SOCKET_LIMIT);
        } else if (Result<std::shared_ptr<sockets::TcpSocket>> accepted =
                       listener.socket().accept()) {
          auto tcp = std::make_unique<TcpResource>(session, *id, std::move(*accepted));
          count_accepted(session.tenant());
          // An accepted connection is a new socket of the tenant, like create-tcp-socket's.
          if (session.tenant().metrics) session.tenant().metrics->socket_created("tcp");
          tcp->hold(std::move(*socket_quota));
          response->set_socket_id(*id);
          describe_connection(*tcp, *response);
          session.resources().insert(*id, std::move(tcp));
        } else {
          response->set_error(to_proto(accepted.error()));
        }
        *response->mutable_accept() = session.set_readiness(
            listener.id(), v1::READINESS_KIND_ACCEPT, listener.socket().ready());
      });
}

TcpService::Reactor* TcpService::LocalAddress(Context* context, const v1::TcpSocketRequest* request,
                                              v1::SocketAddressResponse* response) {
  return run_with<TcpResource>(
      context, sessions_, request->socket_id(), response, [=](Session&, TcpResource& tcp) {
        Result<sockets::SocketAddress> local = tcp.socket().local_address();
        if (!local) {
          return response->set_error(to_proto(local.error()));
        }
        *response->mutable_address() = to_proto(*local);
      });
}

TcpService::Reactor* TcpService::RemoteAddress(Context* context,
                                               const v1::TcpSocketRequest* request,
                                               v1::SocketAddressResponse* response) {
  return run_with<TcpResource>(
      context, sessions_, request->socket_id(), response, [=](Session&, TcpResource& tcp) {
        Result<sockets::SocketAddress> remote = tcp.socket().remote_address();
        if (!remote) {
          return response->set_error(to_proto(remote.error()));
        }
        *response->mutable_address() = to_proto(*remote);
      });
}

TcpService::Reactor* TcpService::IsListening(Context* context, const v1::TcpSocketRequest* request,
                                             v1::BoolResponse* response) {
  return run_with<TcpResource>(
      context, sessions_, request->socket_id(), response,
      [=](Session&, TcpResource& tcp) { response->set_value(tcp.socket().is_listening()); });
}

TcpService::Reactor* TcpService::AddressFamily(Context* context,
                                               const v1::TcpSocketRequest* request,
                                               v1::AddressFamilyResponse* response) {
  return run_with<TcpResource>(context, sessions_, request->socket_id(), response,
                               [=](Session&, TcpResource& tcp) {
                                 response->set_family(to_proto(tcp.socket().address_family()));
                               });
}

TcpService::Reactor* TcpService::GetOption(Context* context, const v1::TcpGetOptionRequest* request,
                                           v1::OptionValueResponse* response) {
  return run_with<TcpResource>(context, sessions_, request->socket_id(), response,
                               [=](Session&, TcpResource& tcp) {
                                 get_tcp_option(tcp.socket(), request->option(), *response);
                               });
}

TcpService::Reactor* TcpService::SetOption(Context* context, const v1::TcpSetOptionRequest* request,
                                           v1::TcpSetOptionResponse* response) {
  return run_with<TcpResource>(
      context, sessions_, request->socket_id(), response, [=](Session&, TcpResource& tcp) {
        response->set_error(set_tcp_option(tcp.socket(), request->option(), request->value()));
        if (response->error() == v1::ERROR_CODE_UNSPECIFIED &&
            request->option() != v1::TCP_OPTION_LISTEN_BACKLOG_SIZE) {
          v1::OptionValueResponse effective;
          get_tcp_option(tcp.socket(), request->option(), effective);
          response->set_effective_value(effective.value());
        }
      });
}

TcpService::Reactor* TcpService::Shutdown(Context* context, const v1::TcpShutdownRequest* request,
                                          v1::Status* response) {
  return start_with<TcpResource>(
      context, sessions_, request->socket_id(), response,
      [=](Session&, TcpResource& tcp, const UnaryCall& call) {
        std::optional<sockets::ShutdownType> how = shutdown_type(request->how());
        if (!how) {
          response->set_error(v1::ERROR_CODE_INVALID_ARGUMENT);
          return call.finish();
        }
        // Answers once every byte sent before this call (write_offset) has been written.
        tcp.socket().shutdown(*how, request->write_offset(), [response, call](Result<void> done) {
          response->set_error(error_of(done));
          call.finish();
        });
      });
}

TcpService::Reactor* TcpService::Drop(Context* context, const v1::TcpDropRequest* request,
                                      v1::Status* response) {
  return run_with<TcpResource>(
      context, sessions_, request->socket_id(), response,
      [=](Session& session, TcpResource& tcp) { drop_tcp(session, tcp, request->write_offset()); });
}

}  // namespace wasi_socketd::daemon
