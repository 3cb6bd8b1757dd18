#include "daemon_server.h"

#include <grpcpp/server_builder.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <chrono>

#include "service/service_set.h"
#include "transport/client_connections.h"
#include "transport/unix_listener.h"
#include "wasi_socketd/limits.h"

namespace wasi_socketd::daemon {

namespace {
// How long in-flight calls may take to finish once shutdown began.
constexpr auto kShutdownGrace = std::chrono::seconds(2);
}  // namespace

DaemonServer::DaemonServer(const DaemonOptions& options, TenantResolver tenants)
    : work_(io_.get_executor()),
      lookups_(static_cast<std::size_t>(options.lookup_threads)),
      services_(std::make_unique<ServiceSet>(sessions_, lookups_)),
      signals_(io_, SIGINT, SIGTERM),
      hangups_(io_, SIGHUP) {
  grpc::ServerBuilder builder;
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder.SetMaxSendMessageSize(kMaxMessageBytes);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, kStreamWindowBytes);
  services_->register_with(builder);
  server_ = builder.BuildAndStart();  // no AddListeningPort: connections come from our listener
  if (!server_) {
    throw std::runtime_error("the gRPC server did not start");
  }
  connections_ = std::make_unique<ClientConnections>(io_, *server_, sessions_, std::move(tenants));
  add_listener(policy::kMainListener,
               UnixListener::open(io_, options.listen_path, options.socket_mode),
               options.listen_path);
  for (const policy::ListenerDefinition& tenant : options.tenant_listeners) {
    add_listener(tenant.name,
                 UnixListener::open(io_, tenant.path, tenant.mode, tenant.owner, tenant.group),
                 tenant.path);
    spdlog::info("listening on {} for listener {}", tenant.path, tenant.name);
  }
  signals_.async_wait([this](boost::system::error_code error, int signal) {
    if (!error) {
      spdlog::info("signal {}: shutting down", signal);
      stop();
    }
  });
  for (int i = 0; i < std::max(1, options.io_threads); ++i) {
    threads_.emplace_back([this] { io_.run(); });
  }
  spdlog::info("listening on {}", options.listen_path);
}

void DaemonServer::add_listener(const std::string& name, UnixListener::Acceptor acceptor,
                                const std::string& path) {
  // Connections are stamped with the listener they came through: part of the peer's identity.
  listeners_.push_back(std::make_unique<UnixListener>(
      std::move(acceptor), path, [this, name](int fd, const PeerCredentials& peer) {
        PeerCredentials stamped = peer;
        stamped.listener = name;
        connections_->adopt(fd, stamped);
      }));
  listeners_.back()->start();
}

void DaemonServer::on_sighup(std::function<void()> reload) {
  reload_ = std::move(reload);
  wait_for_hangup();
}

void DaemonServer::wait_for_hangup() {
  hangups_.async_wait([this](boost::system::error_code error, int) {
    if (error) return;
    reload_();
    wait_for_hangup();
  });
}

DaemonServer::~DaemonServer() {
  stop();
  shut_down();
}

void DaemonServer::stop() {
  std::call_once(stop_once_, [this] { stop_requested_.set_value(); });
}

void DaemonServer::run_until_stopped() {
  stop_requested_.get_future().wait();
  shut_down();
}

void DaemonServer::shut_down() {
  if (threads_.empty()) {
    return;
  }
  // Stop accepting (on the io_context, where the listener lives), then end every session while
  // the io threads still run, so that their strands can close sockets and finish calls.
  std::promise<void> listener_closed;
  boost::asio::post(io_, [this, &listener_closed] {
    for (auto& listener : listeners_) listener->stop();
    signals_.cancel();
    hangups_.cancel();
    listener_closed.set_value();
  });
  listener_closed.get_future().wait();
  connections_->end_all();
  server_->Shutdown(std::chrono::system_clock::now() + kShutdownGrace);
  work_.reset();
  io_.stop();
  for (std::thread& thread : threads_) {
    thread.join();
  }
  threads_.clear();
  lookups_.join();
  listeners_.clear();
  connections_.reset();
  server_.reset();
}

}  // namespace wasi_socketd::daemon
