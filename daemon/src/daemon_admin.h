// The daemon's side of the admin interface and its metrics: answers wasi-socketctl from the live
// sessions, serves the admin socket and the optional loopback /metrics listener, and computes the
// gauges that are walked rather than counted (sessions, sockets by state, event-stream lag).
//
// Threading: constructed and started/stopped on main; the AdminBackend methods run on gRPC
// threads (and /metrics on its own thread) and answer from what each session published on its
// sequence (Session::summary): they never wait for a session. One /metrics render walks the
// sessions once, for all the walked gauges. Must be stopped before the io_context threads stop.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "admin/admin_backend.h"
#include "admin/admin_server.h"
#include "admin/daemon_metrics.h"
#include "admin/metrics_http_server.h"
#include "session/session_registry.h"
#include "session_snapshot.h"

namespace wasi_socketd::daemon {

// What the daemon tells the admin interface about itself.
struct DaemonFacts {
  std::vector<std::string> listeners;  // broker socket paths
  bool socket_activated = false;
  std::string admin_socket;
  bool admin_socket_derived =
      false;                 // not given by --admin-socket: failing to open it is not fatal
  std::string metrics_http;  // "HOST:PORT" to listen on, empty: off
};

class DaemonAdmin final : public AdminBackend {
 public:
  using ReloadPolicy = std::function<admin::v1::ReloadPolicyResponse()>;
  using PolicyInfo = std::function<admin::v1::PolicyInfo()>;

  // `sessions` and `metrics` must outlive this object.
  DaemonAdmin(const SessionRegistry& sessions, DaemonMetrics& metrics, DaemonFacts facts,
              ReloadPolicy reload, PolicyInfo policy);
  ~DaemonAdmin() override;

  // Opens the admin socket and, if configured, the /metrics listener. Throws on failure.
  void start();
  void stop();
  void set_draining() { draining_ = true; }

  // One line for systemd's STATUS=: listeners, sessions, policy. Never waits for a session.
  std::string status_line();

  admin::v1::GetStatusResponse status() override;
  admin::v1::ListSessionsResponse sessions() override;
  admin::v1::ListSocketsResponse sockets(const std::string& tenant) override;
  admin::v1::CheckPolicyResponse check_policy(const std::string& source_name,
                                              const std::string& text) override;
  admin::v1::ReloadPolicyResponse reload_policy() override;
  std::string metrics_text() override;

 private:
  void register_collectors();
  // The sessions as the current render's pass saw them (empty before the first render).
  std::shared_ptr<const std::vector<SessionSnapshot>> scrape() const;

  const SessionRegistry& sessions_;
  DaemonMetrics& metrics_;
  DaemonFacts facts_;
  ReloadPolicy reload_;
  PolicyInfo policy_;
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::atomic<bool> draining_{false};
  AdminServer admin_server_;
  MetricsHttpServer http_server_;
  std::string metrics_http_bound_;
  mutable std::mutex scrape_mutex_;
  std::shared_ptr<const std::vector<SessionSnapshot>> scrape_;
};

}  // namespace wasi_socketd::daemon
