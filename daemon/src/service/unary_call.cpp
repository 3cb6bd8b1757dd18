#include "unary_call.h"

#include <atomic>

namespace wasi_socketd::daemon {

struct UnaryCall::State {
  explicit State(grpc::ServerUnaryReactor* r) : reactor(r) {}
  ~State() { finish({grpc::StatusCode::UNAVAILABLE, "the operation was abandoned"}); }
  void finish(grpc::Status status) {
    if (!finished.exchange(true)) {
      reactor->Finish(std::move(status));
    }
  }

  grpc::ServerUnaryReactor* reactor;
  std::atomic<bool> finished{false};
};

UnaryCall::UnaryCall(grpc::ServerUnaryReactor* reactor)
    : state_(std::make_shared<State>(reactor)) {}

void UnaryCall::finish(grpc::Status status) const { state_->finish(std::move(status)); }

std::shared_ptr<Session> session_of(grpc::CallbackServerContext* context,
                                    const SessionRegistry& registry) {
  const std::optional<int> number = connection_number(context->peer());
  return registry.find(number.value_or(SessionRegistry::kInProcess));
}

}  // namespace wasi_socketd::daemon
