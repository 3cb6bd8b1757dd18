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
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "daemon_options.h"
#include "session/session_registry.h"
#include "session/tenant.h"
#include "transport/unix_listener.h"

namespace wasi_socketd::daemon {

class ClientConnections;
class ServiceSet;

class DaemonServer {
 public:
  // Binds the socket and starts serving. Throws std::system_error / std::runtime_error.
  DaemonServer(const DaemonOptions& options, TenantResolver tenants);
  ~DaemonServer();
  DaemonServer(const DaemonServer&) = delete;
  DaemonServer& operator=(const DaemonServer&) = delete;

  // Blocks until SIGINT/SIGTERM or stop(); then stops accepting, ends every session and shuts
  // the gRPC server down (in-flight calls get a bounded grace period).
  void run_until_stopped();
  // `reload` runs on an io thread for every SIGHUP (without one SIGHUP is ignored). Call once,
  // before run_until_stopped().
  void on_sighup(std::function<void()> reload);
  void stop();

  boost::asio::io_context& io() { return io_; }
  const SessionRegistry& sessions() const { return sessions_; }

 private:
  void add_listener(const std::string& name, UnixListener::Acceptor acceptor,
                    const std::string& path);
  void wait_for_hangup();
  void shut_down();

  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  boost::asio::thread_pool lookups_;
  SessionRegistry sessions_;
  std::unique_ptr<ServiceSet> services_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<ClientConnections> connections_;
  std::vector<std::unique_ptr<UnixListener>> listeners_;  // main first, then per-tenant ones
  boost::asio::signal_set signals_;
  boost::asio::signal_set hangups_;
  std::function<void()> reload_;
  std::promise<void> stop_requested_;
  std::once_flag stop_once_;
  std::vector<std::thread> threads_;
};

}  // namespace wasi_socketd::daemon
