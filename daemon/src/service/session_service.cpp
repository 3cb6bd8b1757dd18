#include "session_service.h"

#include "attach_stream.h"
#include "unary_call.h"

namespace wasi_socketd::daemon {

grpc::ServerBidiReactor<v1::ClientFrame, v1::ServerFrame>* SessionService::Attach(
    grpc::CallbackServerContext* context) {
  return new AttachStream(session_of(context, sessions_));
}

}  // namespace wasi_socketd::daemon
