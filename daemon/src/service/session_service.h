// Session.Attach (session.proto): hands each call to an AttachStream bound to the connection's
// session. Any gRPC thread.
#pragma once

#include "session/session_registry.h"
#include "wasi_socketd/v1/session.grpc.pb.h"

namespace wasi_socketd::daemon {

class SessionService final : public v1::Session::CallbackService {
 public:
  explicit SessionService(const SessionRegistry& sessions) : sessions_(sessions) {}

  grpc::ServerBidiReactor<v1::ClientFrame, v1::ServerFrame>* Attach(
      grpc::CallbackServerContext* context) override;

 private:
  const SessionRegistry& sessions_;
};

}  // namespace wasi_socketd::daemon
