#include "errno_map.h"

#include <netdb.h>

#include <cerrno>
#include <optional>

namespace wasi_socketd::sockets {
namespace {

// Errors whose meaning depends on the operation, as the WIT documents them per method.
std::optional<ErrorCode> operation_specific(SocketOperation operation, int error_number) {
  using enum SocketOperation;
  switch (operation) {
    case bind:
      if (error_number == EAFNOSUPPORT) return ErrorCode::invalid_argument;
      if (error_number == EINVAL) return ErrorCode::invalid_state;  // already bound
      break;
    case connect:
      // Linux reports a failed implicit bind (no ephemeral port) as EADDRNOTAVAIL or EAGAIN.
      if (error_number == EADDRNOTAVAIL || error_number == EAGAIN) return ErrorCode::address_in_use;
      if (error_number == EAFNOSUPPORT) return ErrorCode::invalid_argument;
      break;
    case accept:
      // Linux passes network errors already pending on the new connection to accept().
      switch (error_number) {
        case ECONNABORTED:
        case ECONNRESET:
        case ENETRESET:
        case EHOSTUNREACH:
        case EHOSTDOWN:
        case ENETDOWN:
        case ENETUNREACH:
        case EPROTO:
        case ENOPROTOOPT:
        case ENONET:
        case EOPNOTSUPP:
          return ErrorCode::connection_aborted;
        default:
          break;
      }
      break;
    case stream_write:
      if (error_number == EPIPE) return ErrorCode::connection_reset;
      break;
    case datagram_receive:
    case datagram_send:
      if (error_number == ECONNRESET || error_number == ENETRESET) {
        return ErrorCode::remote_unreachable;
      }
      if (error_number == EISCONN || error_number == EDESTADDRREQ) {
        return ErrorCode::invalid_argument;
      }
      break;
    case create:
      if (error_number == EAFNOSUPPORT) return ErrorCode::not_supported;
      break;
    case multicast_membership:
      // Leaving a group never joined, or an interface index that names no interface.
      // (IP_MULTICAST_IF answers ENODEV for the latter too.)
      if (error_number == EADDRNOTAVAIL || error_number == ENODEV) {
        return ErrorCode::invalid_argument;
      }
      break;
    case listen:
    case stream_read:
    case option:
    case shutdown:
      break;
  }
  return std::nullopt;
}

}  // namespace

ErrorCode error_from_errno(SocketOperation operation, int error_number) {
  if (auto specific = operation_specific(operation, error_number)) return *specific;
  switch (error_number) {
    case EACCES:
    case EPERM:
      return ErrorCode::access_denied;
    case EADDRINUSE:
      return ErrorCode::address_in_use;
    case EADDRNOTAVAIL:
      return ErrorCode::address_not_bindable;
    case ETIMEDOUT:
      return ErrorCode::timeout;
    case ECONNREFUSED:
      return ErrorCode::connection_refused;
    case ECONNRESET:
      return ErrorCode::connection_reset;
    case ECONNABORTED:
      return ErrorCode::connection_aborted;
    case EINVAL:
      return ErrorCode::invalid_argument;
    case EHOSTUNREACH:
    case EHOSTDOWN:
    case ENETDOWN:
    case ENETUNREACH:
    case ENONET:
      return ErrorCode::remote_unreachable;
    case EISCONN:
    case ENOTCONN:
    case EDESTADDRREQ:
      return ErrorCode::invalid_state;
    case EMSGSIZE:
      return ErrorCode::datagram_too_large;
    case ENOMEM:
    case ENOBUFS:
      return ErrorCode::out_of_memory;
    case EMFILE:
    case ENFILE:
      return ErrorCode::new_socket_limit;
    case EAGAIN:  // == EWOULDBLOCK on Linux
      return ErrorCode::would_block;
    case EALREADY:
      return ErrorCode::concurrency_conflict;
    case EOPNOTSUPP:
    case ENOPROTOOPT:
    case EPFNOSUPPORT:
    case EPROTONOSUPPORT:
    case EPROTOTYPE:
    case ESOCKTNOSUPPORT:
    case EAFNOSUPPORT:
      return ErrorCode::not_supported;
    default:
      return ErrorCode::unknown;
  }
}

ErrorCode error_from_getaddrinfo(int gai_error, int error_number) {
  switch (gai_error) {
    case EAI_NONAME:
    case EAI_NODATA:
    case EAI_ADDRFAMILY:
      return ErrorCode::name_unresolvable;
    case EAI_AGAIN:
      return ErrorCode::temporary_resolver_failure;
    case EAI_MEMORY:
      return ErrorCode::out_of_memory;
    case EAI_SYSTEM:
      return error_number == ENOMEM ? ErrorCode::out_of_memory
                                    : ErrorCode::permanent_resolver_failure;
    default:
      return ErrorCode::permanent_resolver_failure;
  }
}

}  // namespace wasi_socketd::sockets
