#include "call_admission.h"

#include <string>

#include "admin/daemon_metrics.h"
#include "session/session_registry.h"

namespace wasi_socketd::daemon {

bool admit_call(Session& session) {
  switch (session.calls().begin()) {
    case CallsInFlight::Admission::admitted:
      return true;
    case CallsInFlight::Admission::close:
      session.close_connection("calls-in-flight");
      [[fallthrough]];
    case CallsInFlight::Admission::refused:
      if (session.tenant().metrics) session.tenant().metrics->call_refused();
      return false;
  }
  return false;
}

void end_call(Session& session) { session.calls().end(); }

grpc::Status too_many_calls() {
  return {grpc::StatusCode::RESOURCE_EXHAUSTED,
          "more than " + std::to_string(CallsInFlight::kRefuseAbove) +
              " calls in flight on this connection (acknowledge SETTINGS, read the responses)"};
}

UnaryAdmission admit_unary(grpc::CallbackServerContext* context,
                           const std::shared_ptr<Session>& session) {
  if (!connection_number(context->peer())) return {context->DefaultReactor(), true};
  const bool admitted = admit_call(*session);
  return {new CountedUnaryReactor(session->shared_calls()), admitted};
}

void CountedUnaryReactor::OnDone() {
  calls_->end();
  delete this;
}

}  // namespace wasi_socketd::daemon
