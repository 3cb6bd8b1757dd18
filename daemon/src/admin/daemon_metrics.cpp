#include "admin/daemon_metrics.h"

#include <chrono>

namespace wasi_socketd::daemon {
namespace {

MetricFamily<Counter>& bytes_family(MetricsRegistry& registry) {
  return registry.counter(metric::kBytes,
                          "Payload bytes carried for tenants; direction in = from the network",
                          {"tenant", "protocol", "direction"});
}

}  // namespace

TenantMetrics::TenantMetrics(MetricsRegistry& registry, const std::string& tenant)
    : registry_(registry),
      tenant_(tenant),
      sessions_(registry.gauge(metric::kSessions, "Live sessions (client connections)", {"tenant"})
                    .with({tenant})),
      sessions_opened_(
          registry.counter(metric::kSessionsOpened, "Sessions opened since start", {"tenant"})
              .with({tenant})),
      tcp_in_(bytes_family(registry).with({tenant, "tcp", "in"})),
      tcp_out_(bytes_family(registry).with({tenant, "tcp", "out"})),
      udp_in_(bytes_family(registry).with({tenant, "udp", "in"})),
      udp_out_(bytes_family(registry).with({tenant, "udp", "out"})),
      retries_(registry
                   .counter(metric::kRetries,
                            "Operations that answered would-block (the guest polls and retries)",
                            {"tenant"})
                   .with({tenant})) {}

void TenantMetrics::session_opened() {
  sessions_.add(1);
  sessions_opened_.add();
}

void TenantMetrics::session_closed() { sessions_.sub(1); }

void TenantMetrics::call_refused() {
  registry_
      .counter(
          metric::kCallsRefused,
          "Calls answered at once (RESOURCE_EXHAUSTED): their connection had too many in flight",
          {"tenant"})
      .with({tenant_})
      .add();
}

void TenantMetrics::connection_closed(std::string_view rule) {
  registry_
      .counter(metric::kConnectionsClosed, "Client connections the daemon closed, by the bound",
               {"tenant", "rule"})
      .with({tenant_, std::string(rule)})
      .add();
}

void TenantMetrics::socket_created(std::string_view protocol) {
  registry_.counter(metric::kSocketsCreated, "Sockets created since start", {"tenant", "protocol"})
      .with({tenant_, std::string(protocol)})
      .add();
}

void TenantMetrics::tcp_bytes(std::uint64_t in, std::uint64_t out) {
  if (in) tcp_in_.add(in);
  if (out) tcp_out_.add(out);
}

void TenantMetrics::udp_bytes(std::uint64_t in, std::uint64_t out) {
  if (in) udp_in_.add(in);
  if (out) udp_out_.add(out);
}

void TenantMetrics::denial(std::string_view operation, std::string_view rule) {
  registry_
      .counter(metric::kDenials, "Operations the policy denied, by the deciding rule",
               {"tenant", "operation", "rule"})
      .with({tenant_, std::string(operation), std::string(rule)})
      .add();
}

void TenantMetrics::would_block() { retries_.add(); }

void TenantMetrics::error(std::string_view code) {
  registry_
      .counter(metric::kErrors, "Operations that failed, by WASI error-code", {"tenant", "code"})
      .with({tenant_, std::string(code)})
      .add();
}

DaemonMetrics::DaemonMetrics(MetricsRegistry& registry) : registry_(registry) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  registry.gauge(metric::kStartTime, "Start time of the daemon since the Unix epoch in seconds")
      .with({})
      .set(std::chrono::duration_cast<std::chrono::seconds>(now).count());
}

std::shared_ptr<TenantMetrics> DaemonMetrics::tenant(const std::string& tenant) {
  std::lock_guard lock(mutex_);
  auto& metrics = tenants_[tenant];
  if (!metrics) metrics = std::make_shared<TenantMetrics>(registry_, tenant);
  return metrics;
}

void DaemonMetrics::connection_refused(std::string_view reason) {
  registry_.counter(metric::kConnectionsRefused, "Client connections turned away", {"reason"})
      .with({std::string(reason)})
      .add();
}

void DaemonMetrics::policy_reload(bool accepted) {
  registry_.counter(metric::kPolicyReloads, "Policy reloads by result", {"result"})
      .with({accepted ? "accepted" : "rejected"})
      .add();
}

}  // namespace wasi_socketd::daemon
