#include "session.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "admin/daemon_metrics.h"
#include "policy/session_policy.h"
#include "session_limits.h"
#include "tcp_resource.h"
#include "wasi_socketd/limits.h"

namespace wasi_socketd::daemon {

Session::Session(Strand strand, TenantAccess tenant, PeerCredentials peer,
                 std::unique_ptr<ClientConnection> connection)
    : strand_(std::move(strand)),
      tenant_(std::move(tenant)),
      peer_(peer),
      connection_(std::move(connection)),
      resources_(tenant_.socket_quota),
      network_id_(resources_.next_id()) {
  resources_.on_touched([this] { schedule_publish(); });
}

Session::~Session() {
  // The last owner is normally work on the sequence; otherwise nobody can be running it for us.
  if (!strand_.run_now_if_idle([this] { resources_.close_all(); })) {
    resources_.close_all();
  }
}

std::uint64_t Session::instance_network() {
  strand_.assert_on_sequence();
  if (network_id_ == 0) network_id_ = resources_.next_id();
  return network_id_;
}

v1::Readiness Session::to_proto(const ReadinessLevel& level) const {
  v1::Readiness readiness;
  readiness.set_ready(level.ready);
  readiness.set_version(level.version);
  return readiness;
}

v1::Readiness Session::set_readiness(std::uint64_t id, v1::ReadinessKind kind, bool ready) {
  strand_.assert_on_sequence();
  ReadinessState::Change change = readiness_.set(id, kind, ready);
  if (change.changed) resources_.touch(id);
  if (change.changed && sink_ != nullptr) {
    v1::ServerItem item;
    v1::ReadinessEvent* event = item.mutable_readiness();
    event->set_resource_id(id);
    event->set_kind(kind);
    event->set_ready(change.level.ready);
    event->set_version(change.level.version);
    push(std::move(item));
  }
  return to_proto(change.level);
}

v1::Readiness Session::readiness(std::uint64_t id, v1::ReadinessKind kind) const {
  strand_.assert_on_sequence();
  return to_proto(readiness_.get(id, kind));
}

std::unique_ptr<SessionResource> Session::remove(std::uint64_t id) {
  strand_.assert_on_sequence();
  readiness_.forget(id);
  std::unique_ptr<SessionResource> resource = resources_.take(id);
  if (resource) {
    resource->close();
  }
  return resource;
}

void Session::push(v1::ServerItem item) {
  strand_.assert_on_sequence();
  if (ended_ || overflowed_) {
    return;
  }
  outbox_.push(std::move(item));
  publish_backlog();
  if (outbox_.queued_bytes() > kEventBacklogHardBytes) {
    overflow();
    return;
  }
  write_next();
}

bool Session::backlogged() {
  strand_.assert_on_sequence();
  if (outbox_.queued_bytes() > kEventBacklogSoftBytes) {
    reading_held_ = true;
  }
  return reading_held_;
}

void Session::overflow() {
  overflowed_ = true;
  spdlog::warn("session of uid {} pid {} (tenant {}) ended: {} bytes queued on its Attach stream",
               peer_.uid, peer_.pid, tenant_.name, outbox_.queued_bytes());
  if (tenant_.tenancy) {
    tenant_.tenancy->audit("session.event_backlog", "", "", "event-backlog-hard-cap",
                           audit::Outcome::deny);
  }
  if (std::shared_ptr<Session> self = weak_from_this().lock()) {
    boost::asio::post(strand_, [self] { self->end(); });
  } else {
    end();  // not shared (unit tests): nothing can be mid-call on a resource
  }
}

void Session::close_connection(std::string_view rule) {
  spdlog::warn("connection of uid {} pid {} (tenant {}) closed: {}", peer_.uid, peer_.pid,
               tenant_.name, rule);
  if (tenant_.metrics) tenant_.metrics->connection_closed(rule);
  if (connection_) connection_->close();
  std::shared_ptr<Session> self = weak_from_this().lock();
  if (!self) return;  // not shared (unit tests)
  strand_.post([self, rule = std::string(rule)] {
    if (self->tenant_.tenancy) {
      self->tenant_.tenancy->audit("session.connection", "", "", rule, audit::Outcome::deny);
    }
    self->end();
  });
}

SessionSummary Session::summary() const {
  SessionSummary summary;
  {
    std::lock_guard lock(summary_mutex_);
    summary.sockets.assign(published_sockets_.begin(), published_sockets_.end());
  }
  summary.queued_bytes = published_queued_bytes_.load(std::memory_order_relaxed);
  const auto oldest = oldest_queued_at_.load(std::memory_order_relaxed);
  if (oldest != 0) {
    summary.lag =
        std::chrono::steady_clock::now() -
        std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(oldest));
  }
  return summary;
}

