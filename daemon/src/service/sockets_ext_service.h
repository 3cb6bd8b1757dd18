// wasi-socketd:sockets-ext (sockets_ext.proto, service SocketsExt): the extension options of a
// session's TCP and UDP sockets.
//
// Each handler: find the socket in the calling session's table (unknown or foreign ids are
// INVALID_ARGUMENT), check that its kind has the option (a join's group too), then the tenant's
// grant (access-denied, audited), then the value and the state, then the syscall. Handlers run
// on gRPC threads and do their work on the session's sequence.
#pragma once

#include "session/session_registry.h"
#include "wasi_socketd/v1/sockets_ext.grpc.pb.h"

namespace wasi_socketd::daemon {

class SocketsExtService final : public v1::SocketsExt::CallbackService {
 public:
  explicit SocketsExtService(const SessionRegistry& sessions) : sessions_(sessions) {}

  using Context = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;

  Reactor* GetOption(Context*, const v1::ExtGetOptionRequest*, v1::ExtOptionResponse*) override;
  Reactor* SetOption(Context*, const v1::ExtSetOptionRequest*, v1::ExtOptionResponse*) override;
  Reactor* JoinMulticastGroup(Context*, const v1::ExtMulticastRequest*, v1::Status*) override;
  Reactor* LeaveMulticastGroup(Context*, const v1::ExtMulticastRequest*, v1::Status*) override;

 private:
  Reactor* change_membership(Context* context, const v1::ExtMulticastRequest* request,
                             v1::Status* response, bool join);

  const SessionRegistry& sessions_;
};

}  // namespace wasi_socketd::daemon
