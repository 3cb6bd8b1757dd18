// wasi:sockets/tcp, the tcp-socket resource's methods (tcp.proto, service Tcp).
//
// Each handler: find the socket in the calling session's table (unknown, foreign or UDP ids are
// INVALID_ARGUMENT), validate the arguments, delegate to the socket core, convert the result.
// Handlers run on gRPC threads and do their work on the session's strand.
#pragma once

#include "session/session_registry.h"
#include "wasi_socketd/v1/tcp.grpc.pb.h"

namespace wasi_socketd::daemon {

class TcpService final : public v1::Tcp::CallbackService {
 public:
  explicit TcpService(const SessionRegistry& sessions) : sessions_(sessions) {}

  using Context = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;

  Reactor* StartBind(Context*, const v1::TcpStartBindRequest*, v1::TcpSocketStatus*) override;
  Reactor* FinishBind(Context*, const v1::TcpSocketRequest*, v1::TcpSocketStatus*) override;
  Reactor* StartConnect(Context*, const v1::TcpStartConnectRequest*, v1::TcpSocketStatus*) override;
  Reactor* FinishConnect(Context*, const v1::TcpSocketRequest*,
                         v1::TcpConnectionResponse*) override;
  Reactor* StartListen(Context*, const v1::TcpSocketRequest*, v1::TcpSocketStatus*) override;
  Reactor* FinishListen(Context*, const v1::TcpSocketRequest*, v1::TcpSocketStatus*) override;
  Reactor* Accept(Context*, const v1::TcpSocketRequest*, v1::TcpAcceptResponse*) override;
  Reactor* LocalAddress(Context*, const v1::TcpSocketRequest*, v1::SocketAddressResponse*) override;
  Reactor* RemoteAddress(Context*, const v1::TcpSocketRequest*,
                         v1::SocketAddressResponse*) override;
  Reactor* IsListening(Context*, const v1::TcpSocketRequest*, v1::BoolResponse*) override;
  Reactor* AddressFamily(Context*, const v1::TcpSocketRequest*,
                         v1::AddressFamilyResponse*) override;
  Reactor* GetOption(Context*, const v1::TcpGetOptionRequest*, v1::OptionValueResponse*) override;
  Reactor* SetOption(Context*, const v1::TcpSetOptionRequest*, v1::TcpSetOptionResponse*) override;
  Reactor* Shutdown(Context*, const v1::TcpShutdownRequest*, v1::Status*) override;
  Reactor* Drop(Context*, const v1::TcpDropRequest*, v1::Status*) override;

 private:
  const SessionRegistry& sessions_;
};

}  // namespace wasi_socketd::daemon
