#include "client_connections.h"

#include <fcntl.h>
#include <grpcpp/server_posix.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <sys/socket.h>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <memory>

#include "session/session.h"
#include "wasi_socketd/limits.h"

namespace wasi_socketd::daemon {

namespace {

void end_on_strand(const std::shared_ptr<Session>& session) {
  boost::asio::post(session->strand(), [session] { session->end(); });
}

}  // namespace

ClientConnections::ClientConnections(boost::asio::io_context& io, grpc::Server& server,
                                     SessionRegistry& sessions, TenantResolver tenants)
    : io_(io), server_(server), sessions_(sessions), tenants_(std::move(tenants)), refusal_(io) {}

AcceptVerdict ClientConnections::adopt(int fd, const PeerCredentials& peer) {
  PeerAdmission admission = tenants_(peer);
  if (!admission.tenant) {
    // Refused by policy (and audited there): the client's calls fail with the reason. Under a
    // flood the log, like the answer, is limited per uid.
    switch (refusal_.refuse(fd, peer.uid, admission.refusal)) {
      case GrpcRefusal::Outcome::answered:
        spdlog::info("connection of uid {} pid {} refused: {}", peer.uid, peer.pid,
                     admission.refusal);
        break;
      case GrpcRefusal::Outcome::closed:
        break;
      case GrpcRefusal::Outcome::over_budget:
        return AcceptVerdict::flooding;
    }
    return AcceptVerdict::kept;
  }
  std::optional<TenantAccess>& tenant = admission.tenant;
  auto connection = std::make_unique<WatchedConnection>(fd, monitor_);
  if (!connection->valid()) {
    spdlog::warn("connection of uid {} pid {} closed: cannot hold it ({})", peer.uid, peer.pid,
                 std::strerror(errno));
    ::close(fd);
    return AcceptVerdict::kept;
  }
  WatchedConnection& watched = *connection;
  auto session = std::make_shared<Session>(sockets::make_strand(io_), std::move(*tenant), peer,
                                           std::move(connection));
  if (std::shared_ptr<Session> previous = sessions_.bind(fd, session)) {
    end_on_strand(previous);  // its connection is gone: the kernel reused the fd number
  }
  enforce_attach_deadline(session);
  // The monitor's thread never holds a session (the last owner could otherwise destroy the
  // monitor on its own thread): the hang-up is handled on the io_context.
  const bool watching = watched.watch([this, fd, weak = std::weak_ptr<Session>(session)] {
    boost::asio::post(io_, [this, fd, weak] {
      if (std::shared_ptr<Session> ended = weak.lock()) {
        sessions_.unbind(fd, *ended);
        end_on_strand(ended);
      }
    });
  });
  if (!watching) {
    spdlog::warn("cannot watch connection fd:{}: refused", fd);
    sessions_.unbind(fd, *session);
    end_on_strand(session);
    ::close(fd);
    return AcceptVerdict::kept;
  }
  spdlog::debug("session fd:{} for uid {} pid {} (tenant {})", fd, peer.uid, peer.pid,
                session->tenant().name);
  grpc::AddInsecureChannelFromFd(&server_, fd);
  return AcceptVerdict::kept;
}

void ClientConnections::enforce_attach_deadline(const std::shared_ptr<Session>& session) {
  auto timer = std::make_shared<boost::asio::steady_timer>(session->strand(), kAttachDeadline);
  timer->async_wait([timer, weak = std::weak_ptr<Session>(session)](boost::system::error_code) {
    const std::shared_ptr<Session> late = weak.lock();
    if (!late || late->attached() || late->ended()) {
      return;
    }
    spdlog::info("connection of uid {} pid {} closed: no session attached within {} s",
                 late->peer().uid, late->peer().pid, kAttachDeadline.count());
    late->end();
    late->connection()->close();
  });
}

void ClientConnections::end_all() {
  for (const std::shared_ptr<Session>& session : sessions_.unbind_all()) {
    end_on_strand(session);
  }
}

}  // namespace wasi_socketd::daemon
