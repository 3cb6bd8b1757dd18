#include "client_connections.h"

#include <grpcpp/server_posix.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <memory>

#include "session/session.h"

namespace wasi_socketd::daemon {

namespace {

void end_on_strand(const std::shared_ptr<Session>& session) {
  boost::asio::post(session->strand(), [session] { session->end(); });
}

}  // namespace

ClientConnections::ClientConnections(boost::asio::io_context& io, grpc::Server& server,
                                     SessionRegistry& sessions, TenantResolver tenants)
    : io_(io), server_(server), sessions_(sessions), tenants_(std::move(tenants)), refusal_(io) {}

void ClientConnections::adopt(int fd, const PeerCredentials& peer) {
  PeerAdmission admission = tenants_(peer);
  if (!admission.tenant) {
    // Refused by policy (and audited there): the client's calls fail with the reason. Under a
    // flood the log, like the answer, is limited per uid.
    if (refusal_.refuse(fd, peer.uid, admission.refusal)) {
      spdlog::info("connection of uid {} pid {} refused: {}", peer.uid, peer.pid,
                   admission.refusal);
    }
    return;
  }
  std::optional<Tenant>& tenant = admission.tenant;
  auto session = std::make_shared<Session>(sockets::make_strand(io_), std::move(*tenant), peer);
  const std::string key = connection_key(fd);
  if (std::shared_ptr<Session> previous = sessions_.bind(key, session)) {
    end_on_strand(previous);  // its connection is gone: the kernel reused the fd number
  }
  const bool watched = monitor_.watch(fd, [this, key, weak = std::weak_ptr<Session>(session)] {
    if (std::shared_ptr<Session> ended = weak.lock()) {
      sessions_.unbind(key, *ended);
      end_on_strand(ended);
    }
  });
  if (!watched) {
    spdlog::warn("cannot watch connection {}: refused", key);
    sessions_.unbind(key, *session);
    end_on_strand(session);
    ::close(fd);
    return;
  }
  spdlog::debug("session {} for uid {} pid {} (tenant {})", key, peer.uid, peer.pid,
                session->tenant().name);
  grpc::AddInsecureChannelFromFd(&server_, fd);
}

void ClientConnections::end_all() {
  for (const std::shared_ptr<Session>& session : sessions_.unbind_all()) {
    end_on_strand(session);
  }
}

}  // namespace wasi_socketd::daemon
