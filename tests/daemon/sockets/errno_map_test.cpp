#include "sockets/errno_map.h"

#include <gtest/gtest.h>
#include <netdb.h>

#include <cerrno>

namespace wasi_socketd::sockets {
namespace {

using enum SocketOperation;

TEST(ErrnoMap, CommonErrorsMeanTheSameEverywhere) {
  for (auto operation : {create, bind, connect, listen, accept, stream_read, stream_write,
                         datagram_receive, datagram_send, option, shutdown}) {
    EXPECT_EQ(error_from_errno(operation, EACCES), ErrorCode::access_denied);
    EXPECT_EQ(error_from_errno(operation, EPERM), ErrorCode::access_denied);
    EXPECT_EQ(error_from_errno(operation, EMFILE), ErrorCode::new_socket_limit);
    EXPECT_EQ(error_from_errno(operation, ENFILE), ErrorCode::new_socket_limit);
    EXPECT_EQ(error_from_errno(operation, ENOMEM), ErrorCode::out_of_memory);
    EXPECT_EQ(error_from_errno(operation, ENOBUFS), ErrorCode::out_of_memory);
    EXPECT_EQ(error_from_errno(operation, EADDRINUSE), ErrorCode::address_in_use);
    EXPECT_EQ(error_from_errno(operation, ETIMEDOUT), ErrorCode::timeout);
    EXPECT_EQ(error_from_errno(operation, ECONNREFUSED), ErrorCode::connection_refused);
    EXPECT_EQ(error_from_errno(operation, 99999), ErrorCode::unknown);
  }
}

TEST(ErrnoMap, UnreachableNetworksAreRemoteUnreachable) {
  for (int error : {EHOSTUNREACH, EHOSTDOWN, ENETUNREACH, ENETDOWN, ENONET}) {
    EXPECT_EQ(error_from_errno(connect, error), ErrorCode::remote_unreachable) << error;
  }
}

TEST(ErrnoMap, AddressNotAvailableDependsOnTheOperation) {
  EXPECT_EQ(error_from_errno(bind, EADDRNOTAVAIL), ErrorCode::address_not_bindable);
  // On connect it means the implicit bind found no ephemeral port.
  EXPECT_EQ(error_from_errno(connect, EADDRNOTAVAIL), ErrorCode::address_in_use);
}

TEST(ErrnoMap, WouldBlockOutsideConnect) {
  EXPECT_EQ(error_from_errno(accept, EAGAIN), ErrorCode::would_block);
  EXPECT_EQ(error_from_errno(stream_read, EWOULDBLOCK), ErrorCode::would_block);
  EXPECT_EQ(error_from_errno(connect, EAGAIN), ErrorCode::address_in_use);
}

TEST(ErrnoMap, AcceptTurnsPendingNetworkErrorsIntoConnectionAborted) {
  for (int error : {ECONNABORTED, ECONNRESET, ENETUNREACH, EPROTO}) {
    EXPECT_EQ(error_from_errno(accept, error), ErrorCode::connection_aborted) << error;
  }
}

TEST(ErrnoMap, StreamAndDatagramSpecifics) {
  EXPECT_EQ(error_from_errno(stream_read, ECONNRESET), ErrorCode::connection_reset);
  EXPECT_EQ(error_from_errno(stream_write, EPIPE), ErrorCode::connection_reset);
  EXPECT_EQ(error_from_errno(datagram_send, EMSGSIZE), ErrorCode::datagram_too_large);
  EXPECT_EQ(error_from_errno(datagram_send, EISCONN), ErrorCode::invalid_argument);
  EXPECT_EQ(error_from_errno(datagram_send, EDESTADDRREQ), ErrorCode::invalid_argument);
  EXPECT_EQ(error_from_errno(datagram_receive, ECONNREFUSED), ErrorCode::connection_refused);
  EXPECT_EQ(error_from_errno(shutdown, ENOTCONN), ErrorCode::invalid_state);
  EXPECT_EQ(error_from_errno(bind, EAFNOSUPPORT), ErrorCode::invalid_argument);
  EXPECT_EQ(error_from_errno(create, EAFNOSUPPORT), ErrorCode::not_supported);
}

TEST(ErrnoMap, ResolverErrors) {
  EXPECT_EQ(error_from_getaddrinfo(EAI_NONAME, 0), ErrorCode::name_unresolvable);
  EXPECT_EQ(error_from_getaddrinfo(EAI_NODATA, 0), ErrorCode::name_unresolvable);
  EXPECT_EQ(error_from_getaddrinfo(EAI_AGAIN, 0), ErrorCode::temporary_resolver_failure);
  EXPECT_EQ(error_from_getaddrinfo(EAI_FAIL, 0), ErrorCode::permanent_resolver_failure);
  EXPECT_EQ(error_from_getaddrinfo(EAI_SYSTEM, EIO), ErrorCode::permanent_resolver_failure);
}

}  // namespace
}  // namespace wasi_socketd::sockets
