// How every unary handler runs: find the session of the call's connection, dispatch the work to
// the session's sequence (sockets/serial_executor.h), finish the call. Nothing blocks a gRPC
// thread.
//
// When the session is idle the gRPC thread runs the work itself, inline — no io thread is woken
// and the reply leaves from the thread that read the request. Otherwise the work is queued behind
// the session's earlier work and runs when its turn comes, on whichever thread runs the session.
// Either way it runs alone for its session and in order, which is all the socket core relies on.
//
// Every call is counted on its connection until OnDone (call_admission.h): past the bound it is
// answered at once with RESOURCE_EXHAUSTED and never reaches the sequence.
//
// Status codes: FAILED_PRECONDITION when the connection has no live session (it never reached the
// socket layer); everything the socket layer says travels in the response's error field.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <utility>

#include "call_admission.h"
#include "session/session.h"
#include "session/session_registry.h"

namespace wasi_socketd::daemon {

// Finishes one unary call exactly once. Copyable (core callbacks are std::function); if the last
// copy dies without finish() the call fails with UNAVAILABLE instead of hanging for ever.
// Any thread.
class UnaryCall {
 public:
  explicit UnaryCall(grpc::ServerUnaryReactor* reactor);
  void finish(grpc::Status status = grpc::Status::OK) const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

// The session bound to the connection `context` arrived on, or null.
std::shared_ptr<Session> session_of(grpc::CallbackServerContext* context,
                                    const SessionRegistry& registry);

// Runs `work(Session&, UnaryCall)` on the session's sequence; `work` finishes the call (now or
// later, e.g. from a core callback).
template <class Work>
grpc::ServerUnaryReactor* start_unary(grpc::CallbackServerContext* context,
                                      const SessionRegistry& registry, Work work) {
  std::shared_ptr<Session> session = session_of(context, registry);
  if (!session) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish({grpc::StatusCode::FAILED_PRECONDITION, "no session on this connection"});
    return reactor;
  }
  const auto [reactor, admitted] = admit_unary(context, session);
  if (!admitted) {
    reactor->Finish(too_many_calls());
    return reactor;
  }
  auto run = [session, call = UnaryCall(reactor), work = std::move(work)]() mutable {
    if (session->ended()) {
      call.finish({grpc::StatusCode::FAILED_PRECONDITION, "the session has ended"});
      return;
    }
    work(*session, call);
  };
  session->strand().dispatch(std::move(run));
  return reactor;
}

// As start_unary, for work that is done when `work(Session&)` returns.
template <class Work>
grpc::ServerUnaryReactor* run_unary(grpc::CallbackServerContext* context,
                                    const SessionRegistry& registry, Work work) {
  return start_unary(context, registry,
                     [work = std::move(work)](Session& session, const UnaryCall& call) mutable {
                       work(session);
                       call.finish();
                     });
}

}  // namespace wasi_socketd::daemon
