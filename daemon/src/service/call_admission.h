// Admission of each call of a session's connection against its calls-in-flight bound
// (session/calls_in_flight.h): every call is counted from its start to its OnDone. Past the bound
// the call is answered at once with RESOURCE_EXHAUSTED and runs nothing; at the hard bound the
// connection is closed too (audited, counted). gRPC threads.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>

#include "session/session.h"

namespace wasi_socketd::daemon {

// Counts a new call on `session`'s connection. False: the call must be answered with
// too_many_calls() and run nothing (at the hard bound the connection has been closed).
// Every call counted must reach end_call() in its OnDone.
bool admit_call(Session& session);
void end_call(Session& session);
grpc::Status too_many_calls();

// A new unary call of `session`, admitted or not, and the reactor to answer it on: counted on its
// connection until OnDone (refused calls too: refusals a client does not read pile up to
// kCloseAt). A call without a connection (an in-process test context, SessionRegistry::kInProcess)
// is not counted and gets DefaultReactor().
struct UnaryAdmission {
  grpc::ServerUnaryReactor* reactor;
  bool admitted;  // false: answer too_many_calls() at once, run nothing
};
UnaryAdmission admit_unary(grpc::CallbackServerContext* context,
                           const std::shared_ptr<Session>& session);

// The reactor of a counted unary call: OnDone ends the count and nothing else.
//
// It declares its reactions inlineable, as gRPC's own DefaultReactor does: otherwise gRPC 1.51 runs
// every unary call's OnDone on its executor thread, one more thread wake per call, which cost the
// control path 30 % (docs/BENCHMARKS.md, "Idle runs"). InternalInlineable() is marked "not API" in
// grpcpp/support/server_callback.h; it is safe here because OnDone only decrements an atomic and
// deletes the reactor: no lock, no session (the count is shared with the session, not the session
// itself), nothing that could call back into gRPC.
class CountedUnaryReactor final : public grpc::ServerUnaryReactor {
 public:
  explicit CountedUnaryReactor(std::shared_ptr<CallsInFlight> calls) : calls_(std::move(calls)) {}
  void OnDone() override;
  bool InternalInlineable() override { return true; }

 private:
  std::shared_ptr<CallsInFlight> calls_;
};

}  // namespace wasi_socketd::daemon
