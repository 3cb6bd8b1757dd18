// SocketView: what a socket's getters answer, kept in the session's Mirror so that
// local-address, remote-address, is-listening and the option getters cost no round trip.
//
// The broker sends a view with every call that changes these answers (create, bind, connect,
// listen, accept, udp stream; docs/PROTOCOL.md "Getters"). Setters are checked and predicted
// locally and sent on the session's ordered call queue; their replies carry the effective value.
// Plain data guarded by the session's mutex, like the rest of the Mirror.
#pragma once

#include <cstdint>
#include <map>
#include <optional>

#include "wasi_socketd/client/address.h"
#include "wasi_socketd/client/error_code.h"
#include "wasi_socketd/client/result.h"
#include "wasi_socketd/v1/tcp.pb.h"
#include "wasi_socketd/v1/udp.pb.h"

namespace wasi_socketd::client {

// One option getter's answer.
struct OptionAnswer {
  Result<std::uint64_t> answer = std::uint64_t{0};  // as the broker's GetOption would say
  // False while the answer must come from the broker: a buffer size whose setter's reply (with
  // the size the kernel chose) has not arrived, or an answer lost to a refused setter.
  bool exact = true;
  std::uint32_t pending = 0;  // setters of this option sent but not yet answered
  // A pipelined setter the broker refused: the next getter reports it once (docs/PROTOCOL.md).
  std::optional<ErrorCode> refused;
  // The guest set this buffer size on the socket (or on the listener it was accepted from): the
  // kernel no longer tunes it once connected.
  bool locked = false;
};

struct SocketView {
  bool tcp = true;
  v1::TcpSocketState state = v1::TCP_SOCKET_STATE_UNSPECIFIED;  // TCP only
  Result<IpSocketAddress> local_address = ErrorCode::kInvalidState;
  Result<IpSocketAddress> remote_address = ErrorCode::kInvalidState;
  std::map<int, OptionAnswer> options;  // keyed by the wire option number (v1::TcpOption/UdpOption)

  // Replaces what the broker described, keeping local bookkeeping (pending setters, locks).
  void update(const v1::TcpSocketView& view);
  void update(const v1::UdpSocketView& view);

  // The answer a getter can give with no round trip, or nullopt when it must wait for a pending
  // setter's reply or ask the broker (kernel-tuned buffer sizes of a connected TCP socket).
  std::optional<Result<std::uint64_t>> local_answer(int option);
  // Keeps an answer the broker gave to GetOption, unless a setter is pending.
  void learn(int option, const Result<std::uint64_t>& answer);
  // Checks a setter as the broker would and, when it will succeed, records its predicted effect
  // and counts it pending. Returns the broker's error otherwise (nothing is sent then).
  Status begin_set(int option, std::uint64_t value);
  // Applies the reply of a setter begun with begin_set.
  void finish_set(int option, const Result<std::uint64_t>& effective);
};

}  // namespace wasi_socketd::client
