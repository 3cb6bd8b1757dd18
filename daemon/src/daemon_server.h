// The running daemon: io_context threads, the gRPC server (no listening port of its own: every
// connection arrives through the Unix listener), the services, the sessions.
//
// Threading: construct, run_until_stopped() and destroy on one thread (main). stop() may be
// called from any thread, also from a signal handler's asio completion.
#pragma once

#include <grpcpp/server.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "admin/daemon_metrics.h"
#include "admin/metrics_registry.h"
#include "daemon_options.h"
#include "session/session_registry.h"
#include "session/tenant.h"
#include "systemd/watchdog.h"
#include "wasi_socketd/admin/v1/admin.pb.h"

namespace wasi_socketd::daemon {

class ClientConnections;
class DaemonAdmin;
class UnixListener;
class ServiceSet;

class DaemonServer {
 public:
  // Binds the socket and starts serving. Throws std::system_error / std::runtime_error.
  DaemonServer(const DaemonOptions& options, TenantResolver tenants);
  ~DaemonServer();
  DaemonServer(const DaemonServer&) = delete;
  DaemonServer& operator=(const DaemonServer&) = delete;

  // Tells systemd READY=1, then blocks until SIGINT/SIGTERM or stop(); then (STOPPING=1) stops
  // accepting, ends every session and shuts the gRPC server down (in-flight calls get a bounded
  // grace period).
  void run_until_stopped();
  void stop();

  // SIGHUP and `wasi-socketctl policy reload`: re-reads the policy, between RELOADING=1 and
  // READY=1 (systemd::ReloadNotice). Any thread; reloads never run concurrently.
  admin::v1::ReloadPolicyResponse reload_policy();
  // The policy in force, for `wasi-socketctl status`.
  admin::v1::PolicyInfo policy_info() const;

  boost::asio::io_context& io() { return io_; }
  const SessionRegistry& sessions() const { return sessions_; }

 private:
  void shut_down();
  void wait_for_signal();

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  boost::asio::thread_pool lookups_;
  MetricsRegistry metrics_registry_;
  DaemonMetrics metrics_{metrics_registry_};
  SessionRegistry sessions_;
  std::unique_ptr<ServiceSet> services_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<ClientConnections> connections_;
  std::unique_ptr<UnixListener> listener_;
  std::unique_ptr<DaemonAdmin> admin_;
  systemd::Watchdog watchdog_{io_};
  std::mutex reload_mutex_;
  boost::asio::signal_set signals_;
  std::promise<void> stop_requested_;
  std::once_flag stop_once_;
  std::vector<std::thread> threads_;
};

}  // namespace wasi_socketd::daemon
