// The daemon's metrics, named once here so every hook site uses the same names and labels.
//
// Thread-safety: all methods may be called from any thread. A session looks its tenant's handles
// up once (tenant()) and then only increments atomics on its hot paths.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "admin/metrics_registry.h"

namespace wasi_socketd::daemon {

// Counters of one tenant. References point into the registry, which outlives them.
class TenantMetrics {
 public:
  TenantMetrics(MetricsRegistry& registry, const std::string& tenant);

  void session_opened();
  void session_closed();
  void socket_created(std::string_view protocol);
  // Payload bytes the daemon received from the network for the tenant ("in") and sent for it.
  void tcp_bytes(std::uint64_t in, std::uint64_t out);
  void udp_bytes(std::uint64_t in, std::uint64_t out);
  // A policy decision said no: `operation` is "tcp.connect", "udp.send", "name_lookup", ...;
  // `rule` the deciding rule's label (from the policy file, or a fixed word such as
  // "default-deny"), so the label set stays bounded by the policy.
  void denial(std::string_view operation, std::string_view rule);
  // An operation failed with the WIT error-code `code` ("connection-refused", ...).
  void error(std::string_view code);
  // A call was answered at once because its connection had too many calls in flight
  // (session/calls_in_flight.h).
  void call_refused();
  // The daemon closed a connection of the tenant for the bound `rule` ("calls-in-flight").
  void connection_closed(std::string_view rule);
  // An operation answered would-block: the guest polls and retries (not an error).
  void would_block();

 private:
  MetricsRegistry& registry_;
  const std::string tenant_;
  Gauge& sessions_;
  Counter& sessions_opened_;
  Counter& tcp_in_;
  Counter& tcp_out_;
  Counter& udp_in_;
  Counter& udp_out_;
  Counter& retries_;
};

class DaemonMetrics {
 public:
  explicit DaemonMetrics(MetricsRegistry& registry);

  MetricsRegistry& registry() { return registry_; }
  // The shared handles of `tenant`, created on first use.
  std::shared_ptr<TenantMetrics> tenant(const std::string& tenant);
  // A client connection was turned away before it had a session ("unknown-peer", "draining", ...).
  void connection_refused(std::string_view reason);
  // A policy reload finished: accepted or rejected (the old policy stays).
  void policy_reload(bool accepted);

 private:
  MetricsRegistry& registry_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<TenantMetrics>> tenants_;
};

// Metric names (documented in docs/OPERATIONS.md).
namespace metric {
inline constexpr const char* kSessions = "wasi_socketd_sessions";
inline constexpr const char* kSessionsOpened = "wasi_socketd_sessions_opened_total";
inline constexpr const char* kSocketsCreated = "wasi_socketd_sockets_created_total";
inline constexpr const char* kSockets = "wasi_socketd_sockets";
inline constexpr const char* kBytes = "wasi_socketd_bytes_total";
inline constexpr const char* kDenials = "wasi_socketd_denials_total";
inline constexpr const char* kErrors = "wasi_socketd_errors_total";
inline constexpr const char* kRetries = "wasi_socketd_retries_total";
inline constexpr const char* kCallsRefused = "wasi_socketd_calls_refused_total";
inline constexpr const char* kConnectionsClosed = "wasi_socketd_connections_closed_total";
inline constexpr const char* kConnectionsRefused = "wasi_socketd_connections_refused_total";
inline constexpr const char* kPolicyReloads = "wasi_socketd_policy_reloads_total";
inline constexpr const char* kEventStreamQueuedBytes = "wasi_socketd_event_stream_queued_bytes";
inline constexpr const char* kEventStreamLag = "wasi_socketd_event_stream_lag_seconds";
inline constexpr const char* kStartTime = "wasi_socketd_start_time_seconds";
}  // namespace metric

}  // namespace wasi_socketd::daemon
