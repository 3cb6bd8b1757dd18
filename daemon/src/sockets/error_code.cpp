#include "error_code.h"

namespace wasi_socketd::sockets {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::unknown:
      return "unknown";
    case ErrorCode::access_denied:
      return "access-denied";
    case ErrorCode::not_supported:
      return "not-supported";
    case ErrorCode::invalid_argument:
      return "invalid-argument";
    case ErrorCode::out_of_memory:
      return "out-of-memory";
    case ErrorCode::timeout:
      return "timeout";
    case ErrorCode::concurrency_conflict:
      return "concurrency-conflict";
    case ErrorCode::not_in_progress:
      return "not-in-progress";
    case ErrorCode::would_block:
      return "would-block";
    case ErrorCode::invalid_state:
      return "invalid-state";
    case ErrorCode::new_socket_limit:
      return "new-socket-limit";
    case ErrorCode::address_not_bindable:
      return "address-not-bindable";
    case ErrorCode::address_in_use:
      return "address-in-use";
    case ErrorCode::remote_unreachable:
      return "remote-unreachable";
    case ErrorCode::connection_refused:
      return "connection-refused";
    case ErrorCode::connection_reset:
      return "connection-reset";
    case ErrorCode::connection_aborted:
      return "connection-aborted";
    case ErrorCode::datagram_too_large:
      return "datagram-too-large";
    case ErrorCode::name_unresolvable:
      return "name-unresolvable";
    case ErrorCode::temporary_resolver_failure:
      return "temporary-resolver-failure";
    case ErrorCode::permanent_resolver_failure:
      return "permanent-resolver-failure";
  }
  return "unknown";
}

}  // namespace wasi_socketd::sockets
