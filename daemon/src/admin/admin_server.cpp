#include "admin/admin_server.h"

#include <grpcpp/server_builder.h>
#include <grpcpp/server_posix.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <system_error>

#include "transport/unix_socket_file.h"

namespace wasi_socketd::daemon {

AdminServer::AdminServer(AdminBackend& backend) : service_(backend) {}

AdminServer::~AdminServer() { stop(); }

void AdminServer::start(const std::string& path) {
  grpc::ServerBuilder builder;
  builder.RegisterService(&service_);
  server_ = builder.BuildAndStart();  // no listening port: connections arrive as fds
  if (!server_) throw std::runtime_error("cannot start the admin gRPC server");
  ListeningSocket socket = listen_unix(path, 0600, std::nullopt, std::nullopt, 16);
  listener_ = socket.fd;
  file_ = std::move(socket.file);
  path_ = path;
  wakeup_ = ::eventfd(0, EFD_CLOEXEC);
  if (wakeup_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
  acceptor_ = std::thread([this] { accept_loop(); });
}

void AdminServer::stop() {
  if (acceptor_.joinable()) {
    const std::uint64_t one = 1;
    (void)::write(wakeup_, &one, sizeof one);
    acceptor_.join();
  }
  if (listener_ >= 0) {
    ::close(listener_);
    file_.remove_if_ours();
    listener_ = -1;
  }
  if (wakeup_ >= 0) {
    ::close(wakeup_);
    wakeup_ = -1;
  }
  if (server_) {
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
    server_.reset();
  }
}

bool AdminServer::admitted(int connection) const {
  ucred peer{};
  socklen_t length = sizeof peer;
  if (::getsockopt(connection, SOL_SOCKET, SO_PEERCRED, &peer, &length) != 0) return false;
  return peer.uid == 0 || peer.uid == ::geteuid();
}

void AdminServer::accept_loop() {
  pollfd waiting[2] = {{listener_, POLLIN, 0}, {wakeup_, POLLIN, 0}};
  while (true) {
    if (::poll(waiting, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (waiting[1].revents) return;
    const int connection = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (connection < 0) {
      // Out of fds: the pending connection stays readable, so pause instead of spinning.
      if (errno == EMFILE || errno == ENFILE) ::poll(nullptr, 0, 100);
      continue;
    }
    if (!admitted(connection)) {
      ::close(connection);
      continue;
    }
    // gRPC owns the fd from here and closes it when the connection ends.
    grpc::AddInsecureChannelFromFd(server_.get(), connection);
  }
}

}  // namespace wasi_socketd::daemon
