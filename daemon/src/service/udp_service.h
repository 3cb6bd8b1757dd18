// wasi:sockets/udp: the udp-socket resource and its two datagram streams (udp.proto, service Udp).
//
// Each handler: find the socket in the calling session's table (unknown, foreign or TCP ids are
// INVALID_ARGUMENT), validate the arguments, delegate to the socket core, convert the result.
// Receive/Send name the stream pair by generation; a replaced pair answers INVALID_STATE.
// Handlers run on gRPC threads and do their work on the session's strand.
#pragma once

#include "session/session_registry.h"
#include "wasi_socketd/v1/udp.grpc.pb.h"

namespace wasi_socketd::daemon {

class UdpService final : public v1::Udp::CallbackService {
 public:
  explicit UdpService(const SessionRegistry& sessions) : sessions_(sessions) {}

  using Context = grpc::CallbackServerContext;
  using Reactor = grpc::ServerUnaryReactor;

  Reactor* StartBind(Context*, const v1::UdpStartBindRequest*, v1::UdpSocketStatus*) override;
  Reactor* FinishBind(Context*, const v1::UdpSocketRequest*, v1::UdpSocketStatus*) override;
  Reactor* Stream(Context*, const v1::UdpStreamRequest*, v1::UdpStreamResponse*) override;
  Reactor* LocalAddress(Context*, const v1::UdpSocketRequest*, v1::SocketAddressResponse*) override;
  Reactor* RemoteAddress(Context*, const v1::UdpSocketRequest*,
                         v1::SocketAddressResponse*) override;
  Reactor* AddressFamily(Context*, const v1::UdpSocketRequest*,
                         v1::AddressFamilyResponse*) override;
  Reactor* GetOption(Context*, const v1::UdpGetOptionRequest*, v1::OptionValueResponse*) override;
  Reactor* SetOption(Context*, const v1::UdpSetOptionRequest*, v1::UdpSetOptionResponse*) override;
  Reactor* Drop(Context*, const v1::UdpSocketRequest*, v1::Status*) override;
  Reactor* Receive(Context*, const v1::UdpReceiveRequest*, v1::UdpReceiveResponse*) override;
  Reactor* Send(Context*, const v1::UdpSendRequest*, v1::UdpSendResponse*) override;

 private:
  const SessionRegistry& sessions_;
};

}  // namespace wasi_socketd::daemon