void Session::schedule_publish() {
  if (publish_posted_) return;
  std::shared_ptr<Session> self = weak_from_this().lock();
  if (!self) {
    publish_summary();  // not shared (unit tests, or being destroyed): nothing else runs it
    return;
  }
  publish_posted_ = true;
  strand_.post([self] { self->publish_summary(); });
}

void Session::publish_summary() {
  publish_posted_ = false;
  std::vector<std::pair<std::uint64_t, std::optional<ResourceSummary>>> changes;
  for (const std::uint64_t id : resources_.take_touched()) {
    const SessionResource* resource = resources_.peek(id);
    changes.emplace_back(id, resource ? std::optional(resource->summary()) : std::nullopt);
  }
  std::lock_guard lock(summary_mutex_);
  for (auto& [id, summary] : changes) {
    if (summary) {
      published_sockets_[id] = std::move(*summary);
    } else {
      published_sockets_.erase(id);
    }
  }
}

void Session::publish_backlog() {
  published_queued_bytes_.store(outbox_.queued_bytes(), std::memory_order_relaxed);
  oldest_queued_at_.store(outbox_.oldest_queued_at().time_since_epoch().count(),
                          std::memory_order_relaxed);
}

bool Session::attach(FrameSink& sink) {
  strand_.assert_on_sequence();
  if (ended_ || ever_attached_) {
    return false;
  }
  ever_attached_ = true;
  sink_ = &sink;
  // The opening frame goes first, then the levels known so far, then whatever waited.
  Outbox waiting = std::exchange(outbox_, Outbox{});
  send_opened();
  for (v1::ReadinessEvent& event : readiness_.snapshot()) {
    v1::ServerItem item;
    *item.mutable_readiness() = std::move(event);
    outbox_.push(std::move(item));
  }
  outbox_.append(std::move(waiting));
  publish_backlog();
  write_next();
  return true;
}

void Session::send_opened() {
  v1::ServerItem item;
  v1::SessionOpened* opened = item.mutable_opened();
  opened->set_protocol_version(kProtocolVersion);
  opened->set_tenant(tenant_.name);
  opened->set_network_id(network_id_);
  opened->mutable_capabilities()->set_tcp(tenant_.tcp);
  opened->mutable_capabilities()->set_udp(tenant_.udp);
  opened->mutable_capabilities()->set_name_lookup(tenant_.name_lookup);
  v1::SessionLimits* limits = opened->mutable_limits();
  limits->set_max_tcp_write_item(kMaxTcpChunk);
  limits->set_max_datagram_size(kMaxDatagramSize);
  limits->set_max_datagrams_per_call(kMaxDatagramsPerCall);
  limits->set_max_name_length(kMaxNameLength);
  outbox_.push(std::move(item));
}

void Session::write_next() {
  if (writing_ || sink_ == nullptr || outbox_.empty()) {
    return;
  }
  v1::ServerFrame frame;
  outbox_.fill(frame, kMaxServerFrameBytes);
  publish_backlog();
  count_sent_data(frame);
  writing_ = true;
  sink_->write(std::move(frame));
}

void Session::count_sent_data(const v1::ServerFrame& frame) {
  for (const v1::ServerItem& item : frame.items()) {
    if (!item.has_tcp_data()) {
      continue;
    }
    if (auto* tcp = resources_.find_for_data<TcpResource>(item.tcp_data().socket_id())) {
      tcp->data_sent(item.tcp_data().data().size());
    }
  }
}

void Session::frame_written() {
  strand_.assert_on_sequence();
  writing_ = false;
  write_next();
  if (reading_held_ && outbox_.queued_bytes() <= kEventBacklogSoftBytes / 2 && sink_ != nullptr) {
    reading_held_ = false;
    sink_->resume_reading();
  }
}

void Session::detach(FrameSink& sink) {
  strand_.assert_on_sequence();
  if (sink_ == &sink) {
    sink_ = nullptr;
  }
  end();
}

void Session::end() {
  strand_.assert_on_sequence();
  if (ended_) {
    return;
  }
  ended_ = true;
  if (tenant_.metrics) {
    tenant_.metrics->session_closed();
  }
  resources_.close_all();
  readiness_ = ReadinessState{};
  outbox_.clear();
  publish_backlog();
  if (sink_ != nullptr) {
    FrameSink* sink = std::exchange(sink_, nullptr);
    sink->finish();
  }
}

}  // namespace wasi_socketd::daemon
