#include "daemon_server.h"

#include <grpcpp/resource_quota.h>
#include <grpcpp/server_builder.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <chrono>

#include "admin/admin_socket_path.h"
#include "daemon_admin.h"
#include "service/service_set.h"
#include "systemd/notifier.h"
#include "systemd/reload_notice.h"
#include "transport/client_connections.h"
#include "transport/unix_listener.h"
#include "wasi_socketd/limits.h"

namespace wasi_socketd::daemon {

namespace {
// How long in-flight calls may take to finish once shutdown began.
constexpr auto kShutdownGrace = std::chrono::seconds(2);
// Ready handlers run at exit after the io threads stopped (shut_down): a bound, not a loop.
constexpr int kDrainStepsAtExit = 100000;
// Memory gRPC may use for all client connections together (buffers, calls). Above it gRPC
// reclaims: it shrinks flow-control windows and cancels streams ("Buffers full").
constexpr std::size_t kGrpcMemoryQuotaBytes = std::size_t{256} << 20;

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Every admitted session's tenant carries its metrics handles; opening one is counted here, once.
TenantResolver metered(TenantResolver tenants, DaemonMetrics& metrics) {
  return [tenants = std::move(tenants), &metrics](const PeerCredentials& peer) {
    PeerAdmission admission = tenants(peer);
    if (!admission.tenant) {
      metrics.connection_refused("not-admitted");
      return admission;
    }
    admission.tenant->metrics = metrics.tenant(admission.tenant->name);
    admission.tenant->metrics->session_opened();
    return admission;
  };
}

// The path an inherited listening socket is bound to (for status and the admin socket default).
std::string bound_path(UnixListener::Acceptor& acceptor) {
  boost::system::error_code error;
  const auto endpoint = acceptor.local_endpoint(error);
  return error ? std::string() : endpoint.path();
}
}  // namespace

DaemonServer::DaemonServer(const DaemonOptions& options, TenantResolver tenants,
                           PolicyControl policy)
    : work_(io_.get_executor()),
      lookups_({static_cast<std::size_t>(options.lookup_threads),
                static_cast<std::size_t>(options.lookups_per_tenant)}),
      tenants_(metered(std::move(tenants), metrics_)),
      services_(std::make_unique<ServiceSet>(sessions_, lookups_)),
      signals_(io_, SIGINT, SIGTERM),
      hangups_(io_, SIGHUP),
      policy_(std::move(policy)),
      io_thread_count_(std::max(1, options.io_threads)) {
  policy_loaded_at_ = unix_now();
  DaemonFacts facts;
  facts.metrics_http = options.metrics_http;
  if (options.inherited_listener >= 0) {
    // Socket activation: systemd owns the socket file, so the listener must not remove it.
    UnixListener::Bound adopted = UnixListener::adopt(io_, options.inherited_listener);
    facts.listeners.push_back(bound_path(adopted.acceptor));
    facts.socket_activated = true;
    add_listener(policy::kMainListener, std::move(adopted));
  } else {
    add_listener(policy::kMainListener,
                 UnixListener::open(io_, options.listen_path, options.socket_mode,
                                    options.socket_owner, options.socket_group));
    facts.listeners.push_back(options.listen_path);
  }
  for (const policy::ListenerDefinition& tenant : options.tenant_listeners) {
    add_listener(tenant.name,
                 UnixListener::open(io_, tenant.path, tenant.mode, tenant.owner, tenant.group));
    spdlog::info("listening on {} for listener {}", tenant.path, tenant.name);
    facts.listeners.push_back(tenant.path);
  }
  main_listener_ = facts.listeners.front();
  socket_activated_ = facts.socket_activated;
  facts.admin_socket_derived = options.admin_socket_path.empty();
  facts.admin_socket = facts.admin_socket_derived ? admin_socket_path_for(facts.listeners.front())
                                                  : options.admin_socket_path;
  admin_ = std::make_unique<DaemonAdmin>(
      sessions_, metrics_, facts, [this] { return reload_policy(); },
      [this] { return policy_info(); });
}

void DaemonServer::start() {
  grpc::ServerBuilder builder;
  // Every bound below applies to the connections handed over by AddInsecureChannelFromFd too:
  // they are built from the server's channel arguments (docs/SECURITY.md "HTTP/2 connections").
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder.SetMaxSendMessageSize(kMaxMessageBytes);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, kStreamWindowBytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, kMaxConcurrentStreams);
  // No compression: gRPC 1.51 inflates a compressed message whole before the size check (1 MB of
  // gzip cost 1.1 GiB), and no client of ours compresses. A compressed call is refused from its
  // headers.
  builder.AddChannelArgument(GRPC_COMPRESSION_CHANNEL_ENABLED_ALGORITHMS_BITSET,
                             1 << GRPC_COMPRESS_NONE);
  grpc_quota_.Resize(kGrpcMemoryQuotaBytes);
  builder.SetResourceQuota(grpc_quota_);
  services_->register_with(builder);
  server_ = builder.BuildAndStart();  // no AddListeningPort: connections come from our listener
  if (!server_) {
    throw std::runtime_error("the gRPC server did not start");
  }
  connections_ = std::make_unique<ClientConnections>(io_, *server_, sessions_, std::move(tenants_));
  // The io threads do not run yet: starting the listeners here cannot race with them.
  for (auto& listener : listeners_) listener->start();
  admin_->start();
  watchdog_.start();
  signals_.async_wait([this](boost::system::error_code error, int signal) {
    if (!error) {
      spdlog::info("signal {}: shutting down", signal);
      stop();
    }
  });
  if (policy_.reload) wait_for_hangup();
  trimmer_.emplace();
  for (int i = 0; i < io_thread_count_; ++i) {
    threads_.emplace_back([this] { io_.run(); });
  }
  spdlog::info("listening on {}{}", main_listener_, socket_activated_ ? " (socket-activated)" : "");
}

