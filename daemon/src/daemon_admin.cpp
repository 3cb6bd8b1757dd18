#include "daemon_admin.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "policy/policy_loader.h"
#include "session_snapshot.h"

namespace wasi_socketd::daemon {
namespace {

admin::v1::SocketProtocol protocol_of(const ResourceSummary& summary) {
  return std::string_view(summary.protocol) == "tcp" ? admin::v1::SOCKET_PROTOCOL_TCP
                                                     : admin::v1::SOCKET_PROTOCOL_UDP;
}

}  // namespace

DaemonAdmin::DaemonAdmin(const SessionRegistry& sessions, DaemonMetrics& metrics, DaemonFacts facts,
                         ReloadPolicy reload, PolicyInfo policy)
    : sessions_(sessions),
      metrics_(metrics),
      facts_(std::move(facts)),
      reload_(std::move(reload)),
      policy_(std::move(policy)),
      admin_server_(*this),
      http_server_([this] { return metrics_text(); }) {
  register_collectors();
}

DaemonAdmin::~DaemonAdmin() { stop(); }

void DaemonAdmin::start() {
  try {
    admin_server_.start(facts_.admin_socket);
  } catch (const std::exception& error) {
    // A derived path can fail where the broker path did not (e.g. it no longer fits sun_path):
    // the broker still serves, only wasi-socketctl cannot reach it.
    if (!facts_.admin_socket_derived) throw;
    spdlog::warn("no admin socket: {}", error.what());
    facts_.admin_socket.clear();
  }
  if (!facts_.admin_socket.empty()) spdlog::info("admin socket {}", facts_.admin_socket);
  if (!facts_.metrics_http.empty()) {
    http_server_.start(facts_.metrics_http);
    metrics_http_bound_ = http_server_.local_address();
    spdlog::info("metrics at http://{}/metrics", metrics_http_bound_);
  }
}

void DaemonAdmin::stop() {
  http_server_.stop();
  admin_server_.stop();
}

void DaemonAdmin::register_collectors() {
  // Walked at scrape time from the live sessions, so they can never drift from the truth.
  auto& registry = metrics_.registry();
  registry.before_collecting([this] {
    auto pass = std::make_shared<const std::vector<SessionSnapshot>>(snapshot_sessions(sessions_));
    std::lock_guard lock(scrape_mutex_);
    scrape_ = std::move(pass);
  });
  registry.collected_gauge(
      metric::kSockets, "Open sockets by WASI state", {"tenant", "protocol", "state"}, [this] {
        std::map<std::tuple<std::string, std::string, std::string>, int> counts;
        for (const auto& session : *scrape()) {
          for (const auto& [id, summary] : session.summary.sockets) {
            ++counts[{session.tenant, summary.protocol, summary.state}];
          }
        }
        std::vector<Sample> samples;
        for (const auto& [key, count] : counts) {
          const auto& [tenant, protocol, state] = key;
          samples.push_back({{tenant, protocol, state}, double(count)});
        }
        return samples;
      });
  registry.collected_gauge(metric::kEventStreamQueuedBytes,
                           "Bytes queued for Attach streams, not yet written", {"tenant"}, [this] {
                             std::map<std::string, double> bytes;
                             for (const auto& session : *scrape()) {
                               bytes[session.tenant] += double(session.summary.queued_bytes);
                             }
                             std::vector<Sample> samples;
                             for (const auto& [tenant, value] : bytes)
                               samples.push_back({{tenant}, value});
                             return samples;
                           });
  registry.collected_gauge(
      metric::kEventStreamLag, "Age of the oldest item queued for an Attach stream", {"tenant"},
      [this] {
        std::map<std::string, double> lag;
        for (const auto& session : *scrape()) {
          const double seconds = std::chrono::duration<double>(session.summary.lag).count();
          lag[session.tenant] = std::max(lag[session.tenant], seconds);
        }
        std::vector<Sample> samples;
        for (const auto& [tenant, value] : lag) samples.push_back({{tenant}, value});
        return samples;
      });
}

std::shared_ptr<const std::vector<SessionSnapshot>> DaemonAdmin::scrape() const {
  std::lock_guard lock(scrape_mutex_);
  return scrape_ ? scrape_ : std::make_shared<const std::vector<SessionSnapshot>>();
}

std::string DaemonAdmin::status_line() {
  std::string listeners;
  for (const auto& path : facts_.listeners) listeners += (listeners.empty() ? "" : ", ") + path;
  const auto policy = policy_();
  return "listening on " + listeners + "; " + std::to_string(sessions_.size()) +
         " sessions; policy " + policy.source() + " (generation " +
         std::to_string(policy.generation()) + ")";
}

admin::v1::GetStatusResponse DaemonAdmin::status() {
  admin::v1::GetStatusResponse status;
  status.set_version(WASI_SOCKETD_VERSION);
  status.set_pid(static_cast<std::uint32_t>(::getpid()));
  status.set_uptime_seconds(static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_)
          .count()));
  for (const auto& path : facts_.listeners) status.add_listeners(path);
  status.set_admin_socket(facts_.admin_socket);
  status.set_socket_activated(facts_.socket_activated);
  const auto snapshots = snapshot_sessions(sessions_);
  std::uint64_t sockets = 0;
  for (const auto& session : snapshots) sockets += session.summary.sockets.size();
  status.set_sessions(snapshots.size());
  status.set_sockets(sockets);
  *status.mutable_policy() = policy_();
  status.set_draining(draining_);
  status.set_metrics_http(metrics_http_bound_);
  return status;
}

admin::v1::ListSessionsResponse DaemonAdmin::sessions() {
  admin::v1::ListSessionsResponse response;
  for (const auto& session : snapshot_sessions(sessions_)) {
    auto* info = response.add_sessions();
    info->set_session(session.number);
    info->set_tenant(session.tenant);
    info->set_uid(session.peer.uid);
    info->set_gid(session.peer.gid);
    info->set_pid(static_cast<std::uint32_t>(session.peer.pid));
    info->set_sockets(session.summary.sockets.size());
    info->set_opened_at_unix_seconds(session.peer.connected_at_unix_seconds);
    info->set_listener(session.peer.listener);
  }
  return response;
}

admin::v1::ListSocketsResponse DaemonAdmin::sockets(const std::string& tenant) {
  admin::v1::ListSocketsResponse response;
  for (const auto& session : snapshot_sessions(sessions_)) {
    if (!tenant.empty() && session.tenant != tenant) continue;
    for (const auto& [id, summary] : session.summary.sockets) {
      auto* info = response.add_sockets();
      info->set_session(session.number);
      info->set_tenant(session.tenant);
      info->set_socket_id(id);
      info->set_protocol(protocol_of(summary));
      info->set_state(summary.state);
      info->set_local_address(summary.local_address);
      info->set_remote_address(summary.remote_address);
      info->set_linger(summary.linger);
    }
  }
  return response;
}

admin::v1::CheckPolicyResponse DaemonAdmin::check_policy(const std::string& source_name,
                                                         const std::string& text) {
  admin::v1::CheckPolicyResponse response;
  const auto result = policy::parse_policy(text, source_name);
  response.set_valid(result.ok());
  if (!result.ok()) {
    response.set_error(result.error ? result.error->to_string() : "invalid policy");
    return response;
  }
  for (const auto& tenant : result.policy->tenants) response.add_tenants(tenant->name);
  return response;
}

admin::v1::ReloadPolicyResponse DaemonAdmin::reload_policy() { return reload_(); }

std::string DaemonAdmin::metrics_text() { return metrics_.registry().render(); }

}  // namespace wasi_socketd::daemon
