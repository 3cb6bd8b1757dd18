// Events of one TCP socket, implemented by the session layer.
//
// Threading: every method is called on the socket's strand, never while the socket's own
// public method is still on the stack (events are posted or come from asynchronous waits), so an
// observer may call back into the socket.
#pragma once

#include <cstddef>
#include <optional>
#include <span>

#include "error_code.h"

namespace wasi_socketd::sockets {

class TcpObserver {
 public:
  virtual ~TcpObserver() = default;
  // start-connect's outcome is known: CONNECT readiness becomes true; finish_connect() answers.
  virtual void connect_finished() = 0;
  // The ACCEPT level changed: true when a connection is (probably) pending.
  virtual void accept_readiness(bool ready) = 0;
  // Read-ahead bytes, in order, each chunk at most 64 KiB; never more than the granted credit.
  // `bytes` is only valid during the call: copy what you keep.
  virtual void data_received(std::span<const std::byte> bytes) = 0;
  // The input stream ended: nullopt = clean EOF (peer FIN), else the read error. Called once.
  virtual void input_ended(std::optional<ErrorCode> error) = 0;
  // `n` more bytes given to write() reached the kernel.
  virtual void bytes_written(std::size_t n) = 0;
  // Writing failed; bytes not yet acknowledged are lost and later write()s are discarded.
  virtual void output_failed(ErrorCode error) = 0;
};

}  // namespace wasi_socketd::sockets