void DaemonServer::add_listener(const std::string& name, UnixListener::Bound bound) {
  // Connections are stamped with the listener they came through: part of the peer's identity.
  listeners_.push_back(std::make_unique<UnixListener>(
      std::move(bound),
      [this, name](int fd, const PeerCredentials& peer) {
        PeerCredentials stamped = peer;
        stamped.listener = name;
        stamped.connected_at_unix_seconds = unix_now();
        return connections_->adopt(fd, stamped);
      },
      [this](uid_t) { metrics_.connection_refused("connect-rate"); }));
}

void DaemonServer::wait_for_hangup() {
  hangups_.async_wait([this](boost::system::error_code error, int) {
    if (error) return;
    // Runs on an io thread. Parsing a policy file takes milliseconds, an io thread can afford it;
    // a reload under way from the admin socket makes this one wait (reload_mutex_).
    reload_policy();
    wait_for_hangup();
  });
}

admin::v1::ReloadPolicyResponse DaemonServer::reload_policy() {
  std::lock_guard reloading(reload_mutex_);
  systemd::ReloadNotice notice("policy");
  const std::optional<std::string> rejected =
      policy_.reload ? policy_.reload() : std::optional<std::string>("no policy to reload");
  if (!rejected) {
    std::lock_guard lock(policy_mutex_);
    ++policy_generation_;
    policy_loaded_at_ = unix_now();
  }
  metrics_.policy_reload(!rejected);
  admin::v1::ReloadPolicyResponse response;
  response.set_reloaded(!rejected);
  response.set_error(rejected.value_or(""));
  *response.mutable_policy() = policy_info();
  notice.finish((rejected ? "policy reload rejected; " : "policy reloaded; ") +
                (admin_ ? admin_->status_line() : std::string()));
  return response;
}

admin::v1::PolicyInfo DaemonServer::policy_info() const {
  admin::v1::PolicyInfo info;
  if (policy_.describe) {
    info = policy_.describe();
  }
  std::lock_guard lock(policy_mutex_);
  info.set_generation(policy_generation_);
  info.set_loaded_at_unix_seconds(policy_loaded_at_);
  return info;
}

DaemonServer::~DaemonServer() {
  stop();
  shut_down();
}

void DaemonServer::stop() {
  std::call_once(stop_once_, [this] {
    systemd::Notifier::stopping("stopping: draining " + std::to_string(sessions_.size()) +
                                " sessions");
    if (admin_) {
      admin_->set_draining();
    }
    stop_requested_.set_value();
  });
}

void DaemonServer::run_until_stopped() {
  systemd::Notifier::ready(admin_->status_line());
  stop_requested_.get_future().wait();
  shut_down();
}

void DaemonServer::shut_down() {
  if (threads_.empty()) {
    return;
  }
  // The admin socket first: nothing may inspect sessions while they are being torn down.
  admin_->stop();
  // Stop accepting (on the io_context, where the listener lives), then end every session while
  // the io threads still run, so that their strands can close sockets and finish calls.
  for (auto& listener : listeners_) listener->stop_on_strand();
  std::promise<void> listener_closed;
  boost::asio::post(io_, [this, &listener_closed] {
    watchdog_.stop();
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
  // A call that ended while the io threads stopped left its last step queued (an Attach reactor's
  // OnDone deletes it on its session's sequence): run what is ready, a bounded number of steps,
  // while everything those steps touch still exists, so that nothing is left behind.
  io_.restart();
  for (int step = 0; step < kDrainStepsAtExit && io_.poll_one() > 0; ++step) {
  }
  lookups_.join();
  listeners_.clear();
  admin_.reset();
  connections_.reset();
  server_.reset();
}

}  // namespace wasi_socketd::daemon
