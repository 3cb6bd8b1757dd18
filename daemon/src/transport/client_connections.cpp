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

// A duplicate of a connection's fd, kept until its attach deadline: shutting the duplicate down
// reaches the connection however gRPC's own fd number has been reused meanwhile.
struct AttachDeadline {
  AttachDeadline(const Strand& strand, int duplicate) : timer(strand), fd(duplicate) {}
  ~AttachDeadline() { ::close(fd); }
  AttachDeadline(const AttachDeadline&) = delete;
  AttachDeadline& operator=(const AttachDeadline&) = delete;
  boost::asio::steady_timer timer;
  int fd;
};

namespace {

// The connection hung up before its deadline: the duplicate is closed now, not at the deadline.
void cancel_deadline(const std::weak_ptr<AttachDeadline>& weak) {
  if (std::shared_ptr<AttachDeadline> deadline = weak.lock()) {
    boost::asio::post(deadline->timer.get_executor(), [deadline] { deadline->timer.cancel(); });
  }
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
  std::optional<Tenant>& tenant = admission.tenant;
  auto session = std::make_shared<Session>(sockets::make_strand(io_), std::move(*tenant), peer);
  const std::string key = connection_key(fd);
  if (std::shared_ptr<Session> previous = sessions_.bind(key, session)) {
    end_on_strand(previous);  // its connection is gone: the kernel reused the fd number
  }
  const std::weak_ptr<AttachDeadline> deadline = enforce_attach_deadline(fd, session);
  const bool watched =
      monitor_.watch(fd, [this, key, deadline, weak = std::weak_ptr<Session>(session)] {
        cancel_deadline(deadline);
        if (std::shared_ptr<Session> ended = weak.lock()) {
          sessions_.unbind(key, *ended);
          end_on_strand(ended);
        }
      });
  if (!watched) {
    spdlog::warn("cannot watch connection {}: refused", key);
    cancel_deadline(deadline);
    sessions_.unbind(key, *session);
    end_on_strand(session);
    ::close(fd);
    return AcceptVerdict::kept;
  }
  spdlog::debug("session {} for uid {} pid {} (tenant {})", key, peer.uid, peer.pid,
                session->tenant().name);
  grpc::AddInsecureChannelFromFd(&server_, fd);
  return AcceptVerdict::kept;
}

std::weak_ptr<AttachDeadline> ClientConnections::enforce_attach_deadline(
    int fd, const std::shared_ptr<Session>& session) {
  const int duplicate = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (duplicate < 0) {
    spdlog::warn("cannot watch the attach deadline of connection fd:{}: {}", fd,
                 std::strerror(errno));
    return {};  // the connection still works; only the deadline is not enforced
  }
  auto deadline = std::make_shared<AttachDeadline>(session->strand(), duplicate);
  deadline->timer.expires_after(kAttachDeadline);
  deadline->timer.async_wait(
      [deadline, weak = std::weak_ptr<Session>(session)](boost::system::error_code error) {
        const std::shared_ptr<Session> late = weak.lock();
        if (error || !late || late->attached() || late->ended()) {
          return;
        }
        spdlog::info("connection of uid {} pid {} closed: no session attached within {} s",
                     late->peer().uid, late->peer().pid, kAttachDeadline.count());
        late->end();
        ::shutdown(deadline->fd, SHUT_RDWR);
      });
  return deadline;
}

void ClientConnections::end_all() {
  for (const std::shared_ptr<Session>& session : sessions_.unbind_all()) {
    end_on_strand(session);
  }
}

}  // namespace wasi_socketd::daemon
