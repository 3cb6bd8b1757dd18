// One client connection's state: its tenant, its resources and its Attach stream.
//
// Threading: a Session lives on its sequence (strand(), a sockets::SerialExecutor): work
// dispatched or posted there runs one item at a time, in order, on an io thread or inline on the
// gRPC thread that found the session idle. tenant(), peer() and strand() may be called from any
// thread, and so may calls(), connection() and close_connection(); every other method only on the
// sequence, which each one asserts in debug and sanitizer builds. Services hold the session by
// shared_ptr for the length of a call; socket callbacks hold a weak_ptr and do nothing once it is
// ended. The destructor may run on any thread: it closes the resources on the sequence when that is
// idle (it always is once the last owner has gone).
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>

#include "calls_in_flight.h"
#include "client_connection.h"
#include "frame_sink.h"
#include "outbox.h"
#include "peer_credentials.h"
#include "readiness_state.h"
#include "resource_table.h"
#include "session_summary.h"
#include "sockets/serial_executor.h"
#include "tenant_access.h"
#include "wasi_socketd/v1/session.pb.h"
#include "wasi_socketd/v1/tcp.pb.h"

namespace wasi_socketd::daemon {

using Strand = sockets::Strand;

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `connection` is null for sessions built without one (tests): close_connection() then only
  // ends the session.
  Session(Strand strand, TenantAccess tenant, PeerCredentials peer,
          std::unique_ptr<ClientConnection> connection = nullptr);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Any thread.
  const Strand& strand() const { return strand_; }
  const TenantAccess& tenant() const { return tenant_; }
  const PeerCredentials& peer() const { return peer_; }
  const ClientConnection* connection() const { return connection_.get(); }
  // The calls of this session's connection between their start and their OnDone. Shared, so that
  // a call's reactor can end its count without holding the session.
  CallsInFlight& calls() { return *calls_; }
  const std::shared_ptr<CallsInFlight>& shared_calls() const { return calls_; }
  // Closes the connection for a bound it broke (`rule`, e.g. "calls-in-flight"): audited as
  // session.connection with that rule, counted in the tenant's metrics, then the session ends.
  void close_connection(std::string_view rule);
  // The admin picture of this session, as last published on its sequence. Never waits for the
  // sequence: a busy session answers with what it published before. The sequence republishes,
  // in one posted item after the work that changed them, the sockets that work looked up,
  // created, removed or changed the readiness of; the backlog figures at every change.
  SessionSummary summary() const;

  // ---- on the sequence only ----
  bool ended() const {
    strand_.assert_on_sequence();
    return ended_;
  }
  // The session's network capability: announced in SessionOpened, handed out again by
  // InstanceNetwork. After drop_network() it is unknown (0) until InstanceNetwork makes a new one.
  std::uint64_t network_id() const {
    strand_.assert_on_sequence();
    return network_id_;
  }
  bool has_network(std::uint64_t id) const { return id != 0 && id == network_id(); }
  std::uint64_t instance_network();
  void drop_network() {
    strand_.assert_on_sequence();
    network_id_ = 0;
  }
  ResourceTable& resources() {
    strand_.assert_on_sequence();
    return resources_;
  }
  const ResourceTable& resources() const {
    strand_.assert_on_sequence();
    return resources_;
  }
  // The Attach stream's backlog: bytes queued and how long the oldest item has waited.
  std::size_t queued_bytes() const {
    strand_.assert_on_sequence();
    return outbox_.queued_bytes();
  }
  std::chrono::steady_clock::duration queue_lag() const {
    strand_.assert_on_sequence();
    return outbox_.oldest_age();
  }
  // The backlog is past kEventBacklogSoftBytes: the Attach stream should stop reading client
  // frames; the sink's resume_reading() is called once the backlog is below half of it.
  bool backlogged();

  // Records a readiness level; a change is pushed as a ReadinessEvent. Returns the level for the
  // unary response that caused it.
  v1::Readiness set_readiness(std::uint64_t id, v1::ReadinessKind kind, bool ready);
  v1::Readiness readiness(std::uint64_t id, v1::ReadinessKind kind) const;
  // Removes a resource: it is closed and its readiness forgotten.
  std::unique_ptr<SessionResource> remove(std::uint64_t id);

  // Queues an item for the Attach stream. Items queued before the client attaches wait for it
  // (their amount is bounded by each socket's read window); readiness changes are not queued
  // then, the attach sends a snapshot instead. Nothing is queued once the session has ended.
  void push(v1::ServerItem item);

  // Binds the Attach stream. False if one was attached before or the session has ended.
  bool attach(FrameSink& sink);
  bool attached() const {
    strand_.assert_on_sequence();
    return sink_ != nullptr;
  }
  // The sink finished writing the last frame.
  void frame_written();
  // The sink is going away (its stream is done): forget it, then end the session.
  void detach(FrameSink& sink);

  // Ends the session: closes every socket, finishes the Attach stream, drops queued items.
  // Idempotent. Later calls of any kind find no resources.
  void end();

 private:
  v1::Readiness to_proto(const ReadinessLevel& level) const;
  void send_opened();
  void write_next();
  // Tells each TCP resource how much of its read-ahead is leaving in `frame` (credit accounting).
  void count_sent_data(const v1::ServerFrame& frame);
  // The backlog passed kEventBacklogHardBytes: audits, then ends the session (posted, since
  // the push that caused it may come from a resource that end() would close).
  void overflow();
  // Posts one publish_summary() unless one is pending (or runs it now for a session that is not
  // shared: unit tests).
  void schedule_publish();
  void publish_summary();
  void publish_backlog();

  Strand strand_;
  const TenantAccess tenant_;
  const PeerCredentials peer_;
  const std::unique_ptr<ClientConnection> connection_;
  const std::shared_ptr<CallsInFlight> calls_ = std::make_shared<CallsInFlight>();
  ResourceTable resources_;
  ReadinessState readiness_;
  Outbox outbox_;
  std::uint64_t network_id_;
  FrameSink* sink_ = nullptr;
  bool ever_attached_ = false;
  bool writing_ = false;
  bool reading_held_ = false;  // backlogged() told the sink to stop reading
  bool overflowed_ = false;
  bool ended_ = false;
  bool publish_posted_ = false;

  // Published for summary(): guarded by summary_mutex_ (held to copy, never across work).
  mutable std::mutex summary_mutex_;
  std::map<std::uint64_t, ResourceSummary> published_sockets_;
  std::atomic<std::size_t> published_queued_bytes_{0};
  std::atomic<std::chrono::steady_clock::rep> oldest_queued_at_{0};  // 0: nothing queued
};

}  // namespace wasi_socketd::daemon
