// Session: one connection to the broker, its Attach stream and the mirror of pushed state.
//
// A Session owns its own gRPC channel (a session is a connection), one reader thread that applies
// ServerFrames to the Mirror, one writer thread that writes queued ClientFrames (FrameWriter), the
// sync stubs for the unary calls and, once a setter is pipelined, one thread that runs pipelined
// calls in order (CallQueue). All public methods are
// thread-safe. When the broker goes away (Attach ends, or a call reports UNAVAILABLE) the session
// is dead: every waiter wakes, every later call fails at once with ErrorCode::kSessionLost.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "wasi_socketd/client/mirror.h"
#include "wasi_socketd/client/result.h"
#include "wasi_socketd/v1/ip_name_lookup.grpc.pb.h"
#include "wasi_socketd/v1/network.grpc.pb.h"
#include "wasi_socketd/v1/session.grpc.pb.h"
#include "wasi_socketd/v1/sockets_ext.grpc.pb.h"
#include "wasi_socketd/v1/tcp.grpc.pb.h"
#include "wasi_socketd/v1/udp.grpc.pb.h"

namespace wasi_socketd::client {

class CallQueue;
class FrameWriter;

struct SessionOptions {
  // empty: wasi_socketd::default_socket_path(), refused when untrusted_default_socket_reason()
  // doubts it (another user's socket in a directory anyone may write to, e.g. /tmp)
  std::string socket_path;
  std::chrono::milliseconds open_timeout{5000};
  // Upper bound for one unary call (name lookups may take a while; everything else is fast).
  std::chrono::milliseconds call_timeout{60000};
};

using Deadline = std::chrono::steady_clock::time_point;
inline constexpr Deadline kNoDeadline = Deadline::max();

class Session {
 public:
  // Connects, opens Attach and waits for SessionOpened. On failure returns null and writes a
  // readable reason to *error.
  static std::shared_ptr<Session> open(const SessionOptions& options, std::string* error);
  ~Session();  // close()

  // Ends the Attach stream (the broker closes the session's sockets) and joins the reader; the
  // session is dead afterwards. Idempotent; not from inside a wait_until predicate.
  void close();

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const v1::SessionOpened& opened() const { return opened_; }
  std::uint64_t network_id() const { return opened_.network_id(); }
  bool alive() const;
  std::string death_reason() const;

  // Runs f(Mirror&) with the mirror locked; f must not call back into the Session.
  template <typename F>
  auto with_mirror(F&& f) {
    std::lock_guard lock(mu_);
    return f(mirror_);
  }
  // Runs f(Mirror&) with the mirror locked, then wakes every waiter (from threads that are not
  // the waiters', e.g. a pipelined call's reply).
  template <typename F>
  void change_mirror(F&& f) {
    {
      std::lock_guard lock(mu_);
      f(mirror_);
    }
    changed_.notify_all();
  }
  // Blocks until pred(mirror) holds (true) or the deadline passes (false). Returns true at once
  // when the session is dead (check alive()). pred runs with the mirror locked.
  bool wait_until(const std::function<bool(const Mirror&)>& pred, Deadline deadline);

  // Queues a frame for Attach and returns without waiting for the write (thread-safe, ordered;
  // frames queued meanwhile are merged; behind pipelined calls still unanswered). False if the
  // session is dead; a failed write later marks it dead. Unary calls may overtake queued frames:
  // the protocol's write_offset covers that.
  bool send(v1::ClientFrame frame);

  // Runs `call` on the session's pipelined-call thread, after every call pipelined before it, and
  // returns at once (option setters: the guest does not wait). False if the session is closed.
  // Every later unary call waits until the pipelined calls are answered, and frames sent
  // meanwhile go out after them: whatever the guest does next sees their effect.
  bool pipeline(std::function<void()> call);

  // Unary calls this session has made (a test hook: local answers make none).
  std::uint64_t unary_calls() const { return unary_calls_.load(std::memory_order_relaxed); }

  // One unary call with the session's deadline and death handling. A transport failure marks the
  // session dead (kSessionLost); other non-OK statuses are kUnknown.
  template <typename Stub, typename Request, typename Response>
  Result<Response> call(Stub& stub,
                        grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                     Response*),
                        const Request& request) {
    await_pipelined();
    if (!alive()) return ErrorCode::kSessionLost;
    unary_calls_.fetch_add(1, std::memory_order_relaxed);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + options_.call_timeout);
    Response response;
    grpc::Status status = (stub.*method)(&context, request, &response);
    if (status.ok()) return response;
    return on_call_failure(status);
  }

  v1::Network::Stub& network() { return *network_; }
  v1::TcpCreateSocket::Stub& tcp_create() { return *tcp_create_; }
  v1::Tcp::Stub& tcp() { return *tcp_; }
  v1::UdpCreateSocket::Stub& udp_create() { return *udp_create_; }
  v1::Udp::Stub& udp() { return *udp_; }
  v1::IpNameLookup::Stub& name_lookup() { return *name_lookup_; }
  v1::SocketsExt::Stub& sockets_ext() { return *sockets_ext_; }

 private:
  explicit Session(const SessionOptions& options);
  void read_loop();
  ErrorCode on_call_failure(const grpc::Status& status);
  // Waits until the pipelined calls are answered (at once on the pipelined-call thread).
  void await_pipelined();
  void die(std::string reason);

  SessionOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Network::Stub> network_;
  std::unique_ptr<v1::TcpCreateSocket::Stub> tcp_create_;
  std::unique_ptr<v1::Tcp::Stub> tcp_;
  std::unique_ptr<v1::UdpCreateSocket::Stub> udp_create_;
  std::unique_ptr<v1::Udp::Stub> udp_;
  std::unique_ptr<v1::IpNameLookup::Stub> name_lookup_;
  std::unique_ptr<v1::SocketsExt::Stub> sockets_ext_;
  std::unique_ptr<v1::Session::Stub> session_;

  grpc::ClientContext attach_context_;
  std::unique_ptr<grpc::ClientReaderWriter<v1::ClientFrame, v1::ServerFrame>> attach_;
  std::unique_ptr<FrameWriter> writer_;
  std::unique_ptr<CallQueue> pipelined_;
  std::thread reader_;
  std::atomic<std::uint64_t> unary_calls_{0};

  mutable std::mutex mu_;  // guards mirror_
  std::condition_variable changed_;
  Mirror mirror_;
  v1::SessionOpened opened_;  // set once before open() returns
};

}  // namespace wasi_socketd::client
