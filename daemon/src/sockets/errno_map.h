// THE one place where kernel errors (errno, getaddrinfo EAI_*) become WIT error-codes.
//
// Pure functions; callable from any thread.
#pragma once

#include "error_code.h"

namespace wasi_socketd::sockets {

// The operation that failed. The WIT documents a few errnos differently per operation
// (e.g. EADDRNOTAVAIL is address-not-bindable on bind but address-in-use for the implicit
// bind of connect), so the table is keyed by it.
enum class SocketOperation {
  create,
  bind,
  connect,  // TCP start-connect, UDP stream(remote), and the implicit bind they may do
  listen,
  accept,
  stream_read,   // TCP input stream
  stream_write,  // TCP output stream
  datagram_receive,
  datagram_send,
  option,
  multicast_membership,  // join/leave-multicast-group, multicast-interface (sockets-ext)
  shutdown,
};

ErrorCode error_from_errno(SocketOperation operation, int error_number);

// getaddrinfo() failures. `error_number` is errno, used when gai_error is EAI_SYSTEM.
ErrorCode error_from_getaddrinfo(int gai_error, int error_number);

}  // namespace wasi_socketd::sockets
