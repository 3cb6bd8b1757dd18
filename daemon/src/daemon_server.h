// The running daemon: io_context threads, the gRPC server (no listening port of its own: every
// connection arrives through the Unix listener), the services, the sessions.
//
// Configure, then start: the constructor builds everything (binds the sockets, so that a bad
// path fails early) but runs nothing; whatever must be wired to the server (the denial observer
// to metrics()) is wired between the constructor and start(), which starts the gRPC server,
// accepting, the admin socket, the watchdog and the io threads.
// Threading: construct, start(), run_until_stopped() and destroy on one thread (main). stop()
// may be called from any thread, also from a signal handler's asio completion.
#pragma once

#include <grpcpp/resource_quota.h>
#include <grpcpp/server.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>
#include "sockets/lookup_pool.h"

#include "admin/daemon_metrics.h"
#include "admin/metrics_registry.h"
#include "daemon_options.h"
#include "memory_trimmer.h"
#include "session/session_registry.h"
#include "session/tenant_access.h"
#include "systemd/watchdog.h"
#include "transport/unix_listener.h"
#include "wasi_socketd/admin/v1/admin.pb.h"

namespace wasi_socketd::daemon {

class ClientConnections;
class DaemonAdmin;
class ServiceSet;

class DaemonServer {
 public:
  // How the policy is reloaded and described; main wires it to policy::Tenancy.
  struct PolicyControl {
    // Re-reads the policy file: nullopt when accepted, else why it was rejected
    // ("file:line:column: message"; the old policy stays).
    std::function<std::optional<std::string>()> reload;
    // Source and tenants of the policy in force (generation and load time are counted here).
    std::function<admin::v1::PolicyInfo()> describe;
  };

  // Builds the daemon and binds its sockets; starts nothing. With `policy` empty (no reload),
  // SIGHUP is ignored and a reload is rejected. Throws std::system_error / std::runtime_error.
  DaemonServer(const DaemonOptions& options, TenantResolver tenants, PolicyControl policy);
  ~DaemonServer();
  DaemonServer(const DaemonServer&) = delete;
  DaemonServer& operator=(const DaemonServer&) = delete;

  // Starts serving: the gRPC server, the listeners, the admin socket, the watchdog, signal
  // handling and the io threads. Call once, after the configuration is complete. Throws.
  void start();

  // Tells systemd READY=1, then blocks until SIGINT/SIGTERM or stop(); then (STOPPING=1) stops
  // accepting, ends every session and shuts the gRPC server down (in-flight calls get a bounded
  // grace period).
  void run_until_stopped();
  void stop();

  // SIGHUP and `wasi-socketctl policy reload`: PolicyControl::reload between RELOADING=1 and
  // READY=1 (systemd::ReloadNotice). Any thread; reloads never overlap.
  admin::v1::ReloadPolicyResponse reload_policy();
  // The policy in force, for `wasi-socketctl status`. Any thread.
  admin::v1::PolicyInfo policy_info() const;

  boost::asio::io_context& io() { return io_; }
  const SessionRegistry& sessions() const { return sessions_; }
  // The daemon's counters (any thread); lives as long as the server, exists before start().
  DaemonMetrics& metrics() { return metrics_; }

 private:
  void add_listener(const std::string& name, UnixListener::Bound bound);
  void wait_for_hangup();
  void shut_down();

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  sockets::LookupPool lookups_;
  MetricsRegistry metrics_registry_;
  DaemonMetrics metrics_{metrics_registry_};
  SessionRegistry sessions_;
  grpc::ResourceQuota grpc_quota_{"wasi-socketd clients"};
  TenantResolver tenants_;  // moved into connections_ by start()
  std::unique_ptr<ServiceSet> services_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<ClientConnections> connections_;
  std::vector<std::unique_ptr<UnixListener>> listeners_;  // main first, then per-tenant ones
  std::unique_ptr<DaemonAdmin> admin_;
  systemd::Watchdog watchdog_{io_};
  boost::asio::signal_set signals_;
  boost::asio::signal_set hangups_;
  const PolicyControl policy_;  // set by the constructor, only read afterwards
  const int io_thread_count_;
  std::string main_listener_;  // its path, for the log
  bool socket_activated_ = false;
  std::mutex reload_mutex_;          // one reload at a time (SIGHUP, admin)
  mutable std::mutex policy_mutex_;  // guards the two fields below
  std::uint64_t policy_generation_ = 1;
  std::int64_t policy_loaded_at_ = 0;
  std::promise<void> stop_requested_;
  std::once_flag stop_once_;
  std::vector<std::thread> threads_;
  // From start(): RSS returns near its baseline after a tenant's burst.
  std::optional<MemoryTrimmer> trimmer_;
};

}  // namespace wasi_socketd::daemon
