// Turns accepted client connections into sessions served by gRPC, and ends each session when its
// connection goes away.
//
// For each connection: tenant from the peer credentials (no tenant: the connection is answered
// with PERMISSION_DENIED and the reason, grpc_refusal.h, never reaching gRPC), a Session with its
// own sequence and its ClientConnection (a duplicate of the fd: the connection's identity, and the
// means to close it), the binding fd number -> session in the registry (replacing a dead
// connection's session that had the same number; calls are checked against the connection itself,
// session_registry.h), a hang-up watch on the duplicate, and finally the fd handed to gRPC.
// A connection whose session is not attached within kAttachDeadline is closed (shutdown() through
// the session's ClientConnection, which gRPC then sees as a hang-up) and its session ended.
// Threading: adopt() on any thread; end_all() once at shutdown. Sessions are ended on their
// strands.
#pragma once

#include <grpcpp/server.h>

#include <boost/asio/io_context.hpp>
#include <memory>

#include "connection_monitor.h"
#include "grpc_refusal.h"
#include "session/peer_credentials.h"
#include "session/session_registry.h"
#include "session/tenant_access.h"
#include "unix_listener.h"

namespace wasi_socketd::daemon {

class ClientConnections {
 public:
  // `server` must be started; it and `sessions` must outlive this object.
  ClientConnections(boost::asio::io_context& io, grpc::Server& server, SessionRegistry& sessions,
                    TenantResolver tenants);

  // Takes ownership of the connected `fd`. `flooding` when the peer was refused faster than its
  // refusal budget allows (the listener may then keep the uid away, socket_file_ban.h).
  AcceptVerdict adopt(int fd, const PeerCredentials& peer);
  // Ends every session (daemon shutdown). Connections are closed by the gRPC server's shutdown.
  void end_all();

 private:
  // Closes the session's connection unless it has attached by kAttachDeadline.
  void enforce_attach_deadline(const std::shared_ptr<Session>& session);

  boost::asio::io_context& io_;
  grpc::Server& server_;
  SessionRegistry& sessions_;
  TenantResolver tenants_;
  GrpcRefusal refusal_;
  std::shared_ptr<ConnectionMonitor> monitor_ = std::make_shared<ConnectionMonitor>();
};

}  // namespace wasi_socketd::daemon
